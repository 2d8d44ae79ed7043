import type { Mesh } from '../mesh/mesh.js';
import type { GaugeGeometry } from './gauge-geometry.js';

/** Entry index meaning "no such 1-ring entry". */
export const NO_ENTRY = 0xffffffff;

/**
 * The 1-ring unpacked for propagating log maps by a discrete exponential map (Schmidt et al.
 * 2006). Arrays are per 1-ring entry e = (row v, neighbour t) and describe the step that
 * arrives at v from t, so settling v reads its own row front to back with no indirection.
 * Transports are unit complex numbers, so the inner loops need no trigonometry.
 */
export interface ExpMapSteps {
  readonly vertexCount: number;
  /** Row starts, as in the 1-ring. */
  readonly offsets: Uint32Array;
  /** Neighbour t of each entry, as in the 1-ring. */
  readonly neighbours: Uint32Array;
  /**
   * Four numbers per entry, from the 1-ring entry (t, v): [4e, 4e + 1] = v − t in t's frame,
   * r_tv (cos θ_tv, sin θ_tv); [4e + 2, 4e + 3] = cos, sin of g_{v→t} (a vector at angle α in
   * v's frame lies at α + g_{v→t} in t's). Interleaved, so a row is one run of memory; float32,
   * as precise as the 1-ring it is computed from, and half the memory traffic of float64.
   */
  readonly arrival: Float32Array;
  /** |x_t − x_v| from the float64 positions, so Dijkstra orders paths the same in any pose. */
  readonly edgeLength: Float64Array;
  /** The 1-ring entry (row t, neighbour v) of the same edge. */
  readonly reverse: Uint32Array;
}

/**
 * Unpacks the 1-ring of `geometry` into exp-map steps; O(entries · degree), run once per mesh.
 * The 1-ring must be symmetric (q in row p ⇔ p in row q), as computeOneRingAdjacency makes it.
 */
