import { fastAtan2 } from './fast-atan2.js';
import type { Neighbourhood } from './neighbourhood.js';
import { createExpMapState, setExpMapCentre, NO_ENTRY, settleExpMap, type ExpMapSteps } from './exp-map-steps.js';
import { MinHeap } from './min-heap.js';
import { sharedExpMapKernel } from './exp-map-kernel.js';

// The propagation front, reused by every call (cleared first; see MinHeap on why it stays alive).
const heap = new MinHeap(256);

/** Log-map coordinates and transport of fine vertices in their parents' frames (target = parent, source = fine vertex). */
export interface ParentLogMaps {
  /** Per fine vertex: r in the parent's frame, mesh units (0 for a parent itself). */
  readonly radius: Float32Array;
  /** Per fine vertex: θ in the parent's frame, radians in (−π, π]. */
  readonly angle: Float32Array;
  /** Per fine vertex: g_{fine→parent}, radians in (−π, π]. */
  readonly transport: Float32Array;
}

/**
 * The log map of every fine vertex in its parent's frame, with the transport between them, by
 * the same discrete exponential map as geodesicPatches: for each parent c, Dijkstra from c until
 * every fine vertex of its cell is settled, each settled vertex averaging the proposals of its
 * neighbours closer to c (settleExpMap). The neighbours that propose may lie in other cells, so
 * the result is the entry (c, v) of c's geodesic patch whenever that patch holds v; a fine
 * vertex adjacent to its parent gets the 1-ring entry itself.
 * Cost: the vertices within each cell's radius of its parent, about twice the mesh per level.
 * Each cell runs in WebAssembly (parent-log-maps-kernel, the same operations, so the same log
 * maps) where that is available and the mesh fits the kernel's memory (see sharedExpMapKernel).
 *
 * @param fine the fine vertices, mesh indices.
 * @param parents the coarse vertices, mesh indices.
 * @param parent per fine vertex, index into `parents`.
 * @param parentDistance per fine vertex, the edge-path distance to its parent (bounds each Dijkstra).
 * @param options `webAssembly: false` runs the JavaScript loop (the same result bit for bit).
 */
export function parentLogMaps(
  steps: ExpMapSteps,
  oneRing: Neighbourhood,
  fine: Uint32Array,
  parents: Uint32Array,
  parent: Uint32Array,
  parentDistance: Float64Array,
  options: { webAssembly?: boolean } = {},
): ParentLogMaps {
  const vertexCount = steps.vertexCount;
  const { offsets, neighbours, edgeLength } = steps;
  const n = fine.length;
  // Each cell's size and farthest member: a cell's Dijkstra stops when all its members are settled.
  const cellSize = new Uint32Array(parents.length);
  const cellReach = new Float64Array(parents.length);
  for (let i = 0; i < n; i++) {
    const j = parent[i]!;
    cellSize[j]++;
    cellReach[j] = Math.max(cellReach[j]!, parentDistance[i]!);
  }
  const radius = new Float32Array(n);
  const angle = new Float32Array(n);
  const transport = new Float32Array(n);
  /** Writes fine vertex i's outputs from the settled state of its cell's propagation (`direct`: its 1-ring entry from the parent, if any). */
  const write = (i: number, state: Float64Array, direct: number): void => {
    const ss = 8 * fine[i]!;
    if (direct !== NO_ENTRY) {
      // Adjacent to its parent: the 1-ring entry itself, as in the parent's geodesic patch.
      radius[i] = oneRing.logMapRadius[direct]!;
      angle[i] = oneRing.logMapAngle[direct]!;
      transport[i] = oneRing.transportAngle[direct]!;
    } else if (fine[i] !== parents[parent[i]!]) {
      const x = state[ss]!, y = state[ss + 1]!;
      radius[i] = Math.sqrt(x * x + y * y);
      angle[i] = fastAtan2(y, x);
      transport[i] = fastAtan2(state[ss + 3]!, state[ss + 2]!);
    }
  };

  const kernel = options.webAssembly === false ? null : sharedExpMapKernel(steps);
  if (kernel) {
    const localIndex = new Uint32Array(vertexCount).fill(NO_ENTRY);
    for (let i = 0; i < n; i++) localIndex[fine[i]!] = i;
    kernel.bind(steps, localIndex, parent);
    for (let j = 0; j < parents.length; j++) {
      const count = kernel.cell(parents[j]!, cellReach[j]!, j, cellSize[j]!);
      const { members, state } = kernel;
      for (let k = 0; k < count; k++) write(members[k]!, state, state[8 * fine[members[k]!]! + 6]!);
    }
    return { radius, angle, transport };
  }

  // fineIndex[v] = i + 1 for fine vertex i at mesh vertex v (0: not fine).
  const fineIndex = new Uint32Array(vertexCount);
  for (let i = 0; i < n; i++) fineIndex[fine[i]!] = i + 1;
  const state = createExpMapState(vertexCount);

  for (let j = 0; j < parents.length; j++) {
    const c = parents[j]!;
    let remaining = cellSize[j]!;
    const reach = cellReach[j]!;
    const reached = 2 * j + 2;
    const settled = reached + 1;
    heap.clear();
    state[8 * c + 4] = 0;
    state[8 * c + 5] = reached;
    heap.push(0, c);
    while (heap.size > 0 && remaining > 0) {
      const d = heap.topKey();
      const s = heap.topValue();
      heap.pop();
      const ss = 8 * s;
      if (state[ss + 5] === settled) continue;
      state[ss + 5] = settled;
      let direct = NO_ENTRY;
      if (s === c) {
        setExpMapCentre(state, c);
      } else {
        direct = settleExpMap(steps, state, s, c, settled);
      }
      const i = fineIndex[s]! - 1;
      if (i >= 0 && parent[i] === j) {
        remaining--;
        write(i, state, direct);
      }
      const end = offsets[s + 1]!;
      for (let e = offsets[s]!; e < end; e++) {
        const q = neighbours[e]!;
        const sq = 8 * q;
        const m = state[sq + 5]!;
        if (m === settled) continue;
        const candidate = d + edgeLength[e]!;
        // Proposals come from strictly closer vertices, so none beyond the cell's farthest member is needed.
        if (candidate > reach) continue;
        if (m !== reached || candidate < state[sq + 4]!) {
          state[sq + 4] = candidate;
          state[sq + 5] = reached;
          heap.push(candidate, q);
        }
      }
    }
  }
  return { radius, angle, transport };
}
