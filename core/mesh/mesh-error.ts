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
export class MeshError extends Error {
  override readonly name = 'MeshError';

  /**
   * @param code stable machine-readable cause.
   * @param file the file (or `<bytes>`) the problem is in.
   * @param detail what is wrong and, where there is one, what to do about it.
   */
  constructor(
    readonly code: MeshErrorCode,
    readonly file: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${detail}`, options);
  }
}
