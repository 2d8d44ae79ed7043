import type { Mesh } from '../mesh/mesh.js';
import type { SparseMatrix } from './neighbourhood.js';
import { computeOneRingAdjacency, type OneRingAdjacency } from './one-ring-adjacency.js';
import { computeVertexAreas } from './vertex-areas.js';

/**
 * The cotan Laplacian, positive semi-definite: L = −Δ, so that (L f)_i = Σ_j w_ij (f_i − f_j) and
 * fᵀ L f = Σ_edges w_ij (f_i − f_j)² ≥ 0 where the weights are positive.
 *
 * - Off the diagonal, for each mesh edge ij: L_ij = −(cot α_ij + cot β_ij) / 2, α and β the angles
 *   opposite the edge in its two triangles; a boundary edge has one triangle and so one cotan
 *   (a non-manifold edge sums over all its triangles).
 * - On the diagonal: L_ii = −Σ_j L_ij, so every row sums to zero and constants are in the kernel.
 *
 * Symmetric, one row per vertex, columns ascending, the diagonal entry always present (also for
 * an isolated vertex, where it is 0). With the lumped mass M (computeLumpedMass),
 * M⁻¹ L x ≈ 2 H n for the positions x: mean curvature H times the outward normal.
 * Degenerate (zero-area) triangles contribute nothing.
 *
 * @param adjacency the 1-ring, if already computed; rebuilt from the triangles otherwise.
 */
export function computeCotanLaplacian(
  mesh: Pick<Mesh, 'positions' | 'triangles'>,
  adjacency: OneRingAdjacency = computeOneRingAdjacency(mesh),
): SparseMatrix {
  const positions = mesh.positions;
  const triangles = mesh.triangles;
  const size = positions.length / 3;
  const { offsets: rows, neighbours } = adjacency;
  // Same pattern as the 1-ring plus the diagonal, slotted in at its ascending place.
  const offsets = new Uint32Array(size + 1);
  const columns = new Uint32Array(neighbours.length + size);
  let out = 0;
  for (let p = 0; p < size; p++) {
    let diagonalDone = false;
    for (let k = rows[p]!, end = rows[p + 1]!; k < end; k++) {
      const q = neighbours[k]!;
      if (!diagonalDone && q > p) {
        columns[out++] = p;
        diagonalDone = true;
      }
      columns[out++] = q;
    }
    if (!diagonalDone) columns[out++] = p;
    offsets[p + 1] = out;
  }
  const values = new Float64Array(columns.length);
  const add = (i: number, j: number, w: number) => {
    // Off-diagonal (i, j) −= w, diagonal (i, i) += w; rows are short, a linear scan finds both.
    for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
      const column = columns[k]!;
      if (column === j) values[k] -= w;
      else if (column === i) values[k] += w;
    }
  };
  for (let t = 0; t < triangles.length; t += 3) {
    const ia = triangles[t]!, ib = triangles[t + 1]!, ic = triangles[t + 2]!;
    const a = 3 * ia, b = 3 * ib, c = 3 * ic;
    const ax = positions[a]!, ay = positions[a + 1]!, az = positions[a + 2]!;
    const ux = positions[b]! - ax, uy = positions[b + 1]! - ay, uz = positions[b + 2]! - az;
    const vx = positions[c]! - ax, vy = positions[c + 1]! - ay, vz = positions[c + 2]! - az;
    const wx = vx - ux, wy = vy - uy, wz = vz - uz;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const doubleArea = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (doubleArea === 0) continue;
    // cot(corner) = (dot of the corner's edges) / |cross|, and |cross| = 2·area at every corner; halved for L.
    const half = 0.5 / doubleArea;
    const cotA = (ux * vx + uy * vy + uz * vz) * half;
    const cotB = -(ux * wx + uy * wy + uz * wz) * half;
    const cotC = (vx * wx + vy * wy + vz * wz) * half;
    add(ib, ic, cotA); add(ic, ib, cotA);
    add(ic, ia, cotB); add(ia, ic, cotB);
    add(ia, ib, cotC); add(ib, ia, cotC);
  }
  return { size, offsets, columns, values };
}

/**
 * The lumped (diagonal) mass matrix that goes with the cotan Laplacian: the barycentric vertex
 * areas, one per vertex, float64.
 */
export function computeLumpedMass(mesh: Pick<Mesh, 'positions' | 'triangles'>): Float64Array {
  return computeVertexAreas(mesh);
}
