import { MinHeap } from '../../geometry/min-heap.js';
import type { LevelGraph } from './level-graph.js';

/**
 * Shortest-path distances on a level graph from each source to every vertex: one Dijkstra per
 * source, source-major (entry s · V + v is the distance from sources[s] to v); Infinity where a
 * vertex is in another connected component. Cost: sources × (edges + V log V), measured
 * 0.3 ms a source on the SMPL body's level 1 (1393 vertices, 10 edges each); an indexed
 * decrease-key heap measured no faster.
 */
export function graphDistances(graph: LevelGraph, sources: Uint32Array): Float64Array {
  const { vertexCount, offsets, neighbours, weights } = graph;
  const distances = new Float64Array(sources.length * vertexCount).fill(Infinity);
  const done = new Uint32Array(vertexCount); // the source number + 1 that settled a vertex last
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
