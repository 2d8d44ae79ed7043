import { expect } from 'vitest';
import type { ConvNeighbourhood } from '../../../../core/model/layers/conv-neighbourhood.js';
import { seededRandom } from '../../../fixtures/meshes.js';

export { seededRandom };

/** Uniform floats in [−scale, scale). */
export function randomArray(length: number, random: () => number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * random() - 1) * scale;
  return out;
}

/** Random angles in [−π, π). */
export function randomAngles(count: number, random: () => number): Float32Array {
  return randomArray(count, random, Math.PI);
}

/** A random neighbourhood: rowCount rows of minEntries..maxEntries entries over sourceCount sources; some r = 0 entries when `origins`. */
export function randomNeighbourhood(
  rowCount: number,
  sourceCount: number,
  random: () => number,
  options: { minEntries?: number; maxEntries?: number; maxRadius?: number; origins?: boolean } = {},
): ConvNeighbourhood {
  const { minEntries = 3, maxEntries = 8, maxRadius = 1.3, origins = true } = options;
  const offsets = new Uint32Array(rowCount + 1);
  for (let p = 0; p < rowCount; p++) offsets[p + 1] = offsets[p]! + minEntries + Math.floor(random() * (maxEntries - minEntries + 1));
  const E = offsets[rowCount]!;
  const sources = new Uint32Array(E);
  const radius = new Float32Array(E);
  for (let e = 0; e < E; e++) {
    sources[e] = Math.floor(random() * sourceCount);
    radius[e] = origins && random() < 0.1 ? 0 : random() * maxRadius;
  }
  return { rowCount, offsets, sources, radius, angle: randomAngles(E, random), transport: randomAngles(E, random) };
}

/** Σ output ⊙ weights in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Central differences of loss() with respect to every entry of `x` (perturbed in place and
 * restored), compared with `analytic`: |fd − analytic| ≤ tolerance · (max |analytic| + 1e-3).
 */
export function expectGradient(x: Float32Array, loss: () => number, analytic: ArrayLike<number>, eps: number, tolerance: number): void {
  let scale = 1e-3;
  for (let i = 0; i < analytic.length; i++) scale = Math.max(scale, Math.abs(analytic[i]!));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const saved = x[i]!;
    x[i] = saved + eps;
    const up = loss();
    x[i] = saved - eps;
    const down = loss();
    x[i] = saved;
    const fd = (up - down) / (2 * eps);
    worst = Math.max(worst, Math.abs(fd - analytic[i]!) / scale);
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/** Largest |a − b| relative to max |b|. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}
