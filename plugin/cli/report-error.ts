import { FileError } from '../../core/mesh/file-error.js';
import { UsageError } from './command.js';

/** Exit codes: 1 for a failed file, 2 for a usage error. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** What an error line shows. */
export interface ErrorLine {
  /** Starts with the file it is about: `<file>: <message>`. */
  readonly message: string;
  /** Stable cause for programs, printed as `[CODE]`. */
  readonly code?: string;
  /** Printed after the line only with --verbose. */
  readonly stack?: string;
}

/** `erlangen: <file>: <message> [CODE]` and a newline, then the stack when `verbose` and there is one. */
export function formatError(error: ErrorLine, verbose: boolean): string {
  const line = `erlangen: ${error.message}${error.code ? ` [${error.code}]` : ''}\n`;
  return verbose && error.stack ? `${line}${error.stack}\n` : line;
}

/**
 * Formats an error as the CLI prints it: `erlangen: <file>: <message> [CODE]`, one line,
 * with the stack only when `verbose` is set. Returns the exit code to use.
 */
export function reportError(error: unknown, verbose: boolean, stderr: (text: string) => void): number {
  if (error instanceof UsageError) {
    stderr(`erlangen: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr(formatError({ message, code: errorCode(error), stack: error instanceof Error ? error.stack : undefined }, verbose));
  return EXIT_FAILURE;
}

// A FileError's code, or any error's own code in capitals (Node's ENOENT, ERR_…); none otherwise.
function errorCode(error: unknown): string | undefined {
  if (error instanceof FileError) return error.code;
  const own = (error as { code?: unknown } | null)?.code;
  return typeof own === 'string' && /^[A-Z][A-Z0-9_]*$/.test(own) ? own : undefined;
}
