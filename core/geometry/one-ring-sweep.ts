import { CORNER_SUM_STRIDE } from './corner-sums.js';
import { fastAtan2 } from './fast-atan2.js';
import type { Neighbourhood } from './neighbourhood.js';
import type { OneRingAdjacency } from './one-ring-adjacency.js';
import { tangentAxis, TIE_SQUARED, USABLE_PROJECTION_SQUARED } from './tangent-frames.js';
import { FALLBACK_NORMAL } from './vertex-normals.js';

// Below this |n_q × n_p|² the rotation axis is lost in rounding: parallel normals take e1_p as the
// fixed vector instead, antipodal ones the hinge (see computeOneRing).
const PARALLEL_SINE_SQUARED = 1e-24;
const PI = Math.PI;
// The float32 nearest π, 8.7e-8 above it: what π becomes when stored.
const PI_FLOAT32 = Math.fround(Math.PI);

/** What the fused pass of computeGaugeGeometry derives per vertex on its way, instead of reading it. */
export interface DerivedVertexData {
  /** Corner sums (addTriangleCorners) from which the normals and areas are taken. */
  readonly cornerSums: Float64Array;
  /** Written: the area share of each vertex. */
  readonly vertexAreas: Float32Array;
}

/** The per-entry arrays of a Neighbourhood that sweepOneRing fills. */
export type OneRingOutputs = Pick<Neighbourhood, 'logMapRadius' | 'logMapAngle' | 'transportAngle'>;

/** The three per-entry arrays for an adjacency, zeroed. */
export function allocateOneRingOutputs(entryCount: number): OneRingOutputs {
  return { logMapRadius: new Float32Array(entryCount), logMapAngle: new Float32Array(entryCount), transportAngle: new Float32Array(entryCount) };
}

/**
 * The one pass over the 1-ring rows behind computeOneRing and computeGaugeGeometry; the
 * conventions are computeOneRing's. Rows run in ascending p.
 * - Without `derived`, a row reads its normal and frame.
 * - With `derived`, a row first takes its normal and area from the corner sums and chooses e1
 *   by computeTangentFrames' rule (the same arithmetic as tangentAxis, so the frames are
 *   computeTangentFrames' rounded to float32), keeping each neighbour's squared projection
 *   for the tie rule, then writes normal, area and frame.
 * Lower neighbours' normals and frames are read from the float32 arrays, already written.
 * The transport of an edge is computed at its higher end and its negation written through a
 * per-row cursor into the lower end's row.
 *
 * Transport without Rodrigues: the axis a = n_q × n_p of the minimal rotation is fixed by it, so
 * the rotation carries e1_q to the angle β_p − β_q in p's frame, β the angle of a in each
 * frame; that is one atan2 of z_p · conj(z_q), z = (a·e1) + i (a·e2), and a need not be unit.
 *
 * The rows run in chunks (sweepRows), so that V8 compiles the hot loop as an ordinary function
 * early in the first call and keeps it.
 *
 * @param outputs the per-entry arrays to fill, one number per 1-ring entry each.
 * @param scratch length ≥ V, overwritten.
 * @returns the sum of the undirected edges' lengths (each edge once).
 */
export function sweepOneRing(
  positions: Float64Array,
  adjacency: OneRingAdjacency,
  normals: Float32Array,
  frameX: Float32Array,
  frameY: Float32Array,
  derived: DerivedVertexData | null,
  outputs: OneRingOutputs,
  scratch: Uint32Array,
): number {
  const vertexCount = positions.length / 3;
  const rows: RowSweep = {
    positions,
    offsets: adjacency.offsets,
    neighbours: adjacency.neighbours,
    normals,
    frameX,
    frameY,
    sums: derived === null ? null : derived.cornerSums,
    areas: derived === null ? null : derived.vertexAreas,
    ...outputs,
    reverse: scratch,
    projections: new Float64Array(widestRow(adjacency.offsets)),
    axis: new Float64Array(6),
  };
  let edgeLengthSum = 0;
  for (let from = 0; from < vertexCount; from += ROWS_PER_CALL) edgeLengthSum += sweepRows(rows, from, Math.min(vertexCount, from + ROWS_PER_CALL));
  return edgeLengthSum;
}

