import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
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

/** A flat strip x ∈ [0, 1], y ∈ [0, 0.1], its columns 3× closer on the left half than on the right. */
function unevenStrip(): Mesh {
  const columns = [...Array.from({ length: 60 }, (_, j) => j / 120), ...Array.from({ length: 21 }, (_, j) => 0.5 + j / 40)];
  const rows = 5;
  const positions: number[] = [];
  for (let i = 0; i < rows; i++) for (const x of columns) positions.push(x, i / 40, 0);
  const triangles: number[] = [];
  const width = columns.length;
  for (let i = 0; i < rows - 1; i++) {
    for (let j = 0; j < width - 1; j++) {
      const a = i * width + j;
      triangles.push(a, a + 1, a + width + 1, a, a + width + 1, a + width);
    }
  }
  return { file: 'uneven-strip', positions: Float64Array.from(positions), triangles: Uint32Array.from(triangles), sourceToMesh: Uint32Array.from({ length: positions.length / 3 }, (_, i) => i), repairs: [] };
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

  it('follows the continuous solution, however unevenly the surface is meshed', () => {
    // A step at x = 0.5 after (1 − T Δ) u = u₀ on a line: u = 1 − e^(−|x − 0.5| / √T) / 2 on the step's side, e^(…) / 2 on the other.
    const strip = unevenStrip();
    const stripGeometry = computeGaugeGeometry(strip);
    const count = stripGeometry.vertexCount, time = 0.1 ** 2;
    const step = new Float32Array(2 * count);
    for (let v = 0; v < count; v++) {
      const x = strip.positions[3 * v]!;
      step[2 * v] = x < 0.5 ? 1 : x > 0.5 ? 0 : 0.5;
      step[2 * v + 1] = 1 - step[2 * v]!;
    }
    const smoothed = smoothProbabilities(step, 2, strip, stripGeometry, time);
    let largestError = 0, crossing = NaN;
    for (let v = 0; v < count; v++) {
      const x = strip.positions[3 * v]!;
      const tail = Math.exp(-Math.abs(x - 0.5) / Math.sqrt(time)) / 2;
      largestError = Math.max(largestError, Math.abs(smoothed[2 * v]! - (x <= 0.5 ? 1 - tail : tail)));
      // The first row's vertices are the columns in order: where class 0 drops below 1/2.
      const next = v + 1;
      if (strip.positions[3 * next + 1] === 0 && smoothed[2 * v]! >= 0.5 && smoothed[2 * next]! < 0.5) {
        crossing = x + ((smoothed[2 * v]! - 0.5) / (smoothed[2 * v]! - smoothed[2 * next]!)) * (strip.positions[3 * next]! - x);
      }
    }
    // 0.019 measured: the coarse side's spacing is 0.25 √T, and the ends 5 √T away add e⁻⁵ / 2. 1-ring averaging: 0.38.
    expect(largestError).toBeLessThan(0.03);
    // Measured 0.504, 0.4 of a coarse spacing; 1-ring averaging moves it to 0.470, into the finely meshed half.
    expect(Math.abs(crossing - 0.5)).toBeLessThan(0.01);
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
