import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMesh } from '../../core/mesh/load-mesh.js';
import { mulberry32 } from '../../core/mesh/seeded-random.js';
import { decodeModel, type Model } from '../../core/model/model.js';
import { Network } from '../../core/model/network.js';
import { prepareNetworkInput, type NetworkInput } from '../../core/model/network-input.js';
import { labelsFromLogits } from '../../core/model/predict.js';
import { changeGauge, randomGauge } from '../../core/model/random-gauge.js';
import { planSiteChunks, chunkCount } from '../../shaders/site-chunks.js';
import type { WebGpuBackend } from '../../shaders/index.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from '../core/model/network-fixtures.js';
import { describeGpu, relativeError, testBackend } from './webgpu-fixture.js';

// f32 on the GPU against a cpu that accumulates each layer in f64, through ~30 layers: the bound.
// Software WebGPU compiles every kernel on first use (~30 s here), hence the long timeouts.
const LOGIT_TOLERANCE = 1e-4;
// Two logits closer than this are a tie: f32 rounding may order them either way.
const TIE_MARGIN = 1e-4;

/** Vertices whose labels differ although the cpu's top two logits are not tied. */
function untiedLabelMismatches(cpuLogits: Float32Array, cpuLabels: Uint32Array, gpuLabels: Uint32Array, classes: number): number {
  let mismatches = 0;
  for (let v = 0; v < cpuLabels.length; v++) {
    if (cpuLabels[v] === gpuLabels[v]) continue;
    const row = cpuLogits.subarray(v * classes, v * classes + classes);
    const gap = row[cpuLabels[v]!]! - row[gpuLabels[v]!]!;
    if (gap > TIE_MARGIN * Math.max(1, Math.abs(row[cpuLabels[v]!]!))) mismatches++;
  }
  return mismatches;
}

describeGpu('WebGPU backend: the whole network against the cpu', () => {
  let backend: WebGpuBackend;
  let model: Model;
  let body: NetworkInput;
  beforeAll(async () => {
    backend = await testBackend();
    const file = 'samples/models/human-parts.erlm';
    model = decodeModel(new Uint8Array(readFileSync(file)), file);
    body = prepareNetworkInput(await loadMesh('samples/scans/smpl-human/human_man.obj'), model.preprocessing);
  }, 60_000);
  afterAll(() => backend?.dispose());

  it('names its adapter and knows SwiftShader for a software one', () => {
    expect(backend.adapterDescription.length).toBeGreaterThan(0);
    expect(backend.softwareAdapter).toBe(/swiftshader/i.test(backend.adapterDescription));
  });

  it('gives the bundled model\'s logits on the 6890-vertex SMPL body within 1e-4, and the same labels except at ties', async () => {
    const cpu = model.network.forward(model.parameters, body).logits;
    const cpuPrediction = labelsFromLogits(cpu, model.architecture.classes);
    const gpu = await backend.predict(model.network, model.parameters, body);
    expect(gpu.logits.length).toBe(cpu.length);
    expect(relativeError(cpu, gpu.logits)).toBeLessThan(LOGIT_TOLERANCE);
    expect(untiedLabelMismatches(cpu, cpuPrediction.labels, gpu.labels, model.architecture.classes)).toBe(0);
    // Softmax of f32 logits that agree to 1e-4.
    expect(relativeError(cpuPrediction.confidences, gpu.confidences)).toBeLessThan(1e-3);
  }, 180_000);

  it('is gauge equivariant: a random gauge at every vertex leaves the logits unchanged to 1e-4 (N = 64, ReLU)', async () => {
    // As the cpu test: the regular nonlinearity is exact only for rotations by multiples of 2π/N; at N = 64 its aliasing is below 1e-4.
    const input = prepareNetworkInput(bumpySphere(3), SMALL_PREPROCESSING);
    const network = new Network(smallArchitecture(64), input.featureShape);
    const parameters = new Float32Array(network.parameterCount);
    network.initialise(parameters, mulberry32(3));
    const a = await backend.predict(network, parameters, input);
    const b = await backend.predict(network, parameters, changeGauge(input, randomGauge(input.meshVertexCount, mulberry32(9))));
    expect(relativeError(a.logits, b.logits)).toBeLessThan(1e-4);
    expect(relativeError(network.forward(parameters, input).logits, a.logits)).toBeLessThan(LOGIT_TOLERANCE);
  }, 120_000);

  it('gives the cpu\'s logits when every vertex set is split across many small bindings', async () => {
    const bindingBytes = 128 * 1024;
    // The premise: the mesh, its output neighbourhood and level 1 each need several bindings at this size.
    expect(chunkCount(planSiteChunks(body.meshVertexCount, 16 * 4, bindingBytes))).toBeGreaterThan(2);
    expect(chunkCount(planSiteChunks(body.levels[0]!.vertices.length, 24 * 5 * 4, bindingBytes))).toBeGreaterThan(2);
    const tiled = await testBackend({ maxBindingBytes: bindingBytes });
    try {
      const cpu = model.network.forward(model.parameters, body).logits;
      const gpu = await tiled.predict(model.network, model.parameters, body);
      expect(relativeError(cpu, gpu.logits)).toBeLessThan(LOGIT_TOLERANCE);
      expect(gpu.labels).toEqual(labelsFromLogits(gpu.logits, model.architecture.classes).labels);
    } finally {
      tiled.dispose();
    }
  }, 240_000);
});
