import { computeCotanLaplacian } from '../geometry/cotan-laplacian.js';
import type { GaugeGeometry } from '../geometry/gauge-geometry.js';
import type { Mesh } from '../mesh/mesh.js';

/** Relative residual at which the solve stops: on FAUST, SMPL and Nefertiti meshes the labels equal a 1e-9 solve's, probabilities within 2.4e-3. */
const TOLERANCE = 1e-3;
/** A bound on the iterations, reached only on degenerate meshes; the iterate is a smoothing by then too. */
const MAX_ITERATIONS = 1000;

/**
 * Per-vertex class probabilities (vertex-major, `classes` per vertex) after heat flow over the
 * surface for `time` (mesh units²), as one backward-Euler step: (M + time · L) P = M P₀ with the
 * cotan Laplacian L and the barycentric vertex areas M. Being a discretisation of the surface's
 * own operator, it moves a boundary by the same distance however the surface was triangulated
 * (averaging over 1-rings would not: it drifts towards coarsely meshed parts).
 * Solved by conjugate gradients with the diagonal as preconditioner, all classes in one sweep of
 * the matrix per iteration, from P₀. Obtuse triangles can push a value a little below 0; such
 * values become 0 and each row is rescaled to sum to 1. The input is not changed.
 */
export function smoothProbabilities(
  probabilities: Float32Array,
  classes: number,
  mesh: Pick<Mesh, 'positions' | 'triangles'>,
  geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas' | 'oneRing'>,
  time: number,
): Float32Array {
  const { vertexCount: n, vertexAreas: mass } = geometry;
  const C = classes;
  if (probabilities.length !== n * C) throw new Error(`smoothProbabilities: expected ${n} × ${C} probabilities, got ${probabilities.length}.`);
  if (!(time >= 0)) throw new RangeError(`smoothProbabilities: time must be 0 or more, got ${time}.`);
  if (time === 0) return probabilities.slice();
  const laplacian = computeCotanLaplacian(mesh, geometry.oneRing);
  const { offsets, columns } = laplacian;
  const values = laplacian.values.map((w) => time * w);
  const inverseDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) if (columns[e] === i) values[e] += mass[i]!;
    let diagonal = 0;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) if (columns[e] === i) diagonal = values[e]!;
    // An isolated vertex without area has an all-zero row: it keeps its probabilities.
    inverseDiagonal[i] = diagonal > 0 ? 1 / diagonal : 0;
  }
  const size = n * C;
  /** y = A u for all classes at once (vertex-major, like the probabilities). */
  const apply = (u: Float64Array, y: Float64Array) => {
    for (let i = 0; i < n; i++) {
      const row = i * C;
      for (let k = 0; k < C; k++) y[row + k] = 0;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
        const a = values[e]!, column = columns[e]! * C;
        for (let k = 0; k < C; k++) y[row + k] += a * u[column + k]!;
      }
    }
  };
  // Per class: x the iterate, r = M P₀ − A x, z = D⁻¹ r, d the search direction.
  const x = Float64Array.from(probabilities);
  const r = new Float64Array(size), z = new Float64Array(size), d = new Float64Array(size), Ad = new Float64Array(size);
  const rz = new Float64Array(C), rr = new Float64Array(C), bb = new Float64Array(C), dAd = new Float64Array(C), step = new Float64Array(C);
  apply(x, Ad);
  for (let i = 0, at = 0; i < n; i++) {
    for (let k = 0; k < C; k++, at++) {
      const b = mass[i]! * x[at]!;
      r[at] = b - Ad[at]!;
      z[at] = d[at] = r[at]! * inverseDiagonal[i]!;
      rz[k] += r[at]! * z[at]!;
      rr[k] += r[at]! * r[at]!;
      bb[k] += b * b;
    }
  }
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let converged = true;
    for (let k = 0; k < C; k++) if (rr[k]! > TOLERANCE * TOLERANCE * bb[k]!) converged = false;
    if (converged) break;
    apply(d, Ad);
    dAd.fill(0);
    for (let at = 0; at < size; ) for (let k = 0; k < C; k++, at++) dAd[k] += d[at]! * Ad[at]!;
    // A class with nothing left to solve (dAd = 0) stays where it is.
    for (let k = 0; k < C; k++) step[k] = dAd[k]! > 0 ? rz[k]! / dAd[k]! : 0;
    const previous = rz.slice();
    rz.fill(0);
    rr.fill(0);
    for (let i = 0, at = 0; i < n; i++) {
      for (let k = 0; k < C; k++, at++) {
        x[at] += step[k]! * d[at]!;
        r[at] -= step[k]! * Ad[at]!;
        z[at] = r[at]! * inverseDiagonal[i]!;
        rz[k] += r[at]! * z[at]!;
        rr[k] += r[at]! * r[at]!;
      }
    }
    for (let k = 0; k < C; k++) step[k] = previous[k]! > 0 ? rz[k]! / previous[k]! : 0;
    for (let at = 0; at < size; ) for (let k = 0; k < C; k++, at++) d[at] = z[at]! + step[k]! * d[at]!;
  }
  const out = new Float32Array(n * C);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < C; k++) total += Math.max(0, x[i * C + k]!);
    for (let k = 0; k < C; k++) out[i * C + k] = total > 0 ? Math.max(0, x[i * C + k]!) / total : probabilities[i * C + k]!;
  }
  return out;
}
