/** One `erlangen` sub-command: the CLI is a thin layer over the same functions a script calls. */
export interface Command {
  /** The word after `erlangen`. */
  readonly name: string;
  /** One line for `erlangen --help`. */
  readonly summary: string;
  /** Full `--help` text, with at least one example. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Where a command writes, so tests can capture it. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** `--verbose` was given: a command that reports errors itself (one per file) adds their stack traces. */
  readonly verbose?: boolean;
}

/** A mistake in how the command was called: reported with usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
