import { identity } from '../mesh/identity.js';
import type { Mesh } from '../mesh/mesh.js';
import { fastAtan2 } from './fast-atan2.js';
import type { GaugeGeometry } from './gauge-geometry.js';
import type { Neighbourhood } from './neighbourhood.js';
import { createExpMapState, setExpMapCentre, expMapSteps, NO_ENTRY, settleExpMap, type ExpMapSteps } from './exp-map-steps.js';
import { MinHeap } from './min-heap.js';
import { NeighbourhoodWriter } from './neighbourhood-writer.js';
import { sharedExpMapKernel } from './exp-map-kernel.js';

const NAME = 'geodesicPatches';

// The propagation front and the output's writer, reused by every call (see MinHeap on why they stay alive).
const heap = new MinHeap(256);
const out = new NeighbourhoodWriter(0);

/** Options for {@link geodesicPatches}. */
export interface GeodesicPatchesOptions {
  /** Geodesic radius ρ of every patch, in mesh units; `patchRadius()` gives a resolution-independent one. */
  radius: number;
  /**
   * Centres and members, as mesh vertex indices: row i is the patch of `vertices[i]` and its
   * neighbours are indices into `vertices`. Propagation still runs over the whole mesh, so
   * distances are geodesics of the surface, not of the subset. Omitted: every vertex.
   */
  vertices?: Uint32Array;
  /**
   * How far propagation runs, as a multiple of `radius` in edge-path distance. Edge paths are
   * longer than geodesics (up to 2/√3 ≈ 1.15 on equilateral meshes, √2 on a square grid cut by
   * the wrong diagonals), so a vertex whose log-map radius is within ρ can have a path up to
   * that factor times ρ; a vertex beyond `searchFactor · ρ` by path is never reached.
   */
  searchFactor?: number;
  /** Unpacked 1-ring, when the caller already has one for this mesh and geometry (saves its O(entries) setup). */
  steps?: ExpMapSteps;
  /** Propagate in WebAssembly where it is available and the mesh fits (see ExpMapKernel); false: the JavaScript loop. Both give the same patches bit for bit. */
  webAssembly?: boolean;
}

/** Defaults of {@link GeodesicPatchesOptions}. */
export const GEODESIC_PATCHES_DEFAULTS = {
  // On a jittered plane (planeGrid, jitter 0.3) 1.3 missed 4 of 46 872 members and 1.4 none; 1.5 leaves a margin.
  searchFactor: 1.5,
} as const;

/**
 * Geodesic patches: for every centre p, the vertices q ≠ p within geodesic distance ρ, with
 * log-map coordinates (r_pq, θ_pq) in p's frame and the transport angle g_{q→p}, in the
 * {@link Neighbourhood} conventions.
 *
 * A discrete exponential map (Schmidt et al. 2006): Dijkstra over the 1-ring from p, in order of
 * edge-path distance; a settled vertex q gets its log-map position u_q and transport
 * a_q = g_{q→p} from its settled neighbours s, u_q = u_s + r_sq (cos(θ_sq + a_s), sin(θ_sq + a_s)),
 * a_q = a_s + g_{q→s}, averaged over the settled neighbours closer to p (see `settleExpMap`).
 * q is in the patch when |u_q| ≤ ρ; then r_pq = |u_q|, θ_pq = atan2 u_q, g_{q→p} = a_q. On a
 * flat mesh this is exact; p's own 1-ring entries are the 1-ring's entries, bit for bit. On a
 * sphere at ρ = R/2 r is within 0.15% of ρ, θ within 0.008 rad and g within 0.016 rad of the
 * truth (measured on icosphere(4)). Rows are ascending by neighbour index.
 *
 * Propagation stops at path distance `searchFactor · ρ` and does not step out of a vertex with
 * |u_s| − r_sq > ρ, so the work per row is about the vertices within ρ plus an edge or two.
 * Each row runs in WebAssembly (geodesic-patches-kernel, the same operations, so the same patches)
 * where that is available and the mesh fits the kernel's memory (see sharedExpMapKernel).
 * Cost: linear in the number of rows at a fixed ρ / edge-length ratio (measured 16 µs a row at
 * ρ = 3 mean edges, 33 entries a row, in JavaScript). Memory: the output, 16 bytes per entry, whose
 * arrays may be views of up to 1/16 larger buffers (see NeighbourhoodWriter); the kernel's memory,
 * kept for later calls (a copy of the unpacked 1-ring and the state: about 32 bytes per 1-ring
 * entry and 80 per vertex), or in JavaScript 64 bytes per vertex of scratch; and, unless `steps`
 * is given, 44 bytes per 1-ring entry for the unpacked 1-ring.
 */
