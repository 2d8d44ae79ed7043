import type { Mesh } from '../mesh/mesh.js';

/**
 * Barycentric vertex areas: each triangle gives a third of its area to each of its corners, so
 * the areas sum to the surface's total area. They are the diagonal of the lumped mass matrix.
 *
 * @returns one area per vertex, float64, in squared mesh units.
 */
export function computeVertexAreas(mesh: Pick<Mesh, 'positions' | 'triangles'>): Float64Array {
  const positions = mesh.positions;
  const triangles = mesh.triangles;
  const areas = new Float64Array(positions.length / 3);
  const triangleCount = triangles.length / 3;
  for (let t = 0; t < triangleCount; t++) {
    const ia = triangles[3 * t]!, ib = triangles[3 * t + 1]!, ic = triangles[3 * t + 2]!;
    const third = triangleArea(positions, ia, ib, ic) / 3;
    areas[ia] += third;
    areas[ib] += third;
    areas[ic] += third;
  }
  return areas;
}

/** Sum of the mesh's triangle areas, in squared mesh units. */
export function computeTotalArea(mesh: Pick<Mesh, 'positions' | 'triangles'>): number {
  const positions = mesh.positions;
  const triangles = mesh.triangles;
  let total = 0;
  for (let t = 0; t < triangles.length; t += 3) total += triangleArea(positions, triangles[t]!, triangles[t + 1]!, triangles[t + 2]!);
  return total;
}

/** Area of triangle (a, b, c): half the length of (b − a) × (c − a). */
function triangleArea(positions: Float64Array, ia: number, ib: number, ic: number): number {
  const a = 3 * ia, b = 3 * ib, c = 3 * ic;
  const ax = positions[a]!, ay = positions[a + 1]!, az = positions[a + 2]!;
  const ux = positions[b]! - ax, uy = positions[b + 1]! - ay, uz = positions[b + 2]! - az;
  const vx = positions[c]! - ax, vy = positions[c + 1]! - ay, vz = positions[c + 2]! - az;
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  return 0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz);
}
