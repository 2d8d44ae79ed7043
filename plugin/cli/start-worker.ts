import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `<name>.js` next to `base` (an `import.meta.url`), or, when running from
 * the TypeScript sources (tests, `tsx`), `<name>.ts` through tsx's loader registered inside the worker.
 */
export function startModuleWorker(base: string, name: string): Worker {
  const compiled = new URL(`./${name}.js`, base);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled);
  const source = new URL(`./${name}.ts`, base).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}
