import { matchSortedRow } from '../mesh/closed-surface.js';

/**
 * The 1-ring of a mesh whose every edge has exactly two triangles, oriented oppositely (a closed,
 * consistently oriented surface; touching fans at a vertex are fine), built from half the entries
 * of computeOneRingAdjacency: on such a mesh the corner that follows p in each of p's triangles
 * already lists each neighbour of p exactly once, so one entry per corner is the whole 1-ring.
 *
 * The condition is checked, not assumed: rows must hold no repeat and no p itself, and must be
 * symmetric (q in row p ⇔ p in row q). Symmetry is checked in the same pass as the rows are
 * sorted, by a cursor per row that walks its entries above the row's own vertex; rows are visited
 * in ascending order, so entry (p, q) with q < p must meet (q, p) exactly at q's cursor.
 * Returns null as soon as the check fails (a boundary, a non-manifold or flipped edge, a triangle
 * repeating a vertex); the caller then builds the general 1-ring. Otherwise `rowStarts` and the
 * returned neighbours are exactly computeOneRingAdjacency's offsets and neighbours. (It returns
 * the bare array, no object, so that V8's on-stack-compiled loop survives the return.)
 *
 * @param rowStarts length V + 1: prefix sums of the number of corners at each vertex: the row offsets.
 * @param scratch length ≥ V, overwritten.
 * @returns the neighbours, rows ascending, or null.
 */
export function closedManifoldAdjacency(
  triangles: Uint32Array,
  rowStarts: Uint32Array,
  scratch: Uint32Array,
): Uint32Array | null {
  const vertexCount = rowStarts.length - 1;
  const neighbours = new Uint32Array(rowStarts[vertexCount]!);
  const cursor = scratch;
  cursor.set(rowStarts.subarray(0, vertexCount));
  // The corner after p in each triangle: (a, b, c) gives b to a, c to b, a to c.
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!, b = triangles[t + 1]!, c = triangles[t + 2]!;
    neighbours[cursor[a]++] = b;
    neighbours[cursor[b]++] = c;
    neighbours[cursor[c]++] = a;
  }
  // From here cursor[q] is the next entry of row q above q still waiting for its partner.
  for (let p = 0; p < vertexCount; p++) {
    const k0 = rowStarts[p]!, k1 = rowStarts[p + 1]!;
    for (let k = k0; k < k1; k++) {
      const q = neighbours[k]!;
      let i = k;
      while (i > k0 && neighbours[i - 1]! > q) {
        neighbours[i] = neighbours[i - 1]!;
        i--;
      }
      neighbours[i] = q;
    }
    if (!matchSortedRow(p, k0, k1, neighbours, rowStarts, cursor)) return null;
  }
  // Every entry above its row's vertex must have been met by one below it.
  for (let q = 0; q < vertexCount; q++) if (cursor[q] !== rowStarts[q + 1]) return null;
  return neighbours;
}
