import { FileError } from '../core/mesh/file-error.js';
import { MeshError } from '../core/mesh/mesh-error.js';
import { ModelFileError } from '../core/model/model-file-error.js';

/** Why a segmentation worker refused or stopped a job. */
export type SegmentationWorkerErrorCode =
  | 'BUSY'
  | 'CANCELLED'
  | 'NO_MODEL'
  | 'NOT_PREPARED'
  | 'NO_WEBGPU'
  | 'DISPOSED'
  | 'WORKER_FAILED';

/** A typed error of the segmentation worker: `code` for programs, a message saying what to do. */
export class SegmentationWorkerError extends Error {
  override readonly name = 'SegmentationWorkerError';
  constructor(readonly code: SegmentationWorkerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An error as it crosses a worker boundary: structured-clonable, with the fields programs match on. */
export interface TransferableError {
  readonly transferableError: true;
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly file?: string;
  /** A `FileError`'s message without the file name in front, to rebuild it from. */
  readonly detail?: string;
  readonly stack?: string;
}

/** `error` as a plain object that keeps its `name`, `code`, `file` and `detail` through postMessage (comlink keeps only the message). */
export function toTransferableError(error: unknown): TransferableError {
  if (error instanceof Error) {
    const { code, file, detail } = error as { code?: unknown; file?: unknown; detail?: unknown };
    return {
      transferableError: true,
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof file === 'string' ? { file } : {}),
      ...(typeof detail === 'string' ? { detail } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { transferableError: true, name: 'Error', message: String(error) };
}

/** A FileError subclass, built from (code, file, detail) like FileError itself. */
export type FileErrorClass = typeof FileError<string>;

// The core's file errors; a caller adds its own (fromTransferableError's `fileErrors`).
const CORE_FILE_ERRORS: Readonly<Record<string, FileErrorClass>> = { FileError, MeshError, ModelFileError };

/**
 * The Error a {@link TransferableError} stood for, anything else unchanged: `FileError`, `MeshError`,
 * `ModelFileError`, the classes in `fileErrors` (by name), `SegmentationWorkerError` and the
 * built-in Error classes come back as their own classes (so `instanceof` works), other errors as an
 * `Error` with the same `name`; `code`, `file`, message and the worker's stack are kept.
 */
export function fromTransferableError(value: unknown, fileErrors: Readonly<Record<string, FileErrorClass>> = {}): unknown {
  if (typeof value !== 'object' || value === null || !(value as TransferableError).transferableError) return value;
  const plain = value as TransferableError;
  const error = restoredError(plain, { ...CORE_FILE_ERRORS, ...fileErrors }) as Error & { code?: string; file?: string };
  // The rebuilt message should already match; this keeps it exact if the worker's was changed after construction.
  if (error.message !== plain.message) error.message = plain.message;
  if (plain.code !== undefined && error.code === undefined) error.code = plain.code;
  if (plain.file !== undefined && error.file === undefined) error.file = plain.file;
  if (plain.stack !== undefined) error.stack = plain.stack;
  return error;
}

// Built-in classes that structured clone itself would restore; comlink's throw path does not.
const BUILT_IN_ERRORS: Readonly<Record<string, new (message: string) => Error>> = {
  Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
};

/** A new error of the class `plain` names, built the way that class builds itself. */
function restoredError(plain: TransferableError, fileErrors: Readonly<Record<string, FileErrorClass>>): Error {
  const { name, code, file, message } = plain;
  if (name === 'SegmentationWorkerError' && code !== undefined) return new SegmentationWorkerError(code as SegmentationWorkerErrorCode, message);
  const FileErrorClass = Object.hasOwn(fileErrors, name) ? fileErrors[name]! : null;
  if (FileErrorClass && code !== undefined && file !== undefined) {
    // FileError puts the file in front of its detail; without a sent `detail`, take it off the message.
    const detail = plain.detail ?? (message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message);
    return new FileErrorClass(code, file, detail);
  }
  const BuiltIn = Object.hasOwn(BUILT_IN_ERRORS, name) ? BUILT_IN_ERRORS[name]! : null;
  if (BuiltIn) return new BuiltIn(message);
  const error = new Error(message);
  error.name = name;
  return error;
}
