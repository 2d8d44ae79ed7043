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
  readonly stack?: string;
}

/** `error` as a plain object that keeps its `name`, `code` and `file` through postMessage (comlink keeps only the message). */
export function toTransferableError(error: unknown): TransferableError {
  if (error instanceof Error) {
    const { code, file } = error as { code?: unknown; file?: unknown };
    return {
      transferableError: true,
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof file === 'string' ? { file } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { transferableError: true, name: 'Error', message: String(error) };
}

/** The Error a {@link TransferableError} stood for, with `name`, `code` and `file` restored; anything else unchanged. */
export function fromTransferableError(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !(value as TransferableError).transferableError) return value;
  const plain = value as TransferableError;
  if (plain.name === 'SegmentationWorkerError' && plain.code) return new SegmentationWorkerError(plain.code as SegmentationWorkerErrorCode, plain.message);
  const error = new Error(plain.message) as Error & { code?: string; file?: string };
  error.name = plain.name;
  if (plain.code !== undefined) error.code = plain.code;
  if (plain.file !== undefined) error.file = plain.file;
  if (plain.stack !== undefined) error.stack = plain.stack;
  return error;
}
