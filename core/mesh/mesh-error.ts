import { FileError } from './file-error.js';

/** Why a mesh could not be loaded or used. Codes are stable: scripts and reports match on them. */
export type MeshErrorCode =
  | 'EMPTY'
  | 'TRUNCATED'
  | 'PARSE'
  | 'UNSUPPORTED_FORMAT'
  | 'NAN_POSITION'
  | 'INDEX_OUT_OF_RANGE'
  | 'NOT_TRIANGLES'
  | 'NO_TRIANGLES'
  | 'TOO_MANY_VERTICES'
  | 'NON_MANIFOLD_EDGE'
  | 'DEGENERATE'
  | 'IO';

/** A typed error for bad input: `code` for programs, `message` (naming the file) for people. */
export class MeshError extends FileError<MeshErrorCode> {
  override readonly name = 'MeshError';
}
