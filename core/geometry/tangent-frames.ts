import type { Mesh } from '../mesh/mesh.js';
import type { OneRingAdjacency } from './one-ring-adjacency.js';

/** Projections within this fraction of the longest tie; a tie goes to the smallest vertex index (see computeTangentFrames). */
export const FRAME_TIE_TOLERANCE = 1e-6;

/** A neighbour is usable for e1 only if its squared projection exceeds this fraction of its squared edge (length: 1e-6); shorter ones point where rounding says. */
export const USABLE_PROJECTION_SQUARED = 1e-12;
/** Squared lengths compare: within FRAME_TIE_TOLERANCE in length is within this factor in squared length. */
export const TIE_SQUARED = (1 - FRAME_TIE_TOLERANCE) * (1 - FRAME_TIE_TOLERANCE);

/** Tangent frames per vertex, xyz triples, float64. */
export interface TangentFrames {
  /** e1 per vertex: unit and orthogonal to the normal. */
  readonly frameX: Float64Array;
  /** e2 = n × e1 per vertex, so (e1, e2, n) is right-handed. */
  readonly frameY: Float64Array;
}

/**
 * One tangent frame (e1, e2) per vertex, chosen from the geometry alone so that it moves with
 * the surface: e1_p is the normalised projection onto p's tangent plane of q* − p, where q* is
 * the 1-ring neighbour whose projection is longest. Projections within a relative
 * `FRAME_TIE_TOLERANCE` of the longest count as ties and the smallest vertex index wins, so the
 * frames are identical under rigid motions and uniform scaling even on symmetric meshes, and
 * identical under a vertex permutation except at such ties. e2 = n × e1.
 *
 * Degenerate fallbacks: a neighbour whose projection is shorter than 1e-6 of its edge is not
 * usable. A vertex with no usable neighbour (isolated, or all neighbours along the normal) takes
 * the projection of the world axis least aligned with its normal (x before y before z on ties):
 * still orthonormal, but not carried along by rotations. Normals are expected unit, as
 * computeVertexNormals makes them, including its +z fallback for a zero normal.
 *
 * @param vertexNormals unit normal per vertex, xyz.
 * @param adjacency the 1-ring, as computeOneRingAdjacency returns it (neighbours ascending).
 */
export function computeTangentFrames(
  mesh: Pick<Mesh, 'positions'>,
  vertexNormals: Float64Array,
  adjacency: OneRingAdjacency,
): TangentFrames {
  const positions = mesh.positions;
  const { offsets, neighbours } = adjacency;
  const vertexCount = positions.length / 3;
  const frameX = new Float64Array(3 * vertexCount);
  const frameY = new Float64Array(3 * vertexCount);
  // n in, e1 out: doubles cross the call in an array, since V8 boxes double arguments of a call it does not inline.
  const axis = new Float64Array(6);
  for (let p = 0; p < vertexCount; p++) {
    const i = 3 * p;
    const nx = vertexNormals[i]!, ny = vertexNormals[i + 1]!, nz = vertexNormals[i + 2]!;
    axis[0] = nx; axis[1] = ny; axis[2] = nz;
    tangentAxis(positions, neighbours, offsets[p]!, offsets[p + 1]!, p, axis);
    const ex = axis[3]!, ey = axis[4]!, ez = axis[5]!;
    frameX[i] = ex; frameX[i + 1] = ey; frameX[i + 2] = ez;
    frameY[i] = ny * ez - nz * ey; frameY[i + 1] = nz * ex - nx * ez; frameY[i + 2] = nx * ey - ny * ex;
  }
  return { frameX, frameY };
}

/**
 * e1 of one vertex p, by the rule computeTangentFrames states, from its 1-ring
 * `neighbours[k0 .. k1 − 1]` (ascending) and its unit normal n, read from `axis[0 .. 2]`;
 * e1 is written to `axis[3 .. 5]`. The fused pass of computeGaugeGeometry (sweepOneRing) repeats
 * this arithmetic inline, step for step, so that both give the same bits: keep them in step.
 */
export function tangentAxis(
  positions: Float64Array,
  neighbours: Uint32Array,
  k0: number,
  k1: number,
  p: number,
  axis: Float64Array,
): void {
  const nx = axis[0]!, ny = axis[1]!, nz = axis[2]!;
  const i = 3 * p;
  const px = positions[i]!, py = positions[i + 1]!, pz = positions[i + 2]!;
  // First pass: the longest usable squared projection.
  let longest = 0;
  for (let k = k0; k < k1; k++) {
    const j = 3 * neighbours[k]!;
    const dx = positions[j]! - px, dy = positions[j + 1]! - py, dz = positions[j + 2]! - pz;
    const dn = dx * nx + dy * ny + dz * nz;
    const tx = dx - dn * nx, ty = dy - dn * ny, tz = dz - dn * nz;
    const projection = tx * tx + ty * ty + tz * tz;
    if (projection > longest && projection > USABLE_PROJECTION_SQUARED * (dx * dx + dy * dy + dz * dz)) longest = projection;
  }
  let ex = 0, ey = 0, ez = 0;
  if (longest > 0) {
    // Second pass: the first (smallest-index) neighbour within the tie tolerance of the longest.
    const threshold = TIE_SQUARED * longest;
    for (let k = k0; k < k1; k++) {
      const j = 3 * neighbours[k]!;
      const dx = positions[j]! - px, dy = positions[j + 1]! - py, dz = positions[j + 2]! - pz;
      const dn = dx * nx + dy * ny + dz * nz;
      ex = dx - dn * nx; ey = dy - dn * ny; ez = dz - dn * nz;
      const projection = ex * ex + ey * ey + ez * ez;
      if (projection >= threshold && projection > USABLE_PROJECTION_SQUARED * (dx * dx + dy * dy + dz * dz)) break;
    }
  } else {
    const ax = Math.abs(nx), ay = Math.abs(ny), az = Math.abs(nz);
    if (ax <= ay && ax <= az) ex = 1;
    else if (ay <= az) ey = 1;
    else ez = 1;
  }
  // Project once more: removes what rounding left along n, so e1 ⊥ n to float64 precision.
  const en = ex * nx + ey * ny + ez * nz;
  ex -= en * nx; ey -= en * ny; ez -= en * nz;
  const inverse = 1 / Math.sqrt(ex * ex + ey * ey + ez * ez);
  axis[3] = ex * inverse; axis[4] = ey * inverse; axis[5] = ez * inverse;
}
