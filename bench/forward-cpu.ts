import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import { computeGaugeGeometry } from '../core/geometry/compute-gauge-geometry.js';
import { decodeModel } from '../core/model/model.js';
import { prepareNetworkInput } from '../core/model/network-input.js';
import { predictInput, predictMesh } from '../core/model/predict.js';
import { medianMs, printLine, steadyMs } from './timing.js';

// The peer cannot run in this process (PyTorch); its times are the measurements on this
// machine class, one thread, and are labelled as quoted.
const PEER = 'pytorch-gem-cnn (quoted)';
// Back-to-back runs per figure (steadyMs): a batch's throughput, its garbage collections included.
const RUNS = 8;
/** The two meshes the cpu benchmarks time, with the quoted peer time of each. */
export const MESHES = [
  { name: 'smpl-body-6890', path: 'samples/scans/smpl-human/human_man.obj', peerMs: 520 },
  { name: 'nefertiti-35k', path: '../shared/data/scans/nefertiti/nefertiti-lowres.obj', peerMs: 4700 },
];

/** Geometry + features + forward pass of the bundled model, one thread, in vertices per second at a batch's steady state. */
export async function benchForwardCpu(): Promise<void> {
  const modelFile = 'samples/models/human-parts.erlm';
  const model = decodeModel(new Uint8Array(await readFile(modelFile)), modelFile);
  for (const { name, path, peerMs } of MESHES) {
    if (!existsSync(path)) {
      process.stderr.write(`bench forward-cpu: ${path} not found, skipping ${name}\n`);
      continue;
    }
    const mesh = await loadMesh(path);
    const vertices = mesh.positions.length / 3;
    const endToEnd = steadyMs(() => predictMesh(model, mesh), RUNS);
    const geometry = steadyMs(() => computeGaugeGeometry(mesh), RUNS);
    const gauge = computeGaugeGeometry(mesh);
    const prepare = steadyMs(() => prepareNetworkInput(mesh, model.preprocessing, gauge), RUNS);
    const input = prepareNetworkInput(mesh, model.preprocessing, gauge);
    const forward = steadyMs(() => predictInput(model.network, model.parameters, input), RUNS);
    // The figure earlier commits printed: median of 5 runs, each after a forced collection.
    const endToEndAfterGc = medianMs(() => predictMesh(model, mesh), 5);
    printLine({
      case: `forward-cpu/${name}`,
      ours_ms: endToEnd,
      peer: PEER,
      peer_ms: peerMs,
      ratio: endToEnd / peerMs,
      vertices,
      vertices_per_s: Math.round((vertices / endToEnd) * 1000),
      geometry_ms: geometry,
      hierarchy_features_ms: prepare,
      forward_ms: forward,
      after_forced_gc_ms: Math.round(endToEndAfterGc * 10) / 10,
    });
  }
}
