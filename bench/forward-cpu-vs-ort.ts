import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import { refineMesh } from '../core/mesh/refine-mesh.js';
import type { Mesh } from '../core/mesh/mesh.js';
import { decodeModel } from '../core/model/model.js';
import { prepareNetworkInput } from '../core/model/network-input.js';
import { exportOnnx } from '../plugin/onnx/export-onnx.js';
import { onnxFeeds } from '../plugin/onnx/onnx-feeds.js';
import { loadOnnxRuntime, type OrtTensor } from '../plugin/onnx/onnx-runtime.js';
import { interleavedMedians, medianMs, printLine } from './timing.js';
import { relativeError } from './relative-error.js';

const PEER = 'onnxruntime-node cpu (1 thread)';
const MODEL = 'samples/models/human-parts.erlm';
const BODY = 'samples/scans/smpl-human/human_man.obj';

/**
 * Case `forward-cpu-vs-ort`: the bundled model's forward pass on the same prepared input, our cpu
 * backend (network.forward) against the exported graph on onnxruntime-node's CPU provider, both
 * on one thread (intraOpNumThreads = interOpNumThreads = 1), on the 6890-vertex SMPL body and
 * the body refined twice (~110k vertices). Preparation (geometry, hierarchy, features) is shared
 * and not timed; feeds_ms is the extra cost of turning the input into onnxruntime tensors. Runs of
 * the two sides alternate. ratio = ours_ms / peer_ms (below 1: ours is faster).
 */
export async function benchForwardCpuVsOrt(): Promise<void> {
  const model = decodeModel(new Uint8Array(await readFile(MODEL)), MODEL);
  const ort = await loadOnnxRuntime('node');
  const session = await ort.InferenceSession.create(exportOnnx(model), { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  const body = await loadMesh(BODY);
  const meshes: { name: string; mesh: Mesh; repeats: number }[] = [
    { name: 'smpl-body-6890', mesh: body, repeats: 7 },
    { name: 'smpl-refined-110k', mesh: refineMesh(body, { levels: 2 }).mesh, repeats: 5 },
  ];
  for (const { name, mesh, repeats } of meshes) {
    const input = prepareNetworkInput(mesh, model.preprocessing);
    const tensors = (): Record<string, OrtTensor> => {
      const feeds: Record<string, OrtTensor> = {};
      for (const [key, t] of Object.entries(onnxFeeds(input, model.architecture, model.featureShape))) feeds[key] = new ort.Tensor(t.type, t.data, t.dims);
      return feeds;
    };
    const feeds = tensors();
    const { ours, peer } = await interleavedMedians(() => model.network.forward(model.parameters, input), () => session.run(feeds), repeats);
    const feedsMs = medianMs(tensors, repeats);
    const logits = (await session.run(feeds)).logits!.data as Float32Array;
    printLine({
      case: `forward-cpu-vs-ort/${name}`,
      ours_ms: ours,
      peer: PEER,
      peer_ms: peer,
      ratio: ours / peer,
      vertices: input.meshVertexCount,
      threads: 1,
      feeds_ms: Math.round(feedsMs * 10) / 10,
      max_relative_logit_error: Number(relativeError(logits, model.network.forward(model.parameters, input).logits).toExponential(2)),
    });
  }
  await session.release();
}
