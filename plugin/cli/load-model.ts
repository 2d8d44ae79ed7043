import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ModelFileError } from '../../core/model/model-file-error.js';
import { decodeModel, type Model } from '../../core/model/model.js';

/** The bundled body-part model, relative to the package root. */
export const BUNDLED_MODEL = 'samples/models/human-parts.erlm';

/** Reads a model file, or the bundled body-part model when `path` is undefined. */
export async function loadModelFile(path: string | undefined): Promise<Model> {
  const { bytes, file } = await readModelFile(path);
  return decodeModel(bytes, file);
}

/** A model file's bytes and its path (the bundled model's when `path` is undefined), not yet decoded. */
export async function readModelFile(path: string | undefined): Promise<{ bytes: Uint8Array; file: string }> {
  const file = path ?? bundledModelPath();
  try {
    return { bytes: new Uint8Array(await readFile(file)), file };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ModelFileError('NOT_A_MODEL', file, `cannot be read (${reason})${path ? '' : '; the bundled model is missing from this install'}`, { cause: error });
  }
}

/** Path of the bundled model: this file sits at plugin/cli/ in the sources and dist/plugin/cli/ once built. */
function bundledModelPath(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/plugin/') ? new URL('../../../', import.meta.url) : new URL('../../', import.meta.url);
  return fileURLToPath(new URL(BUNDLED_MODEL, root));
}
