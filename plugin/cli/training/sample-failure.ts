import { FileError } from '../../../core/mesh/file-error.js';
import { MeshError } from '../../../core/mesh/mesh-error.js';
import { DatasetError } from '../dataset.js';
import type { SampleSpec } from './sample-spec.js';
import { TrainError } from './train-error.js';

/**
 * Why a training worker could not load a sample, as plain data: comlink sends a thrown error's
 * message alone, so its class, code and file would be lost on the way to the main thread.
 */
export interface SampleFailure {
  /** The error's class: `MeshError`, `DatasetError`, `TrainError` or another FileError's name. */
  readonly name: string;
  readonly code: string;
  readonly file: string;
  readonly detail: string;
  /** The stack in the worker, for --verbose. */
  readonly stack?: string;
}

// The classes a sample's failure is rebuilt as, by name; any other FileError comes back as a FileError.
const SAMPLE_ERROR_CLASSES: Record<string, typeof FileError<string>> = { MeshError, DatasetError, TrainError };

/** `error`, thrown while loading `spec`, as data; an error that names no file becomes `PREPARE_FAILED` naming the mesh. */
export function sampleFailure(error: unknown, spec: SampleSpec): SampleFailure {
  const stack = error instanceof Error ? error.stack : undefined;
  if (error instanceof FileError) return { name: error.name, code: error.code, file: error.file, detail: error.detail, ...(stack ? { stack } : {}) };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'TrainError', code: 'PREPARE_FAILED', file: spec.mesh, detail: `cannot be loaded for training (${message})`, ...(stack ? { stack } : {}) };
}

/** The error a {@link SampleFailure} describes, of its own class, with the same message and code and the worker's stack. */
export function sampleError(failure: SampleFailure): FileError {
  const ErrorClass = SAMPLE_ERROR_CLASSES[failure.name] ?? FileError;
  const error = new ErrorClass(failure.code, failure.file, failure.detail);
  if (failure.stack) error.stack = failure.stack;
  return error;
}
