import type { Mesh } from '../mesh/mesh.js';
import { computeCotanLaplacian } from './cotan-laplacian.js';
import type { GaugeGeometry } from './gauge-geometry.js';

/** Options of {@link heatFlow}. */
export interface HeatFlowOptions {
  /** Relative residual ‖M F₀ − A F‖ / ‖M F₀‖ (over all channels together) at which the solve stops. */
  tolerance: number;
  /** A bound on the conjugate-gradient iterations; the iterate is returned when it is reached. */
  maxIterations?: number;
}

/**
 * Fields on the vertices (vertex-major, `width` values per vertex) after heat flow over the
 * surface for `time` (mesh units²), as one backward-Euler step: (M + time · L) F = M F₀ with the
 * cotan Laplacian L and the barycentric vertex areas M. A discretisation of the surface's own
 * operator, so the result approximates the same continuous flow however the surface is meshed.
 * Solved by conjugate gradients with the diagonal as preconditioner, every channel in one sweep
 * of the matrix per iteration, starting from F₀. A vertex without area keeps its values.
 * Written here: no maintained JavaScript library solves sparse SPD systems with many right-hand sides.
 */
export function heatFlow(
  fields: ArrayLike<number>,
  width: number,
  mesh: Pick<Mesh, 'positions' | 'triangles'>,
  geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas' | 'oneRing'>,
  time: number,
  options: HeatFlowOptions,
): Float64Array {
  const { vertexCount: n, vertexAreas: mass } = geometry;
  const { tolerance, maxIterations = 1000 } = options;
  const { offsets, columns, values } = computeCotanLaplacian(mesh, geometry.oneRing);
  // A = M + time · L in place of L's values, with the inverse of its diagonal.
  const inverseDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      values[e] *= time;
      if (columns[e] !== i) continue;
      values[e] += mass[i]!;
      inverseDiagonal[i] = values[e]! > 0 ? 1 / values[e]! : 0;
    }
  }
  // Channels padded to whole blocks of LANES (the padding stays 0), each block's loops unrolled.
  const C = Math.ceil(width / LANES) * LANES, size = n * C;
  const x = new Float64Array(size);
  for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) x[i * C + k] = fields[i * width + k]!;
  // Per channel: x the iterate, r = M F₀ − A x, z = D⁻¹ r, d the search direction.
  const r = new Float64Array(size), z = new Float64Array(size), d = new Float64Array(size), Ad = new Float64Array(size);
  const rz = new Float64Array(C), dAd = new Float64Array(C), step = new Float64Array(C), ones = new Float64Array(C).fill(1);
  let bb = 0;
  const matrix = { offsets, columns, values, n, C };
  multiply(matrix, x, Ad);
  for (let i = 0, at = 0; i < n; i++) {
    for (let k = 0; k < C; k++, at++) {
      const b = mass[i]! * x[at]!;
      r[at] = b - Ad[at]!;
      z[at] = d[at] = r[at]! * inverseDiagonal[i]!;
      bb += b * b;
    }
  }
  channelDots(r, z, n, C, rz);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (dot(r, r) <= tolerance * tolerance * bb) break;
    multiply(matrix, d, Ad);
    channelDots(d, Ad, n, C, dAd);
    // A channel with nothing left to solve (dAd = 0, the padding among them) stays where it is.
    for (let k = 0; k < C; k++) step[k] = dAd[k]! > 0 ? rz[k]! / dAd[k]! : 0;
    combine(x, ones, d, step, n, C);
    for (let k = 0; k < C; k++) step[k] = -step[k]!;
    combine(r, ones, Ad, step, n, C);
    for (let i = 0, at = 0; i < n; i++) for (let k = 0; k < C; k++, at++) z[at] = r[at]! * inverseDiagonal[i]!;
    const previous = rz.slice();
    channelDots(r, z, n, C, rz);
    for (let k = 0; k < C; k++) step[k] = previous[k]! > 0 ? rz[k]! / previous[k]! : 0;
    combine(d, step, z, ones, n, C);
  }
  if (C === width) return x;
  const out = new Float64Array(n * width);
  for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) out[i * width + k] = x[i * C + k]!;
  return out;
}

/** Σ a · b over every vertex and channel. */
function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let at = 0; at < a.length; at++) total += a[at]! * b[at]!;
  return total;
}

/** Channels per unrolled block. */
const LANES = 4;

interface PaddedMatrix {
  readonly offsets: Uint32Array;
  readonly columns: Uint32Array;
  readonly values: Float64Array;
  /** Rows, and channels per row of the fields (a multiple of LANES). */
  readonly n: number;
  readonly C: number;
}

/** y = A u for every channel. */
function multiply({ offsets, columns, values, n, C }: PaddedMatrix, u: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let block = 0; block < C; block += LANES) {
      let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
        const a = values[e]!, at = columns[e]! * C + block;
        y0 += a * u[at]!;
        y1 += a * u[at + 1]!;
        y2 += a * u[at + 2]!;
        y3 += a * u[at + 3]!;
      }
      const at = i * C + block;
      y[at] = y0;
      y[at + 1] = y1;
      y[at + 2] = y2;
      y[at + 3] = y3;
    }
  }
}

/** out[k] = Σ_i a[i, k] · b[i, k]. */
function channelDots(a: Float64Array, b: Float64Array, n: number, C: number, out: Float64Array): void {
  for (let block = 0; block < C; block += LANES) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let at = block, end = n * C; at < end; at += C) {
      s0 += a[at]! * b[at]!;
      s1 += a[at + 1]! * b[at + 1]!;
      s2 += a[at + 2]! * b[at + 2]!;
      s3 += a[at + 3]! * b[at + 3]!;
    }
    out[block] = s0;
    out[block + 1] = s1;
    out[block + 2] = s2;
    out[block + 3] = s3;
  }
}

/** y[i, k] = a[k] · y[i, k] + b[k] · u[i, k]. */
function combine(y: Float64Array, a: Float64Array, u: Float64Array, b: Float64Array, n: number, C: number): void {
  for (let block = 0; block < C; block += LANES) {
    const a0 = a[block]!, a1 = a[block + 1]!, a2 = a[block + 2]!, a3 = a[block + 3]!;
    const b0 = b[block]!, b1 = b[block + 1]!, b2 = b[block + 2]!, b3 = b[block + 3]!;
    for (let at = block, end = n * C; at < end; at += C) {
      y[at] = a0 * y[at]! + b0 * u[at]!;
      y[at + 1] = a1 * y[at + 1]! + b1 * u[at + 1]!;
      y[at + 2] = a2 * y[at + 2]! + b2 * u[at + 2]!;
      y[at + 3] = a3 * y[at + 3]! + b3 * u[at + 3]!;
    }
  }
}
