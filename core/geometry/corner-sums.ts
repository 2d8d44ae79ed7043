import { fastAtan2 } from './fast-atan2.js';

/** Float64 numbers per vertex in a corner-sum array: the angle-weighted normal sum (xyz), then the area share. */
export const CORNER_SUM_STRIDE = 4;

/**
 * One sweep over the triangles that adds, at each of a triangle's three corners:
 * - the unit face normal times the corner angle (into `sums[4v .. 4v + 2]`), whose direction is
 *   the angle-weighted vertex normal once every triangle has been added;
 * - a third of the triangle's area (into `sums[4v + 3]`), the barycentric vertex area;
 * - one to `cornerCounts[v + 1]`, when given: the number of corners at v, laid out so that a
 *   prefix sum turns it into CSR row starts.
 *
 * Faces are counter-clockwise seen from outside, so the normal sums point out. A zero-area
 * triangle adds no normal and no area, but its corners are still counted (its edges are edges).
 * Everything is summed in float64.
 *
 * @param sums `CORNER_SUM_STRIDE` numbers per vertex, zeroed by the caller.
 * @param cornerCounts length V + 1, zeroed by the caller, or null to skip counting.
 * @returns the total area of the triangles.
 */
export function addTriangleCorners(
  positions: Float64Array,
  triangles: Uint32Array,
  sums: Float64Array,
  cornerCounts: Uint32Array | null,
): number {
  let totalArea = 0;
  for (let t = 0; t < triangles.length; t += 3) {
    const ia = triangles[t]!, ib = triangles[t + 1]!, ic = triangles[t + 2]!;
    if (cornerCounts !== null) {
      cornerCounts[ia + 1]++;
      cornerCounts[ib + 1]++;
      cornerCounts[ic + 1]++;
    }
    const a = 3 * ia, b = 3 * ib, c = 3 * ic;
    const ax = positions[a]!, ay = positions[a + 1]!, az = positions[a + 2]!;
    // u = b − a, v = c − a, w = c − b.
    const ux = positions[b]! - ax, uy = positions[b + 1]! - ay, uz = positions[b + 2]! - az;
    const vx = positions[c]! - ax, vy = positions[c + 1]! - ay, vz = positions[c + 2]! - az;
    const wx = vx - ux, wy = vy - uy, wz = vz - uz;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const doubleArea = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (!(doubleArea > 0)) continue;
    // |u × v| = 2·area is the sine side of every corner: angle = atan2(|u × v|, dot of its edges).
    const angleA = fastAtan2(doubleArea, ux * vx + uy * vy + uz * vz);
    const angleB = fastAtan2(doubleArea, -(ux * wx + uy * wy + uz * wz));
    // The corners of a triangle sum to π: the third costs no atan2.
    const angleC = Math.PI - angleA - angleB;
    const inverse = 1 / doubleArea;
    const fx = nx * inverse, fy = ny * inverse, fz = nz * inverse;
    const third = doubleArea / 6;
    totalArea += 0.5 * doubleArea;
    const sa = 4 * ia, sb = 4 * ib, sc = 4 * ic;
    sums[sa] += angleA * fx; sums[sa + 1] += angleA * fy; sums[sa + 2] += angleA * fz; sums[sa + 3] += third;
    sums[sb] += angleB * fx; sums[sb + 1] += angleB * fy; sums[sb + 2] += angleB * fz; sums[sb + 3] += third;
    sums[sc] += angleC * fx; sums[sc + 1] += angleC * fy; sums[sc + 2] += angleC * fz; sums[sc + 3] += third;
  }
  return totalArea;
}
