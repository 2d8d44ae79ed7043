import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ModelFileError } from '../../core/model/model-file-error.js';
import { decodeModel, type Model } from '../../core/model/model.js';

/** The bundled body-part model, relative to the package root. */
export const BUNDLED_MODEL = 'samples/models/human-parts.erlm';

/** Reads a model file, or the bundled body-part model when `path` is undefined. */
export async function loadModelFile(path: string | undefined): Promise<Model> {
  const file = path ?? bundledModelPath();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ModelFileError('NOT_A_MODEL', file, `cannot be read (${reason})${path ? '' : '; the bundled model is missing from this install'}`, { cause: error });
  }
  return decodeModel(bytes, file);
}

/** Path of the bundled model: this file sits at plugin/cli/ in the sources and dist/plugin/cli/ once built. */
function bundledModelPath(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/plugin/') ? new URL('../../../', import.meta.url) : new URL('../../', import.meta.url);
  return fileURLToPath(new URL(BUNDLED_MODEL, root));
}