// Rows per call of sweepRows: V8 optimises a function called often within the first mesh, where a
// single long loop would run interpreted until compiled on-stack, on every call; 2048 rows make the calls free.
const ROWS_PER_CALL = 2048;

/** Everything sweepRows reads and writes; one object per sweep. */
interface RowSweep extends OneRingOutputs {
  readonly positions: Float64Array;
  readonly offsets: Uint32Array;
  readonly neighbours: Uint32Array;
  readonly normals: Float32Array;
  readonly frameX: Float32Array;
  readonly frameY: Float32Array;
  readonly sums: Float64Array | null;
  readonly areas: Float32Array | null;
  /** reverse[q]: next entry of row q with a neighbour above q still waiting for its transport. */
  readonly reverse: Uint32Array;
  /** Squared projection of each entry of the current row onto the tangent plane (−1: unusable). */
  readonly projections: Float64Array;
  /** n in, e1 out, for the rare vertex without a usable neighbour (see tangentAxis). */
  readonly axis: Float64Array;
}

/** The longest row of a CSR. */
function widestRow(offsets: Uint32Array): number {
  let widest = 0;
  for (let p = 0; p + 1 < offsets.length; p++) widest = Math.max(widest, offsets[p + 1]! - offsets[p]!);
  return widest;
}