export function expMapSteps(mesh: Pick<Mesh, 'positions'>, geometry: Pick<GaugeGeometry, 'vertexCount' | 'oneRing'>): ExpMapSteps {
  const { offsets, neighbours, logMapRadius, logMapAngle, transportAngle } = geometry.oneRing;
  const vertexCount = geometry.vertexCount;
  const entries = neighbours.length;
  const arrival = new Float32Array(4 * entries);
  const edgeLength = new Float64Array(entries);
  const reverse = new Uint32Array(entries);
  const x = mesh.positions;
  for (let t = 0; t < vertexCount; t++) {
    const end = offsets[t + 1]!;
    for (let e = offsets[t]!; e < end; e++) {
      // e = (row t, neighbour v): the step from t to v, written at v's entry f = (row v, neighbour t).
      const v = neighbours[e]!;
      let f = offsets[v]!;
      const vEnd = offsets[v + 1]!;
      while (f < vEnd && neighbours[f] !== t) f++; // rows are short: a linear scan
      if (f === vEnd) throw new Error(`expMapSteps: the 1-ring is not symmetric: ${v} is in row ${t} but ${t} is not in row ${v}.`);
      reverse[f] = e;
      const r = logMapRadius[e]!;
      const theta = logMapAngle[e]!;
      const g = transportAngle[e]!;
      arrival[4 * f] = r * Math.cos(theta);
      arrival[4 * f + 1] = r * Math.sin(theta);
      arrival[4 * f + 2] = Math.cos(g);
      arrival[4 * f + 3] = Math.sin(g);
      const dx = x[3 * v]! - x[3 * t]!, dy = x[3 * v + 1]! - x[3 * t + 1]!, dz = x[3 * v + 2]! - x[3 * t + 2]!;
      edgeLength[f] = Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return { vertexCount, offsets, neighbours, arrival, edgeLength, reverse };
}

/**
 * Scratch for propagations from one centre c at a time, eight numbers per mesh vertex v, in one
 * record so that visiting a neighbour touches one cache line:
 * [8v, 8v + 1] = u_v, v's position in c's frame; [8v + 2, 8v + 3] = cos, sin of a_v = g_{v→c};
 * [8v + 4] = v's edge-path distance from c; [8v + 5] = v's mark, 2·stamp once reached and
 * 2·stamp + 1 once settled in the propagation numbered `stamp` (≥ 1), so a new propagation needs
 * no clearing; [8v + 6] = free for the caller; [8v + 7] = padding. Values are valid only where
 * the mark is the current propagation's.
 */
export type ExpMapState = Float64Array;

/** Numbers per vertex in an ExpMapState. */
export const EXP_MAP_STATE_STRIDE = 8;

/** Scratch state for `vertexCount` vertices, marked by no propagation. */
export function createExpMapState(vertexCount: number): ExpMapState {
  return new Float64Array(EXP_MAP_STATE_STRIDE * vertexCount);
}

/** Starts a propagation: the centre sits at the origin of its own frame, with no transport. */
export function setExpMapCentre(state: ExpMapState, centre: number): void {
  const c = 8 * centre;
  state[c] = 0;
  state[c + 1] = 0;
  state[c + 2] = 1;
  state[c + 3] = 0;
}

/**
 * Settles vertex v (≠ centre) of a propagation from `centre`. Every 1-ring neighbour t of v that
 * is settled (mark `settled`) and strictly closer to the centre by path proposes
 * u_t + rot(a_t)·(v − t in t's frame) for u_v and a_t + g_{v→t} for a_v.
 * The proposals are averaged twice: first with weights 1 / r_tv², giving a provisional u_v; then
 * with weights cos α_t / r_tv², α_t the angle between t's step and the provisional u_v (steps
 * at right angles or backwards weigh nothing), so v is reached along its geodesic ray rather than
 * along the zig-zag of edge paths. Measured on icosphere(4) at ρ = R/2, largest errors of θ and g:
 * 0.052 and 0.092 rad from a single edge path, 0.025 and 0.047 after the first average, 0.008
 * and 0.016 after the second.
 * "Strictly closer" makes the result independent of the order in which equal distances are
 * settled, hence of vertex numbering; weights depend on lengths and relative angles only, so
 * gauge changes rotate the result exactly. A neighbour of the centre takes the direct step
 * only, which is exactly the 1-ring's log map.
 * Returns the 1-ring entry (row centre, neighbour v) when v is adjacent to the centre, else NO_ENTRY.
 */
export function settleExpMap(steps: ExpMapSteps, state: ExpMapState, v: number, centre: number, settled: number): number {
  const { offsets, neighbours, arrival, edgeLength } = steps;
  const start = offsets[v]!;
  const end = offsets[v + 1]!;
  if (proposals.length < PROPOSAL_STRIDE * (end - start)) proposals = new Float64Array(2 * PROPOSAL_STRIDE * (end - start));
  const cache = proposals;
  const sv = 8 * v;
  const dv = state[sv + 4]!;
  let count = 0;
  // Pass 0's weighted sums (weights 1/r²), accumulated as the proposals are written, in the same order.
  let sumX0 = 0, sumY0 = 0, sumC0 = 0, sumS0 = 0, sumWeight0 = 0;
  // Strictly closer neighbours propose; only after a zero-length edge (none strictly closer) do equally close ones.
  for (let inclusive = 0; inclusive < 2 && count === 0; inclusive++) {
    for (let e = start; e < end; e++) {
      const t = neighbours[e]!;
      const st = 8 * t;
      if (state[st + 5] !== settled) continue;
      const a = 4 * e;
      if (t === centre) {
        // The centre's frame is the reference: the step itself, exactly the 1-ring's log map.
        state[sv] = arrival[a]!;
        state[sv + 1] = arrival[a + 1]!;
        state[sv + 2] = arrival[a + 2]!;
        state[sv + 3] = arrival[a + 3]!;
        return steps.reverse[e]!;
      }
      const dt = state[st + 4]!;
      if (dt > dv || (dt === dv && inclusive === 0)) continue;
      const tx = state[st]!, ty = state[st + 1]!, tc = state[st + 2]!, ts = state[st + 3]!;
      const sx = arrival[a]!, sy = arrival[a + 1]!;
      const gc = arrival[a + 2]!, gs = arrival[a + 3]!;
      const length = edgeLength[e]!;
      if (length === 0) {
        // v sits on t (an unwelded duplicate): t's proposal alone, as a weight 1/0 would poison the average.
        state[sv] = tx;
        state[sv + 1] = ty;
        state[sv + 2] = tc * gc - ts * gs;
        state[sv + 3] = ts * gc + tc * gs;
        return NO_ENTRY;
      }
      // t's step to v, in the centre's frame.
      const stepX = tc * sx - ts * sy, stepY = ts * sx + tc * sy;
      const k = PROPOSAL_STRIDE * count++;
      const px = tx + stepX, py = ty + stepY, pc = tc * gc - ts * gs, ps = ts * gc + tc * gs, w = 1 / (length * length);
      cache[k] = px;
      cache[k + 1] = py;
      cache[k + 2] = pc;
      cache[k + 3] = ps;
      cache[k + 4] = stepX;
      cache[k + 5] = stepY;
      cache[k + 6] = w;
      sumX0 += w * px;
      sumY0 += w * py;
      sumC0 += w * pc;
      sumS0 += w * ps;
      sumWeight0 += w;
    }
  }
  // Pass 0 weighs by 1/r²; pass 1 by cos α / r², α measured from pass 0's direction (dirX, dirY).
  let ux = 0, uy = 0, sumCos = 0, sumSin = 0, dirX = 0, dirY = 0;
  for (let pass = 0; pass < 2; pass++) {
    let sumX = sumX0, sumY = sumY0, sumC = sumC0, sumS = sumS0, sumWeight = sumWeight0;
    if (pass === 1) {
      sumX = 0, sumY = 0, sumC = 0, sumS = 0, sumWeight = 0;
      for (let k = 0; k < PROPOSAL_STRIDE * count; k += PROPOSAL_STRIDE) {
        const along = (cache[k + 4]! * dirX + cache[k + 5]! * dirY) * Math.sqrt(cache[k + 6]!); // cos α, as w = 1/r²
        if (!(along > 0)) continue;
        const w = cache[k + 6]! * along;
        sumX += w * cache[k]!;
        sumY += w * cache[k + 1]!;
        sumC += w * cache[k + 2]!;
        sumS += w * cache[k + 3]!;
        sumWeight += w;
      }
    }
    if (sumWeight === 0) break; // pass 1 only: every step sideways, keep the provisional estimate
    ux = sumX / sumWeight;
    uy = sumY / sumWeight;
    sumCos = sumC;
    sumSin = sumS;
    const length = Math.sqrt(ux * ux + uy * uy); // Math.hypot is several times slower in V8
    if (length === 0) break;
    dirX = ux / length;
    dirY = uy / length;
  }
  const norm = Math.sqrt(sumCos * sumCos + sumSin * sumSin);
  state[sv] = ux;
  state[sv + 1] = uy;
  state[sv + 2] = sumCos / norm;
  state[sv + 3] = sumSin / norm;
  return NO_ENTRY;
}

// Per proposing neighbour: proposed u (2), proposed a as cos, sin (2), the step (2), its weight 1/r² (1).
const PROPOSAL_STRIDE = 7;
// Scratch shared by every settle (single-threaded), grown to the largest row seen.
let proposals = new Float64Array(PROPOSAL_STRIDE * 16);
