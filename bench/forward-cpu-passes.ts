import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import { decodeModel } from '../core/model/model.js';
import { predictMesh } from '../core/model/predict.js';
import { MESHES } from './forward-cpu.js';
import { interleavedMedians, printLine } from './timing.js';

/** The viewer's accurate quality (`--passes 4`) and one smoothed pass (`--smooth 1`). */
const SETTINGS = [
  { label: 'passes-4', options: { passes: 4, smoothing: 0 } },
  { label: 'smooth-1', options: { passes: 1, smoothing: 1 } },
];

/** What `--passes 4` and `--smooth 1` cost: predictMesh with each against one plain pass, same process, alternating. */
export async function benchForwardCpuPasses(): Promise<void> {
  const modelFile = 'samples/models/human-parts.erlm';
  const model = decodeModel(new Uint8Array(await readFile(modelFile)), modelFile);
  for (const { name, path } of MESHES) {
    if (!existsSync(path)) {
      process.stderr.write(`bench forward-cpu-passes: ${path} not found, skipping ${name}\n`);
      continue;
    }
    const mesh = await loadMesh(path);
    for (const { label, options } of SETTINGS) {
      const times = await interleavedMedians(() => predictMesh(model, mesh, undefined, options), () => predictMesh(model, mesh), 5);
      printLine({
        case: `forward-cpu-passes/${name}/${label}`,
        ours_ms: times.ours,
        peer: 'one pass, no smoothing (same process)',
        peer_ms: times.peer,
        ratio: times.ours / times.peer,
        ...options,
        vertices_per_s: Math.round((mesh.positions.length / 3 / times.ours) * 1000),
      });
    }
  }
}
