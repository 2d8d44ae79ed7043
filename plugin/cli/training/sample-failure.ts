import { FileError } from '../../../core/mesh/file-error.js';
import type { FileErrorClass } from '../../../workers/segmentation-worker-error.js';
import { DatasetError } from '../dataset.js';
import type { SampleSpec } from './sample-spec.js';
import { TrainError } from './train-error.js';

/** The CLI's error classes a training worker's failure comes back as (fromTransferableError adds the core's), by name. */
export const TRAINING_FILE_ERRORS: Readonly<Record<string, FileErrorClass>> = { DatasetError, TrainError };

/** What loading `spec` failed with: a file error as it is; anything else `PREPARE_FAILED` naming the mesh. */
export function sampleLoadError(error: unknown, spec: SampleSpec): FileError {
  if (error instanceof FileError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const failure = new TrainError('PREPARE_FAILED', spec.mesh, `cannot be loaded for training (${message})`);
  if (error instanceof Error && error.stack) failure.stack = error.stack;
  return failure;
}
