import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { smoothProbabilities } from '../../../core/model/smooth-probabilities.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { permuteVertices, planeGrid } from '../../fixtures/meshes.js';

const n = 30;
const mesh = planeGrid(n, { jitter: 0.2 });
const geometry = computeGaugeGeometry(mesh);
/** The grid's spacing. */
const h = 1 / (n - 1);

/** Two classes split at x = 0.5, the boundary zigzagging by two columns from row to row, 0.9 sure of each vertex. */
function zigzag(): Float32Array {
  const probabilities = new Float32Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const left = j < n / 2 + (i % 2 === 0 ? 2 : -2);
      probabilities[2 * (i * n + j)] = left ? 0.9 : 0.1;
      probabilities[2 * (i * n + j) + 1] = left ? 0.1 : 0.9;
    }
  }
  return probabilities;
}

function argmax(probabilities: Float32Array, classes: number): number[] {
  return Array.from({ length: probabilities.length / classes }, (_, v) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[v * classes + k]! > probabilities[v * classes + best]!) best = k;
    return best;
  });
}

/** Mesh edges whose ends have different labels. */
function boundaryEdges(labels: number[]): number {
  const { offsets, neighbours } = geometry.oneRing;
  let count = 0;
  for (let v = 0; v < labels.length; v++) for (let e = offsets[v]!; e < offsets[v + 1]!; e++) if (neighbours[e]! > v && labels[neighbours[e]!] !== labels[v]) count++;
  return count;
}

describe('smoothProbabilities', () => {
  it('straightens a zigzag boundary and leaves labels away from it alone', () => {
    const before = zigzag();
    const copy = before.slice();
    const after = smoothProbabilities(before, 2, mesh, geometry, (2 * h) ** 2);
    expect(before).toEqual(copy);
    const a = argmax(before, 2), b = argmax(after, 2);
    expect(boundaryEdges(b)).toBeLessThan(0.6 * boundaryEdges(a));
    for (let i = 0; i < n; i++) {
      for (const j of [0, 1, 2, 3, n - 4, n - 3, n - 2, n - 1]) expect(b[i * n + j]).toBe(a[i * n + j]);
    }
  });

  it('keeps rows summing to 1, a constant field constant, and time 0 the identity', () => {
    const random = mulberry32(3);
    const classes = 4;
    const probabilities = new Float32Array(classes * n * n);
    for (let v = 0; v < n * n; v++) {
      const row = Array.from({ length: classes }, () => random());
      const total = row.reduce((s, p) => s + p, 0);
      row.forEach((p, k) => (probabilities[v * classes + k] = p / total));
    }
    const smoothed = smoothProbabilities(probabilities, classes, mesh, geometry, (2 * h) ** 2);
    for (let v = 0; v < n * n; v++) expect(smoothed.subarray(v * classes, v * classes + classes).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
    const constant = new Float32Array(classes * n * n).fill(0.25);
    expect(Array.from(smoothProbabilities(constant, classes, mesh, geometry, (2 * h) ** 2)).every((p) => Math.abs(p - 0.25) < 1e-7)).toBe(true);
    expect(smoothProbabilities(probabilities, classes, mesh, geometry, 0)).toEqual(probabilities);
  });

  it('permutes its output with a vertex permutation', () => {
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 5);
    const before = zigzag();
    const moved = new Float32Array(before.length);
    for (let v = 0; v < n * n; v++) moved.set(before.subarray(2 * v, 2 * v + 2), 2 * newIndexOf[v]!);
    const a = smoothProbabilities(before, 2, mesh, geometry, (2 * h) ** 2);
    const b = smoothProbabilities(moved, 2, permuted, computeGaugeGeometry(permuted), (2 * h) ** 2);
    for (let v = 0; v < n * n; v++) expect(b[2 * newIndexOf[v]!]).toBeCloseTo(a[2 * v]!, 6);
  });

  it('refuses probabilities of another size and a negative time', () => {
    expect(() => smoothProbabilities(new Float32Array(5), 2, mesh, geometry, 1)).toThrow(/expected 900 × 2 probabilities, got 5/);
    expect(() => smoothProbabilities(new Float32Array(1800), 2, mesh, geometry, -1)).toThrow(/time must be 0 or more, got -1/);
  });
});
