/** An error about one file: a stable `code` for programs, a message that names the file for people. */
export class FileError<Code extends string = string> extends Error {
  // Named, so that it comes back as itself across a worker boundary (fromTransferableError).
  override readonly name: string = 'FileError';
  /**
   * @param code stable machine-readable cause.
   * @param file the file (or `<bytes>`) the problem is in.
   * @param detail what is wrong and, where there is one, what to do about it.
   */
  constructor(
    readonly code: Code,
    readonly file: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${detail}`, options);
  }
}