/** Rows from .. to − 1 of sweepOneRing; returns their share of the edge-length sum. */
function sweepRows(rows: RowSweep, from: number, to: number): number {
  const { positions, offsets, neighbours, normals, frameX, frameY, sums, areas, reverse, projections, axis } = rows;
  const { logMapRadius, logMapAngle, transportAngle } = rows;
  // Rows are visited in ascending p, so the entry (q, p) for q < p is always the one reverse[q] points at.
  let edgeLengthSum = 0;
  // Imported and module constants as locals: V8 reloads (and hole-checks) imported bindings on every use.
  const stride = CORNER_SUM_STRIDE, usableFactor = USABLE_PROJECTION_SQUARED, tieFactor = TIE_SQUARED;
  const pi = PI, pi32 = PI_FLOAT32, parallel = PARALLEL_SINE_SQUARED;
  for (let p = from; p < to; p++) {
    const i = 3 * p;
    const k0 = offsets[p]!, k1 = offsets[p + 1]!;
    const px = positions[i]!, py = positions[i + 1]!, pz = positions[i + 2]!;
    let nx: number, ny: number, nz: number;
    let e1x: number, e1y: number, e1z: number;
    if (sums !== null) {
      const s = stride * p;
      const x = sums[s]!, y = sums[s + 1]!, z = sums[s + 2]!;
      const length = Math.sqrt(x * x + y * y + z * z);
      if (length > 0) {
        const inverse = 1 / length;
        nx = x * inverse; ny = y * inverse; nz = z * inverse;
      } else {
        nx = FALLBACK_NORMAL[0]; ny = FALLBACK_NORMAL[1]; nz = FALLBACK_NORMAL[2];
      }
      areas![p] = sums[s + 3]!;
      // e1 by computeTangentFrames' rule, in tangentAxis' arithmetic: the longest usable projection, ties to the smallest index.
      let longest = 0;
      for (let k = k0; k < k1; k++) {
        const j = 3 * neighbours[k]!;
        const dx = positions[j]! - px, dy = positions[j + 1]! - py, dz = positions[j + 2]! - pz;
        const dn = dx * nx + dy * ny + dz * nz;
        const tx = dx - dn * nx, ty = dy - dn * ny, tz = dz - dn * nz;
        const projection = tx * tx + ty * ty + tz * tz;
        const usable = projection > usableFactor * (dx * dx + dy * dy + dz * dz);
        if (usable && projection > longest) longest = projection;
        projections[k - k0] = usable ? projection : -1;
      }
      if (longest > 0) {
        const threshold = tieFactor * longest;
        let k = k0;
        while (projections[k - k0]! < threshold) k++;
        const j = 3 * neighbours[k]!;
        const dx = positions[j]! - px, dy = positions[j + 1]! - py, dz = positions[j + 2]! - pz;
        const dn = dx * nx + dy * ny + dz * nz;
        e1x = dx - dn * nx; e1y = dy - dn * ny; e1z = dz - dn * nz;
        // Project once more: removes what rounding left along n.
        const en = e1x * nx + e1y * ny + e1z * nz;
        e1x -= en * nx; e1y -= en * ny; e1z -= en * nz;
        const inverse = 1 / Math.sqrt(e1x * e1x + e1y * e1y + e1z * e1z);
        e1x *= inverse; e1y *= inverse; e1z *= inverse;
      } else {
        axis[0] = nx; axis[1] = ny; axis[2] = nz;
        tangentAxis(positions, neighbours, k0, k1, p, axis);
        e1x = axis[3]!; e1y = axis[4]!; e1z = axis[5]!;
      }
      normals[i] = nx; normals[i + 1] = ny; normals[i + 2] = nz;
      frameX[i] = e1x; frameX[i + 1] = e1y; frameX[i + 2] = e1z;
      frameY[i] = ny * e1z - nz * e1y; frameY[i + 1] = nz * e1x - nx * e1z; frameY[i + 2] = nx * e1y - ny * e1x;
    } else {
      nx = normals[i]!; ny = normals[i + 1]!; nz = normals[i + 2]!;
      e1x = frameX[i]!; e1y = frameX[i + 1]!; e1z = frameX[i + 2]!;
    }
    // e2_p = n × e1 from this row's values (float64 where just derived; the stored copy is rounded); e2_q is read from frameY.
    const e2x = ny * e1z - nz * e1y, e2y = nz * e1x - nx * e1z, e2z = nx * e1y - ny * e1x;
    let firstAbove = k1;
    for (let k = k0; k < k1; k++) {
      const q = neighbours[k]!;
      const j = 3 * q;
      const dx = positions[j]! - px, dy = positions[j + 1]! - py, dz = positions[j + 2]! - pz;
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      logMapRadius[k] = r;
      // e1, e2 ⊥ n_p, so dotting with them projects onto the tangent plane on the way.
      const theta = Math.fround(fastAtan2(dx * e2x + dy * e2y + dz * e2z, dx * e1x + dy * e1y + dz * e1z));
      // An angle just above −π rounds to the float32 just below it: store it as the float32 π instead.
      logMapAngle[k] = theta < -pi ? pi32 : theta;
      if (q > p) {
        if (firstAbove === k1) firstAbove = k;
        continue;
      }
      edgeLengthSum += r;
      // g_{q→p} = β_p − β_q for a vector a that the minimal rotation taking n_q to n_p fixes.
      const nqx = normals[j]!, nqy = normals[j + 1]!, nqz = normals[j + 2]!;
      let ax = nqy * nz - nqz * ny, ay = nqz * nx - nqx * nz, az = nqx * ny - nqy * nx;
      if (!(ax * ax + ay * ay + az * az > parallel)) {
        if (nqx * nx + nqy * ny + nqz * nz > 0) {
          // Parallel normals: the identity; any tangent vector is fixed.
          ax = e1x; ay = e1y; az = e1z;
        } else {
          // Antipodal: the rotation by π about the hinge n_q × (p − q), or n_q × e1_q if that vanishes.
          ax = nqz * dy - nqy * dz; ay = nqx * dz - nqz * dx; az = nqy * dx - nqx * dy;
          if (ax === 0 && ay === 0 && az === 0) {
            const fx = frameX[j]!, fy = frameX[j + 1]!, fz = frameX[j + 2]!;
            ax = nqy * fz - nqz * fy; ay = nqz * fx - nqx * fz; az = nqx * fy - nqy * fx;
          }
        }
      }
      const ap1 = ax * e1x + ay * e1y + az * e1z, ap2 = ax * e2x + ay * e2y + az * e2z;
      const aq1 = ax * frameX[j]! + ay * frameX[j + 1]! + az * frameX[j + 2]!;
      const aq2 = ax * frameY[j]! + ay * frameY[j + 1]! + az * frameY[j + 2]!;
      let g = Math.fround(fastAtan2(ap2 * aq1 - ap1 * aq2, ap1 * aq1 + ap2 * aq2));
      if (g < -pi) g = pi32;
      transportAngle[k] = g;
      // −g exactly, in float32, except that π stays π: −π is outside (−π, π].
      transportAngle[reverse[q]++] = g === pi32 ? g : -g;
    }
    reverse[p] = firstAbove;
  }
  return edgeLengthSum;
}
