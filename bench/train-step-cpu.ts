import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import { mulberry32 } from '../core/mesh/seeded-random.js';
import { decodeModel } from '../core/model/model.js';
import { prepareNetworkInput } from '../core/model/network-input.js';
import { labelsOfMeshVertices } from '../core/model/predict.js';
import { sampleGradients } from '../core/model/sample-gradients.js';
import { medianMs, printLine, steadyMs } from './timing.js';

// The PyTorch GEM-CNN cannot run in this process; 1.4 s per 6890-vertex step is the measurement on this machine class.
const PEER = 'pytorch-gem-cnn (quoted)';
const PEER_MS = 1400;

/**
 * One training step (random gauge, forward, loss, backward) of the bundled model's network on the
 * SMPL body, one thread, as training runs them: back to back (steadyMs), collections included.
 */
export async function benchTrainStepCpu(): Promise<void> {
  const modelFile = 'samples/models/human-parts.erlm';
  const model = decodeModel(new Uint8Array(await readFile(modelFile)), modelFile);
  const stem = 'samples/scans/smpl-human/human_man';
  const mesh = await loadMesh(`${stem}.obj`);
  const fileLabels = Uint32Array.from((await readFile(`${stem}.labels.txt`, 'utf8')).trim().split(/\s+/).map(Number));
  const sample = { input: prepareNetworkInput(mesh, model.preprocessing), labels: Uint8Array.from(labelsOfMeshVertices(mesh, fileLabels)) };
  const gradients = new Float32Array(model.parameters.length);
  const random = mulberry32(1);
  const step = () => sampleGradients(model.network, model.parameters, sample, gradients, random);
  const ms = steadyMs(step, 8);
  // The figure earlier commits printed: median of 5 steps, each after a forced collection (see steadyMs on why that is slower).
  const afterGc = medianMs(step, 5);
  printLine({
    case: 'train-step-cpu/smpl-body-6890', ours_ms: ms, peer: PEER, peer_ms: PEER_MS, ratio: ms / PEER_MS, vertices: sample.input.meshVertexCount,
    after_forced_gc_ms: Math.round(afterGc * 10) / 10,
  });
}
