import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import { labelsOfSourceVertices, predictMesh } from '../../../core/model/predict.js';
import { UsageError, type Command } from '../command.js';
import { loadModelFile } from '../load-model.js';
import { reportError } from '../report-error.js';
import { writeFileAtomic } from '../write-file-atomic.js';

const HELP = `Usage: erlangen segment <file…> -o <dir> [--model <file>]

Segments scans (glTF/GLB, OBJ, PLY, OFF) per vertex and writes <dir>/<stem>.labels.txt for each:
one class id per vertex of the file, in the file's own vertex order. A bad file is reported and
the others go on; the exit code is 1 if any failed.

Options:
  -o, --out <dir>   output folder (created if missing)
  --model <file>    model file (default: the bundled body-part model)

Example:
  erlangen segment samples/scans/smpl-human/human_man.obj -o labeled/
`;

/** `erlangen segment`: per-vertex labels of each file as a text file (the batch issue adds glTF output). */
export const segmentCommand: Command = {
  name: 'segment',
  summary: 'label every vertex of scans with a model',
  help: HELP,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { out: { type: 'string', short: 'o' }, model: { type: 'string' } }, allowPositionals: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const files = parsed.positionals;
    const out = parsed.values.out;
    if (files.length === 0) throw new UsageError('segment needs at least one file');
    if (!out) throw new UsageError('segment needs -o <dir>');
    const model = await loadModelFile(parsed.values.model);
    await mkdir(out, { recursive: true });
    let failed = 0;
    for (const file of files) {
      try {
        const mesh = await loadMesh(file);
        const labels = labelsOfSourceVertices(mesh, predictMesh(model, mesh).labels);
        const target = join(out, `${basename(file, extname(file))}.labels.txt`);
        await writeFileAtomic(target, `${Array.from(labels).join('\n')}\n`);
        io.stdout(`${file} → ${target}: ${summarise(labels, model.labels)}\n`);
      } catch (error) {
        reportError(error, false, io.stderr);
        failed++;
      }
    }
    return failed > 0 ? 1 : 0;
  },
};

/** "6890 vertices: head 1032, hand 620, …" in label order, classes with no vertex left out. */
function summarise(labels: Uint32Array, names: readonly string[]): string {
  const counts = new Uint32Array(names.length);
  for (const label of labels) counts[label]!++;
  const parts = names.map((name, k) => [name, counts[k]!] as const).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`);
  return `${labels.length} vertices: ${parts.join(', ')}`;
}
