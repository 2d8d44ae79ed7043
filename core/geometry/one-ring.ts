import type { Mesh } from '../mesh/mesh.js';
import type { Neighbourhood } from './neighbourhood.js';
import { computeOneRingAdjacency, type OneRingAdjacency } from './one-ring-adjacency.js';
import { allocateOneRingOutputs, sweepOneRing } from './one-ring-sweep.js';

/** xyz triples per vertex, in either precision. */
export type VectorArray = Float32Array | Float64Array;

/**
 * The 1-ring Neighbourhood: for every vertex p and every q sharing a triangle edge with p, the
 * log-map coordinates of q in p's frame and the Levi-Civita transport from q to p.
 *
 * - θ_pq = atan2((q − p)·e2_p, (q − p)·e1_p): the direction of q − p projected onto p's tangent
 *   plane (the GEM-CNN reference's 1-ring log map), from e1_p towards e2_p.
 * - r_pq = |q − p|, the edge length, not the length of the projection: the edge is the geodesic
 *   between p and q along the mesh; the projection shortens it where the surface bends.
 * - g_{q→p}: rotate q's frame by the minimal rotation taking n_q to n_p (axis n_q × n_p), then
 *   take the angle of the rotated e1_q in p's frame. Computed once per undirected edge; the
 *   reverse entry gets −g (the inverse rotation), so g_{q→p} + g_{p→q} = 0 exactly (mod 2π: π
 *   stays π). Antipodal normals (|n_q × n_p|² ≤ 1e-24 and n_q·n_p < 0: a surface folded flat
 *   onto itself) have no minimal rotation: they take the rotation by π about the hinge
 *   n_q × t, t = p − q projected onto q's tangent plane (the same axis seen from either end), or
 *   about n_q × e1_q when t vanishes.
 *
 * Angles use fastAtan2 (within FAST_ATAN2_MAX_ERROR of Math.atan2); normals and frames are read
 * as float32 (float64 inputs are rounded once), so results carry errors of about 1e-7 rad. They
 * are stored as float32, where (−π, π] becomes (−π, fround(π)]: π is stored as fround(π),
 * 8.7e-8 above it, and an angle that would round to −fround(π) is stored as fround(π) too.
 *
 * @param vertexNormals unit normal per vertex.
 * @param frameX e1 per vertex, unit and orthogonal to the normal; tests pass rotated frames.
 * @param frameY e2 = n × e1 per vertex.
 * @param adjacency the 1-ring connectivity; it must be symmetric, as computeOneRingAdjacency makes it.
 */
export function computeOneRing(
  mesh: Pick<Mesh, 'positions' | 'triangles'>,
  vertexNormals: VectorArray,
  frameX: VectorArray,
  frameY: VectorArray,
  adjacency: OneRingAdjacency = computeOneRingAdjacency(mesh),
): Neighbourhood {
  const length = mesh.positions.length;
  if (vertexNormals.length !== length || frameX.length !== length || frameY.length !== length) {
    throw new Error(`computeOneRing: normals and frames need 3 numbers per vertex (${length}), got ${vertexNormals.length}, ${frameX.length}, ${frameY.length}.`);
  }
  // Without derived data the sweep only reads these; float64 inputs are rounded once here.
  const float32 = (values: VectorArray) => (values instanceof Float32Array ? values : new Float32Array(values));
  const outputs = allocateOneRingOutputs(adjacency.neighbours.length);
  sweepOneRing(mesh.positions, adjacency, float32(vertexNormals), float32(frameX), float32(frameY), null, outputs, new Uint32Array(length / 3));
  return { offsets: adjacency.offsets, neighbours: adjacency.neighbours, ...outputs };
}
