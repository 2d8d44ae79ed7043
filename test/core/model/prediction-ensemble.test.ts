import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { createModel } from '../../../core/model/model.js';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { predictionOptions, smoothingTime } from '../../../core/model/prediction-ensemble.js';
import { labelsFromLogits, predictInput, predictMesh } from '../../../core/model/predict.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { permuteVertices, randomSimilarity } from '../../fixtures/meshes.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from './network-fixtures.js';

const mesh = bumpySphere(3);
const geometry = computeGaugeGeometry(mesh);
const input = prepareNetworkInput(mesh, SMALL_PREPROCESSING, geometry);
const model = createModel(smallArchitecture(12, 'silu'), SMALL_PREPROCESSING, input.featureShape, ['a', 'b', 'c', 'd', 'e'], mulberry32(4));
const classes = 5;

/** Softmax of each row, in float64. */
function softmax(logits: Float32Array): Float64Array {
  const out = new Float64Array(logits.length);
  for (let v = 0; v < logits.length / classes; v++) {
    const row = Array.from(logits.subarray(v * classes, v * classes + classes));
    const largest = Math.max(...row);
    const total = row.reduce((s, x) => s + Math.exp(x - largest), 0);
    row.forEach((x, k) => (out[v * classes + k] = Math.exp(x - largest) / total));
  }
  return out;
}

describe('predictMesh with passes and smoothing', () => {
  it('is the plain forward pass with the defaults, bit for bit', () => {
    const plain = predictInput(model.network, model.parameters, input);
    expect(predictMesh(model, mesh, geometry)).toEqual(plain);
    expect(predictMesh(model, mesh, geometry, { passes: 1, smoothing: 0 })).toEqual(plain);
  });

  it('labels each vertex by the mean probability of passes over samplings 0, 1, 2', () => {
    const mean = new Float64Array(input.meshVertexCount * classes);
    for (let pass = 0; pass < 3; pass++) {
      const probabilities = softmax(model.network.forward(model.parameters, prepareNetworkInput(mesh, SMALL_PREPROCESSING, geometry, pass)).logits);
      for (let i = 0; i < mean.length; i++) mean[i] += probabilities[i]! / 3;
    }
    const prediction = predictMesh(model, mesh, geometry, { passes: 3 });
    const expected = labelsFromLogits(Float32Array.from(mean, Math.log), classes);
    expect(prediction.labels).toEqual(expected.labels);
    for (let v = 0; v < input.meshVertexCount; v++) expect(prediction.confidences[v]).toBeCloseTo(mean[v * classes + expected.labels[v]!]!, 6);
    // The samplings differ, so the mean is not one pass's answer.
    const first = softmax(model.network.forward(model.parameters, input).logits);
    expect(Math.max(...mean.map((p, i) => Math.abs(p - first[i]!)))).toBeGreaterThan(1e-3);
  });

  it('gives the same labels after a rigid motion and uniform scale, and permuted labels after a vertex permutation', () => {
    const options = { passes: 3, smoothing: 1 };
    const a = predictMesh(model, mesh, geometry, options).labels;
    const moved = randomSimilarity(5).apply(mesh);
    const b = predictMesh(model, moved, undefined, options).labels;
    expect(b).toEqual(a);
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 4);
    const c = predictMesh(model, permuted, undefined, options).labels;
    expect(Uint32Array.from(newIndexOf, (v) => c[v]!)).toEqual(a);
  });

  it('smooths for a heat-flow time in squared level-1 spacings', () => {
    expect(smoothingTime({ spacingFraction: 0.02 }, 2, 1)).toBeCloseTo(0.0008, 12);
    expect(smoothingTime({ spacingFraction: 0.02 }, 2, 0.5)).toBeCloseTo(0.0004, 12);
    expect(smoothingTime({ spacingFraction: 0.02 }, 2, 0)).toBe(0);
    const smoothed = predictMesh(model, mesh, geometry, { smoothing: 2 });
    expect(smoothed.labels).not.toEqual(predictInput(model.network, model.parameters, input).labels);
  });

  it('refuses passes that are not a whole number from 1 to 64 and smoothing out of 0 to 16', () => {
    for (const passes of [0, 1.5, 65, NaN]) expect(() => predictionOptions({ passes })).toThrow(/passes must be a whole number from 1 to 64/);
    for (const smoothing of [-1, 17, NaN]) expect(() => predictionOptions({ smoothing })).toThrow(/smoothing must be a number from 0 to 16/);
    expect(() => predictMesh(model, mesh, geometry, { passes: 0 })).toThrow(RangeError);
  });
});
