import { FileError } from '../mesh/file-error.js';

/** Why a model file could not be read. Codes are stable: scripts and reports match on them. */
export type ModelFileErrorCode =
  /** The bytes do not start with the `ERLANGEN` magic (a glTF, a mesh, some other file). */
  | 'NOT_A_MODEL'
  /** Written by a newer erlangen, in a file version this one cannot read. */
  | 'UNSUPPORTED_VERSION'
  /** The file ends before the sizes its header announces. */
  | 'TRUNCATED'
  /** The checksum does not match: the bytes were changed after writing. */
  | 'CORRUPT'
  /** The checksum matches but the content is not a valid model (missing field, bad value). */
  | 'INVALID';

/** A typed error for a bad model file: `code` for programs, `message` (naming the file) for people. */
export class ModelFileError extends FileError<ModelFileErrorCode> {
  override readonly name = 'ModelFileError';
}
