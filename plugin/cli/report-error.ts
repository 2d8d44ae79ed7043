import { FileError } from '../../core/mesh/file-error.js';
import { UsageError } from './command.js';

/** Exit codes: 1 for a failed file, 2 for a usage error. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Formats an error as the CLI prints it: `erlangen: <file>: <message> [CODE]`, one line,
 * with the stack only when `verbose` is set. Returns the exit code to use.
 */
export function reportError(error: unknown, verbose: boolean, stderr: (text: string) => void): number {
  if (error instanceof UsageError) {
    stderr(`erlangen: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof FileError) {
    stderr(`erlangen: ${error.message} [${error.code}]\n`);
  } else {
    stderr(`erlangen: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  if (verbose && error instanceof Error && error.stack) stderr(`${error.stack}\n`);
  return EXIT_FAILURE;
}
