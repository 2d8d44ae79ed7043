import type { GaugeGeometry } from '../../geometry/gauge-geometry.js';
import type { Hierarchy } from '../../geometry/hierarchy.js';

/**
 * Area of every level-k vertex's cell, for each level k: the sum of the barycentric areas of
 * the mesh vertices whose chain of parents reaches it. The cells partition the surface, so the
 * areas sum to the total area at every level and, unlike vertex counts, do not depend on the
 * triangulation: they are the weights that make averages over a level resolution-independent.
 */
export function levelCellAreas(geometry: Pick<GaugeGeometry, 'vertexAreas'>, hierarchy: Hierarchy): Float64Array[] {
  const areas: Float64Array[] = [Float64Array.from(geometry.vertexAreas)];
  for (let k = 1; k < hierarchy.levels.length; k++) {
    const level = hierarchy.levels[k]!;
    const finer = areas[k - 1]!;
    const cell = new Float64Array(level.vertices.length);
    for (let i = 0; i < finer.length; i++) cell[level.parent[i]!]! += finer[i]!;
    areas.push(cell);
  }
  return areas;
}

/**
 * Local indices in level `from` of the vertices of a coarser level `to` (levels are nested
 * subsets, so every coarse vertex is a vertex of every finer level).
 */
export function coarseIndicesIn(hierarchy: Hierarchy, from: number, to: number): Uint32Array {
  const fine = hierarchy.levels[from]!.vertices;
  const coarse = hierarchy.levels[to]!.vertices;
  const out = new Uint32Array(coarse.length);
  // Both lists are ascending mesh indices, so one merge pass finds them all.
  let j = 0;
  for (let i = 0; i < coarse.length; i++) {
    while (fine[j]! < coarse[i]!) j++;
    out[i] = j;
  }
  return out;
}
