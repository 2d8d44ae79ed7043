import type { Mesh } from '../mesh/mesh.js';
import { computeOneRingAdjacency, type OneRingAdjacency } from './one-ring-adjacency.js';

/**
 * Mean length of the mesh's undirected edges (each edge once, however many triangles share it),
 * in mesh units; 0 for a mesh without edges. Summed in float64.
 *
 * @param adjacency the 1-ring, if already computed; rebuilt from the triangles otherwise.
 */
export function meanEdgeLength(
  mesh: Pick<Mesh, 'positions' | 'triangles'>,
  adjacency: OneRingAdjacency = computeOneRingAdjacency(mesh),
): number {
  const positions = mesh.positions;
  const { offsets, neighbours } = adjacency;
  const vertexCount = positions.length / 3;
  let sum = 0;
  let count = 0;
  for (let p = 0; p < vertexCount; p++) {
    const i = 3 * p;
    const px = positions[i]!, py = positions[i + 1]!, pz = positions[i + 2]!;
    // The 1-ring is symmetric: the entries with q > p are each undirected edge once.
    for (let k = offsets[p]!, end = offsets[p + 1]!; k < end; k++) {
      const q = neighbours[k]!;
      if (q < p) continue;
      const j = 3 * q;
      const dx = positions[j]! - px, dy = positions[j + 1]! - py, dz = positions[j + 2]! - pz;
      sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}
