import type { Mesh } from '../mesh/mesh.js';
import type { Neighbourhood } from './neighbourhood.js';

/** The connectivity part of a Neighbourhood: rows by target, neighbours ascending, no geometry. */
export type OneRingAdjacency = Pick<Neighbourhood, 'offsets' | 'neighbours'>;

/**
 * The 1-ring of every vertex in compressed sparse rows: row p holds each q that shares a
 * triangle edge with p, once, ascending, never p itself. It is symmetric (q in row p ⇔ p in
 * row q) whatever the faces' orientation or manifoldness, since both directions of every
 * triangle edge are entered.
 *
 * Built without comparisons between rows: a counting sort of the 6 directed edge entries of each
 * triangle by target, then, per row, duplicates dropped with a last-seen mark and the few
 * remaining entries insertion-sorted, compacting in place.
 */
export function computeOneRingAdjacency(mesh: Pick<Mesh, 'positions' | 'triangles'>): OneRingAdjacency {
  const triangles = mesh.triangles;
  const vertexCount = mesh.positions.length / 3;
  // Row starts with duplicates, then reused as scatter cursors.
  const start = new Uint32Array(vertexCount + 1);
  for (let i = 0; i < triangles.length; i++) start[triangles[i]! + 1] += 2;
  for (let p = 0; p < vertexCount; p++) start[p + 1] += start[p]!;
  const entries = new Uint32Array(2 * triangles.length);
  const cursor = start.slice(0, vertexCount);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!, b = triangles[t + 1]!, c = triangles[t + 2]!;
    entries[cursor[a]++] = b; entries[cursor[a]++] = c;
    entries[cursor[b]++] = c; entries[cursor[b]++] = a;
    entries[cursor[c]++] = a; entries[cursor[c]++] = b;
  }
  // seen[q] === p + 1 ⇔ q is already in row p (p + 1 so that a zero-filled array means "none").
  const seen = cursor.fill(0);
  const offsets = new Uint32Array(vertexCount + 1);
  let out = 0;
  for (let p = 0; p < vertexCount; p++) {
    const rowStart = out;
    const mark = p + 1;
    for (let k = start[p]!, end = start[p + 1]!; k < end; k++) {
      const q = entries[k]!;
      // q === p only on a triangle that repeats a vertex.
      if (q === p || seen[q] === mark) continue;
      seen[q] = mark;
      // Insertion into the sorted prefix; writes stay at or before k, so reading ahead is safe.
      let i = out++;
      while (i > rowStart && entries[i - 1]! > q) {
        entries[i] = entries[i - 1]!;
        i--;
      }
      entries[i] = q;
    }
    offsets[p + 1] = out;
  }
  return { offsets, neighbours: entries.slice(0, out) };
}
