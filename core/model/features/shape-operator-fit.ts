import type { Neighbourhood } from '../../geometry/neighbourhood.js';

/**
 * Heights of each neighbourhood entry's neighbour above its centre's tangent plane,
 * h_pq = (x_q − x_p) · n_p, mesh units; `vertices` maps the neighbourhood's indices to mesh
 * vertices (a hierarchy level's `vertices`), `normals` are the mesh's unit vertex normals.
 */
export function entryHeights(
  positions: ArrayLike<number>,
  normals: ArrayLike<number>,
  vertices: Uint32Array,
  neighbourhood: Pick<Neighbourhood, 'offsets' | 'neighbours'>,
): Float64Array {
  const { offsets, neighbours } = neighbourhood;
  const heights = new Float64Array(neighbours.length);
  for (let i = 0; i + 1 < offsets.length; i++) {
    const p = 3 * vertices[i]!;
    const nx = normals[p]!, ny = normals[p + 1]!, nz = normals[p + 2]!;
    const px = positions[p]!, py = positions[p + 1]!, pz = positions[p + 2]!;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const q = 3 * vertices[neighbours[e]!]!;
      heights[e] = (positions[q]! - px) * nx + (positions[q + 1]! - py) * ny + (positions[q + 2]! - pz) * nz;
    }
  }
  return heights;
}

/** Fewest entries for the full fit (3 curvature + 2 tilt unknowns): one spare point at least. */
export const MIN_FULL_FIT = 6;

/**
 * Shape operator per row by least squares: the neighbours' heights against their log-map
 * positions u = r (cos θ, sin θ), h ≈ t · u − ½ uᵀ S u with a free tilt t (it absorbs the
 * error of a normal estimated at a finer scale than the patch). Returns (S11, S12, S22) per row
 * in p's frame, 1/mesh units, positive where the surface bends away from the normal (a sphere
 * with outward normals has S = I/R). From it: H = (S11 + S22)/2, K = S11 S22 − S12², and the
 * traceless part (S11 − S22, 2 S12) = (k1 − k2)(cos 2α, sin 2α), α the direction of k1; rotating
 * the frame by φ rotates that pair by −2φ. Rows with 3 to 5 entries (thin tips) fit an
 * isotropic S = κ I with tilt, as five unknowns from so few points are noise; fewer get zeros.
 */
export function fitShapeOperators(
  offsets: Uint32Array,
  logMapRadius: ArrayLike<number>,
  logMapAngle: ArrayLike<number>,
  heights: ArrayLike<number>,
): Float64Array {
  const rows = offsets.length - 1;
  const out = new Float64Array(3 * rows);
  const m = new Float64Array(25), rhs = new Float64Array(5), basis = new Float64Array(5);
  for (let p = 0; p < rows; p++) {
    const start = offsets[p]!, end = offsets[p + 1]!;
    const count = end - start;
    if (count < 3) continue;
    // Work in units of the row's largest radius, so the normal equations are well scaled.
    let scale = 0;
    for (let e = start; e < end; e++) scale = Math.max(scale, logMapRadius[e]!);
    if (!(scale > 0)) continue;
    const full = count >= MIN_FULL_FIT;
    const size = full ? 5 : 3;
    m.fill(0);
    rhs.fill(0);
    for (let e = start; e < end; e++) {
      const r = logMapRadius[e]! / scale, a = logMapAngle[e]!;
      const u = r * Math.cos(a), v = r * Math.sin(a);
      if (full) {
        basis[0] = -0.5 * u * u;
        basis[1] = -u * v;
        basis[2] = -0.5 * v * v;
        basis[3] = u;
        basis[4] = v;
      } else {
        basis[0] = -0.5 * r * r;
        basis[1] = u;
        basis[2] = v;
      }
      const h = heights[e]! / scale;
      for (let i = 0; i < size; i++) {
        rhs[i]! += basis[i]! * h;
        for (let j = 0; j <= i; j++) m[5 * i + j]! += basis[i]! * basis[j]!;
      }
    }
    if (!solveSymmetric(m, rhs, size)) continue;
    out[3 * p] = rhs[0]! / scale;
    out[3 * p + 1] = full ? rhs[1]! / scale : 0;
    out[3 * p + 2] = (full ? rhs[2]! : rhs[0]!) / scale;
  }
  return out;
}

/**
 * Solves m x = rhs in place (x in rhs) for a symmetric positive semi-definite `size`² block of
 * a 5 × 5 row-major matrix whose lower triangle is filled, by Cholesky; false when singular.
 */
export function solveSymmetric(m: Float64Array, rhs: Float64Array, size: number): boolean {
  let largest = 0;
  for (let i = 0; i < size; i++) largest = Math.max(largest, m[6 * i]!);
  // Pivots below this fraction of the largest diagonal mean the neighbours do not span the basis.
  const tiny = 1e-10 * largest;
  for (let j = 0; j < size; j++) {
    let d = m[5 * j + j]!;
    for (let k = 0; k < j; k++) d -= m[5 * j + k]! * m[5 * j + k]!;
    if (!(d > tiny)) return false;
    const l = Math.sqrt(d);
    m[5 * j + j] = l;
    for (let i = j + 1; i < size; i++) {
      let s = m[5 * i + j]!;
      for (let k = 0; k < j; k++) s -= m[5 * i + k]! * m[5 * j + k]!;
      m[5 * i + j] = s / l;
    }
  }
  for (let i = 0; i < size; i++) {
    let s = rhs[i]!;
    for (let k = 0; k < i; k++) s -= m[5 * i + k]! * rhs[k]!;
    rhs[i] = s / m[5 * i + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let s = rhs[i]!;
    for (let k = i + 1; k < size; k++) s -= m[5 * k + i]! * rhs[k]!;
    rhs[i] = s / m[5 * i + i]!;
  }
  return true;
}
