import { describe, expect, it } from 'vitest';
import { Network } from '../../../core/model/network.js';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { changeGauge, randomGauge } from '../../../core/model/random-gauge.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { permuteVertices, randomSimilarity } from '../../fixtures/meshes.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from './network-fixtures.js';

const mesh = bumpySphere(3);
const input = prepareNetworkInput(mesh, SMALL_PREPROCESSING);

function networkWith(samples: number, seed = 3): { network: Network; parameters: Float32Array } {
  const network = new Network(smallArchitecture(samples), input.featureShape);
  const parameters = new Float32Array(network.parameterCount);
  network.initialise(parameters, mulberry32(seed));
  return { network, parameters };
}

/** max |a − b| / max |a|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / scale;
}

describe('Network', () => {
  it('uses levels 1–3 of the hierarchy and gives logits for every mesh vertex', () => {
    const { network, parameters } = networkWith(12);
    expect(input.levels.map((l) => l.vertices.length)).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(input.levels[0]!.vertices.length).toBeLessThan(mesh.positions.length / 3);
    const { logits } = network.forward(parameters, input);
    expect(logits.length).toBe((mesh.positions.length / 3) * 5);
    expect(logits.every(Number.isFinite)).toBe(true);
  });

  it('gives the same logits in a random gauge at every vertex, to 1e-4 relative, with N = 64 samples', () => {
    // The regular nonlinearity is exact only for rotations by multiples of 2π/N; at N = 64 its aliasing is below 1e-4 here.
    const { network, parameters } = networkWith(64);
    const a = network.forward(parameters, input).logits;
    const b = network.forward(parameters, changeGauge(input, randomGauge(input.meshVertexCount, mulberry32(9)))).logits;
    expect(relativeError(a, b)).toBeLessThan(1e-4);
  });

  it('gives the same labels after a rigid motion and uniform scale of the input', () => {
    const { network, parameters } = networkWith(12);
    const moved = randomSimilarity(5).apply(mesh);
    const a = network.forward(parameters, input).logits;
    const b = network.forward(parameters, prepareNetworkInput(moved, SMALL_PREPROCESSING)).logits;
    // Frames are chosen anew on the moved mesh, so this also changes the gauge: N = 12 aliasing stays below 1e-2.
    expect(relativeError(a, b)).toBeLessThan(1e-2);
    expect(argmax(b, 5)).toEqual(argmax(a, 5));
  });

  it('permutes its output with a vertex permutation', () => {
    const { network, parameters } = networkWith(12);
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 4);
    const a = network.forward(parameters, input).logits;
    const b = network.forward(parameters, prepareNetworkInput(permuted, SMALL_PREPROCESSING)).logits;
    const mapped = new Float32Array(a.length);
    for (let v = 0; v < newIndexOf.length; v++) mapped.set(b.subarray(newIndexOf[v]! * 5, newIndexOf[v]! * 5 + 5), v * 5);
    expect(relativeError(a, mapped)).toBeLessThan(1e-4);
  });

  it('has parameter gradients that match central finite differences along random directions', () => {
    const { network, parameters } = networkWith(12);
    const random = mulberry32(21);
    const weights = Float32Array.from({ length: input.meshVertexCount * 5 }, () => random() - 0.5);
    const loss = (p: Float32Array) => {
      const { logits } = network.forward(p, input);
      let sum = 0;
      for (let i = 0; i < logits.length; i++) sum += logits[i]! * weights[i]!;
      return sum;
    };
    const gradients = new Float32Array(network.parameterCount);
    network.backward(parameters, network.forward(parameters, input), weights, gradients);
    for (let trial = 0; trial < 4; trial++) {
      const direction = Float32Array.from({ length: parameters.length }, () => random() - 0.5);
      // Each layer's gradients are checked tightly on its own; through the whole float32 network, ReLU kinks
      // crossed by the step and float32 rounding of the activations leave up to about 0.5% here (measured at h = 1e-2 … 1e-4).
      const h = 3e-4;
      const plus = parameters.map((p, i) => p + h * direction[i]!);
      const minus = parameters.map((p, i) => p - h * direction[i]!);
      const numeric = (loss(plus) - loss(minus)) / (2 * h);
      let analytic = 0;
      let magnitude = 0;
      for (let i = 0; i < parameters.length; i++) {
        analytic += gradients[i]! * direction[i]!;
        magnitude += Math.abs(gradients[i]! * direction[i]!);
      }
      // Relative to Σ|g_i d_i|: the signed sum can cancel to near zero.
      expect(Math.abs(numeric - analytic) / magnitude).toBeLessThan(1e-2);
    }
  });

  it('rejects a parameter vector or input of the wrong size', () => {
    const { network, parameters } = networkWith(12);
    expect(() => network.forward(parameters.subarray(1), input)).toThrow(/expected \d+ parameters/);
    expect(() => network.forward(parameters, { ...input, featureShape: { channels: 3, maxOrder: 2 } })).toThrow(/input features/);
  });
});

function argmax(logits: Float32Array, classes: number): number[] {
  const labels: number[] = [];
  for (let v = 0; v < logits.length / classes; v++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[v * classes + k]! > logits[v * classes + best]!) best = k;
    labels.push(best);
  }
  return labels;
}