export function geodesicPatches(mesh: Pick<Mesh, 'positions'>, geometry: Pick<GaugeGeometry, 'vertexCount' | 'oneRing'>, options: GeodesicPatchesOptions): Neighbourhood {
  const { radius, vertices } = options;
  const searchFactor = options.searchFactor ?? GEODESIC_PATCHES_DEFAULTS.searchFactor;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new Error(`${NAME}: radius must be a positive number of mesh units, got ${radius}.`);
  if (!(searchFactor >= 1)) throw new Error(`${NAME}: searchFactor must be at least 1, got ${searchFactor}.`);
  const steps = options.steps ?? expMapSteps(mesh, geometry);
  const vertexCount = geometry.vertexCount;
  const { offsets, neighbours, edgeLength } = steps;
  const oneRing = geometry.oneRing;

  // Local index of every mesh vertex among the centres (identity without a subset).
  const rows = vertices ? vertices.length : vertexCount;
  let localIndex: Uint32Array | null = null;
  if (vertices) {
    localIndex = new Uint32Array(vertexCount).fill(NO_ENTRY);
    for (let i = 0; i < rows; i++) {
      const v = vertices[i]!;
      if (v >= vertexCount) throw new Error(`${NAME}: vertices[${i}] = ${v} is not a vertex of a ${vertexCount}-vertex mesh.`);
      if (localIndex[v] !== NO_ENTRY) throw new Error(`${NAME}: vertex ${v} appears twice in vertices.`);
      localIndex[v] = i;
    }
  }

  out.begin(rows);
  const reach = searchFactor * radius;
  const kernel = options.webAssembly === false ? null : sharedExpMapKernel(steps);
  if (kernel) {
    kernel.bind(steps, localIndex ?? identity(vertexCount));
    for (let row = 0; row < rows; row++) {
      const p = vertices ? vertices[row]! : row;
      const memberCount = kernel.row(p, radius, reach);
      writeRow(kernel.members, memberCount, kernel.state, vertices, oneRing);
    }
    return out.finish();
  }

  // Scratch, reused by every row; [8v + 6] of the state holds v's 1-ring entry in the centre's row, if any.
  const state = createExpMapState(vertexCount);
  let members: Uint32Array = new Uint32Array(64);

  for (let row = 0; row < rows; row++) {
    const p = vertices ? vertices[row]! : row;
    const reached = 2 * row + 2;
    const settled = reached + 1;
    let memberCount = 0;
    heap.clear();
    state[8 * p + 4] = 0;
    state[8 * p + 5] = reached;
    heap.push(0, p);
    while (heap.size > 0) {
      const d = heap.topKey();
      const s = heap.topValue();
      heap.pop();
      const ss = 8 * s;
      if (state[ss + 5] === settled) continue; // a stale duplicate of an improved key
      if (d > reach) break;
      state[ss + 5] = settled;
      let logRadius = 0;
      if (s === p) {
        setExpMapCentre(state, p);
      } else {
        state[ss + 6] = settleExpMap(steps, state, s, p, settled);
        const x = state[ss]!, y = state[ss + 1]!;
        const key = localIndex ? localIndex[s]! : s;
        logRadius = Math.sqrt(x * x + y * y);
        if (key !== NO_ENTRY && logRadius <= radius) {
          if (memberCount === members.length) members = grown(members);
          members[memberCount++] = key;
        }
      }
      const end = offsets[s + 1]!;
      for (let e = offsets[s]!; e < end; e++) {
        const q = neighbours[e]!;
        const sq = 8 * q;
        const m = state[sq + 5]!;
        if (m === settled) continue;
        const length = edgeLength[e]!;
        // A step of this length from outside ρ + length cannot land inside the patch.
        if (logRadius - length > radius) continue;
        const candidate = d + length;
        if (candidate > reach) continue;
        if (m !== reached || candidate < state[sq + 4]!) {
          state[sq + 4] = candidate;
          state[sq + 5] = reached;
          heap.push(candidate, q);
        }
      }
    }
    writeRow(members, memberCount, state, vertices, oneRing);
  }
  return out.finish();
}

/** Sorts a row's members and writes their entries from the exp-map state of its propagation. */
function writeRow(members: Uint32Array, memberCount: number, state: Float64Array, vertices: Uint32Array | undefined, oneRing: Neighbourhood): void {
  sortAscending(members, memberCount);
  out.reserve(memberCount);
  for (let i = 0; i < memberCount; i++) {
    const key = members[i]!;
    const q = vertices ? vertices[key]! : key;
    const sq = 8 * q;
    const direct = state[sq + 6]!;
    if (direct !== NO_ENTRY) {
      // p's own 1-ring: copied, so the special case equals the 1-ring exactly.
      out.write(key, oneRing.logMapRadius[direct]!, oneRing.logMapAngle[direct]!, oneRing.transportAngle[direct]!);
    } else {
      const x = state[sq]!, y = state[sq + 1]!;
      out.write(key, Math.sqrt(x * x + y * y), fastAtan2(y, x), fastAtan2(state[sq + 3]!, state[sq + 2]!));
    }
  }
  out.endRow();
}

function grown(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Sorts the first `count` values; insertion sort for the usual rows of tens of entries, where it beats `sort`. */
function sortAscending(values: Uint32Array, count: number): void {
  if (count > 48) {
    values.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}
