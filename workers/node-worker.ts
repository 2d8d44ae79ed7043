import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { SegmentationWorkerClient } from './segmentation-client.js';
import { SegmentationWorkerError } from './segmentation-worker-error.js';

/**
 * Starts the segmentation worker in a Node worker thread: the compiled module next to this file,
 * or, when running from the TypeScript sources (tests), the .ts module through tsx's loader.
 */
export function createNodeSegmentationWorker(): SegmentationWorkerClient {
  const compiled = new URL('./segmentation-worker-node.js', import.meta.url);
  const worker = existsSync(fileURLToPath(compiled))
    ? new Worker(compiled)
    : new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./segmentation-worker-node.ts', import.meta.url).href)}); });`, { eval: true });
  const failure = new Promise<never>((_, reject) => {
    worker.once('error', (error) => reject(new SegmentationWorkerError('WORKER_FAILED', `the segmentation worker failed: ${error.message}`, { cause: error })));
    worker.once('exit', (code) => reject(new SegmentationWorkerError('WORKER_FAILED', `the segmentation worker exited (code ${code}) before answering.`)));
  });
  return new SegmentationWorkerClient({ endpoint: nodeEndpoint(worker), terminate: () => worker.terminate(), failure });
}
