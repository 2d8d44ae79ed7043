import { describe, expect, it } from 'vitest';
import { fitGradients } from '../../../../core/model/features/gradient-fit.js';
import { fitShapeOperators } from '../../../../core/model/features/shape-operator-fit.js';
import { seededRandom } from '../../../fixtures/meshes.js';

/** One row of `count` neighbours at random log-map positions within radius 1. */
function randomRow(count: number, seed: number): { offsets: Uint32Array; neighbours: Uint32Array; r: Float64Array; theta: Float64Array } {
  const random = seededRandom(seed);
  const r = Float64Array.from({ length: count }, () => 0.2 + 0.8 * random());
  const theta = Float64Array.from({ length: count }, () => (random() * 2 - 1) * Math.PI);
  // Row 0 is the centre (vertex 0) with neighbours 1 … count; the other rows are empty.
  const offsets = new Uint32Array(count + 2);
  offsets[1] = count;
  for (let i = 2; i < offsets.length; i++) offsets[i] = count;
  return { offsets, neighbours: Uint32Array.from({ length: count }, (_, i) => i + 1), r, theta };
}

function rotated(pair: [number, number], angle: number): [number, number] {
  const c = Math.cos(angle), s = Math.sin(angle);
  return [c * pair[0] - s * pair[1], s * pair[0] + c * pair[1]];
}

describe('fitGradients', () => {
  it('recovers a linear field exactly and rotates by −φ when the frame turns by φ', () => {
    const row = randomRow(12, 3);
    const g: [number, number] = [0.7, -1.3];
    const values = new Float64Array(13);
    values[0] = 2;
    for (let i = 0; i < 12; i++) values[i + 1] = 2 + row.r[i]! * (g[0] * Math.cos(row.theta[i]!) + g[1] * Math.sin(row.theta[i]!));
    const fit = fitGradients(row.offsets, row.neighbours, row.r, row.theta, values);
    expect(fit[0]).toBeCloseTo(g[0], 10);
    expect(fit[1]).toBeCloseTo(g[1], 10);
    for (const phi of [0.4, 2.5, -1.9]) {
      // A frame turned by φ sees every neighbour at θ − φ.
      const turned = fitGradients(row.offsets, row.neighbours, row.r, row.theta.map((t) => t - phi), values);
      const expected = rotated([fit[0]!, fit[1]!], -phi);
      expect(turned[0]).toBeCloseTo(expected[0], 10);
      expect(turned[1]).toBeCloseTo(expected[1], 10);
    }
  });

  it('gives zeros where the neighbours are collinear', () => {
    const offsets = Uint32Array.of(0, 2, 2, 2);
    const fit = fitGradients(offsets, Uint32Array.of(1, 2), Float64Array.of(1, 2), Float64Array.of(0.3, 0.3), Float64Array.of(0, 1, 2));
    expect(Array.from(fit.subarray(0, 2))).toEqual([0, 0]);
  });
});

describe('fitShapeOperators', () => {
  const row = randomRow(14, 5);
  // h = t·u − ½ uᵀ S u with S = [[2, 0.5], [0.5, −1]] and a tilt.
  const S = [2, 0.5, -1], tilt = [0.1, -0.2];
  const heights = Float64Array.from(row.r, (r, i) => {
    const u = r * Math.cos(row.theta[i]!), v = r * Math.sin(row.theta[i]!);
    return tilt[0]! * u + tilt[1]! * v - 0.5 * (S[0]! * u * u + 2 * S[1]! * u * v + S[2]! * v * v);
  });

  it('recovers a quadric with tilt exactly', () => {
    const fit = fitShapeOperators(row.offsets, row.r, row.theta, heights);
    expect(fit[0]).toBeCloseTo(S[0]!, 9);
    expect(fit[1]).toBeCloseTo(S[1]!, 9);
    expect(fit[2]).toBeCloseTo(S[2]!, 9);
  });

  it('keeps H and K and rotates the traceless part by −2φ when the frame turns by φ', () => {
    const fit = fitShapeOperators(row.offsets, row.r, row.theta, heights);
    for (const phi of [0.3, 1.7, -2.6]) {
      const turned = fitShapeOperators(row.offsets, row.r, row.theta.map((t) => t - phi), heights);
      expect(turned[0]! + turned[2]!).toBeCloseTo(fit[0]! + fit[2]!, 9);
      expect(turned[0]! * turned[2]! - turned[1]! ** 2).toBeCloseTo(fit[0]! * fit[2]! - fit[1]! ** 2, 9);
      const expected = rotated([fit[0]! - fit[2]!, 2 * fit[1]!], -2 * phi);
      expect(turned[0]! - turned[2]!).toBeCloseTo(expected[0], 9);
      expect(2 * turned[1]!).toBeCloseTo(expected[1], 9);
    }
  });

  it('fits an isotropic bend to rows of 3 to 5 entries and zeros to fewer', () => {
    const offsets = Uint32Array.of(0, 4, 6, 6, 6, 6, 6);
    const r = Float64Array.of(1, 1, 1, 1, 1, 1), theta = Float64Array.of(0, 1.6, 3.1, -1.5, 0, 1);
    const heights = Float64Array.of(-1.5, -1.5, -1.5, -1.5, -1, -1); // h = −½ κ r² with κ = 3
    const fit = fitShapeOperators(offsets, r, theta, heights);
    expect(fit[0]).toBeCloseTo(3, 9);
    expect(fit[1]).toBe(0);
    expect(fit[2]).toBeCloseTo(3, 9);
    expect(Array.from(fit.subarray(3, 6))).toEqual([0, 0, 0]);
  });
});
