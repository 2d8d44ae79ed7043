import type { Command, CommandIO } from './command.js';
import { reportError, EXIT_USAGE } from './report-error.js';
import { evalCommand } from './commands/eval.js';
import { exportOnnxCommand } from './commands/export-onnx.js';
import { infoCommand } from './commands/info.js';
import { segmentCommand } from './commands/segment.js';
import { trainCommand } from './commands/train.js';

/** Every sub-command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [infoCommand, segmentCommand, evalCommand, trainCommand, exportOnnxCommand];

const MAIN_HELP = `erlangen: per-vertex segmentation of 3D scans with gauge-equivariant mesh CNNs

Usage: erlangen <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(12)} ${command.summary}`).join('\n')}

Options:
  -h, --help     show help (also after a command: erlangen info --help)
  --verbose      show stack traces of errors

Example:
  erlangen info samples/scans/smpl-human/human_man.obj
`;

/** Runs the CLI with `args` (without `node` and the script) and resolves to the exit code. */
export async function main(args: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`erlangen: unknown command '${name}'\n\n${MAIN_HELP}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  const verbose = rest.includes('--verbose');
  try {
    return await command.run(rest.filter((arg) => arg !== '--verbose'), { ...io, verbose });
  } catch (error) {
    const code = reportError(error, verbose, io.stderr);
    if (code === EXIT_USAGE) io.stderr(`\n${command.help}`);
    return code;
  }
}
