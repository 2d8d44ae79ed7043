import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import { decodeModel } from '../core/model/model.js';
import { predictMesh } from '../core/model/predict.js';
import { MESHES } from './forward-cpu.js';
import { interleavedMedians, printLine } from './timing.js';

const OPTIONS = { passes: 4, smoothing: 1 };

/** What `--passes 4 --smooth 1` costs: predictMesh with them against one plain pass, same process, alternating. */
export async function benchForwardCpuPasses(): Promise<void> {
  const modelFile = 'samples/models/human-parts.erlm';
  const model = decodeModel(new Uint8Array(await readFile(modelFile)), modelFile);
  for (const { name, path } of MESHES) {
    if (!existsSync(path)) {
      process.stderr.write(`bench forward-cpu-passes: ${path} not found, skipping ${name}\n`);
      continue;
    }
    const mesh = await loadMesh(path);
    const times = await interleavedMedians(() => predictMesh(model, mesh, undefined, OPTIONS), () => predictMesh(model, mesh), 5);
    printLine({
      case: `forward-cpu-passes/${name}`,
      ours_ms: times.ours,
      peer: 'one pass, no smoothing (same process)',
      peer_ms: times.peer,
      ratio: times.ours / times.peer,
      passes: OPTIONS.passes,
      smoothing: OPTIONS.smoothing,
      vertices_per_s: Math.round((mesh.positions.length / 3 / times.ours) * 1000),
    });
  }
}
