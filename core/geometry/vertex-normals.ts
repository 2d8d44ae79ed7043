import type { Mesh } from '../mesh/mesh.js';
import { addTriangleCorners, CORNER_SUM_STRIDE } from './corner-sums.js';

/** Normal given to a vertex whose weighted face normals sum to zero (isolated, on degenerate faces only, or cancelling). */
export const FALLBACK_NORMAL: readonly [number, number, number] = [0, 0, 1];

/**
 * Angle-weighted vertex normals: n_v ∝ Σ over triangles at v of (corner angle at v) · (unit face
 * normal), then normalised. Faces are counter-clockwise seen from outside, so normals point out.
 * The weights make the normal independent of how the fan around v is triangulated.
 *
 * Degenerate triangles (zero area) contribute nothing. A vertex whose sum is zero gets
 * `FALLBACK_NORMAL` (+z), so every returned normal is unit.
 *
 * @returns xyz per vertex, float64.
 */
export function computeVertexNormals(mesh: Pick<Mesh, 'positions' | 'triangles'>): Float64Array {
  const vertexCount = mesh.positions.length / 3;
  const sums = new Float64Array(CORNER_SUM_STRIDE * vertexCount);
  addTriangleCorners(mesh.positions, mesh.triangles, sums, null);
  const normals = new Float64Array(3 * vertexCount);
  for (let v = 0; v < vertexCount; v++) {
    const s = CORNER_SUM_STRIDE * v;
    const x = sums[s]!, y = sums[s + 1]!, z = sums[s + 2]!;
    const length = Math.sqrt(x * x + y * y + z * z);
    if (length > 0) {
      // Multiplied by the inverse, as sweepOneRing does, so both give bit-identical normals.
      const inverse = 1 / length;
      normals[3 * v] = x * inverse; normals[3 * v + 1] = y * inverse; normals[3 * v + 2] = z * inverse;
    } else {
      normals[3 * v] = FALLBACK_NORMAL[0]; normals[3 * v + 1] = FALLBACK_NORMAL[1]; normals[3 * v + 2] = FALLBACK_NORMAL[2];
    }
  }
  return normals;
}
