import { MinHeap } from '../../geometry/min-heap.js';
import type { LevelGraph } from './level-graph.js';
import { GraphDistancesKernel } from './graph-distances-kernel.js';

/** Bucket width as a fraction of the shortest edge: the margin keeps float rounding of bucket indices harmless. */
const BUCKET_WIDTH = 0.999;

/** Most buckets a ring may hold; longer edges relative to the shortest fall back to a heap. */
const MAX_RING = 1 << 16;

// Largest graph the kernel takes (12 bytes per edge, 16 per vertex and the pool, kept for later calls): level graphs have thousands of vertices.
const MAX_KERNEL_EDGES = 1 << 22;
let sharedKernel: GraphDistancesKernel | null | undefined;

/**
 * Shortest-path distances on a level graph from each source to every vertex: one Dijkstra per
 * source, source-major (entry s · V + v is the distance from sources[s] to v); Infinity where a
 * vertex is in another connected component.
 *
 * The queue is a ring of buckets (Dial's algorithm) of width just under the shortest edge: no
 * vertex can lower another in its own bucket, so a bucket's vertices are final in any order and
 * the distances equal a heap Dijkstra's bit for bit (each is the least float sum d_u + w_uv over
 * its neighbours). Level graphs suit it: FPS keeps vertices about a spacing apart, so edges span
 * 1 to 9 bucket widths. Measured 2–3× faster than the heap on level 1 of the SMPL body and of the
 * Nefertiti scan (110–136 sources over 1393–1688 vertices). A graph with a zero-length edge, or
 * edges far longer than its shortest, uses a binary heap instead. The buckets run in WebAssembly
 * (graph-distances-kernel, the same distances bit for bit) where that is available, unless
 * `webAssembly` is false.
 */
export function graphDistances(graph: LevelGraph, sources: Uint32Array, options: { webAssembly?: boolean } = {}): Float64Array {
  const { weights } = graph;
  let shortest = Infinity, longest = 0;
  for (let e = 0; e < weights.length; e++) {
    shortest = Math.min(shortest, weights[e]!);
    longest = Math.max(longest, weights[e]!);
  }
  const width = BUCKET_WIDTH * shortest;
  const ring = Math.ceil(longest / width) + 2;
  if (!(width > 0) || !(ring <= MAX_RING)) return heapDistances(graph, sources);
  if (options.webAssembly !== false && weights.length <= MAX_KERNEL_EDGES) {
    if (sharedKernel === undefined) sharedKernel = GraphDistancesKernel.create();
    if (sharedKernel !== null) {
      const distances = new Float64Array(sources.length * graph.vertexCount);
      sharedKernel.distances(graph, sources, width, ring, distances);
      return distances;
    }
  }
  return bucketDistances(graph, sources, width, ring);
}

function bucketDistances(graph: LevelGraph, sources: Uint32Array, width: number, ring: number): Float64Array {
  const { vertexCount, offsets, neighbours, weights } = graph;
  const distances = new Float64Array(sources.length * vertexCount).fill(Infinity);
  const done = new Uint32Array(vertexCount); // the source number + 1 that settled a vertex last
  const inverse = 1 / width;
  // Buckets as linked lists in a pool: head per ring slot, then (vertex, next) per queued entry.
  const head = new Int32Array(ring).fill(-1);
  let entryVertex: Uint32Array = new Uint32Array(Math.max(64, 2 * vertexCount));
  let entryNext: Int32Array = new Int32Array(entryVertex.length);
  for (let s = 0; s < sources.length; s++) {
    const row = s * vertexCount;
    const mark = s + 1;
    distances[row + sources[s]!] = 0;
    entryVertex[0] = sources[s]!;
    entryNext[0] = -1;
    head[0] = 0;
    let used = 1, queued = 1;
    for (let bucket = 0; queued > 0; bucket++) {
      const slot = bucket % ring;
      let entry = head[slot]!;
      head[slot] = -1;
      while (entry >= 0) {
        const v = entryVertex[entry]!;
        entry = entryNext[entry]!;
        queued--;
        if (done[v] === mark) continue; // a stale copy: v was lowered into an earlier bucket
        done[v] = mark;
        const d = distances[row + v]!;
        for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
          const q = neighbours[e]!;
          if (done[q] === mark) continue;
          const candidate = d + weights[e]!;
          if (candidate < distances[row + q]!) {
            distances[row + q] = candidate;
            if (used === entryVertex.length) {
              entryVertex = grownUint32(entryVertex);
              entryNext = grownInt32(entryNext);
            }
            const target = Math.floor(candidate * inverse) % ring;
            entryVertex[used] = q;
            entryNext[used] = head[target]!;
            head[target] = used++;
            queued++;
          }
        }
      }
    }
  }
  return distances;
}

/** The same distances with a binary heap (lazy deletion), for graphs the buckets do not suit. */
export function heapDistances(graph: LevelGraph, sources: Uint32Array): Float64Array {
  const { vertexCount, offsets, neighbours, weights } = graph;
  const distances = new Float64Array(sources.length * vertexCount).fill(Infinity);
  const done = new Uint32Array(vertexCount);
  const heap = new MinHeap(Math.max(64, vertexCount));
  for (let s = 0; s < sources.length; s++) {
    const row = s * vertexCount;
    const mark = s + 1;
    heap.clear();
    distances[row + sources[s]!] = 0;
    heap.push(0, sources[s]!);
    while (heap.size > 0) {
      const d = heap.topKey();
      const v = heap.topValue();
      heap.pop();
      if (done[v] === mark) continue; // a stale duplicate of an improved key
      done[v] = mark;
      for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
        const q = neighbours[e]!;
        if (done[q] === mark) continue;
        const candidate = d + weights[e]!;
        if (candidate < distances[row + q]!) {
          distances[row + q] = candidate;
          heap.push(candidate, q);
        }
      }
    }
  }
  return distances;
}

function grownUint32(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function grownInt32(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
