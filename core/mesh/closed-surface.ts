import { scratchUint32 } from './scratch.js';

/**
 * The 1-ring rows of a surface that needs no topological repair, or null: every vertex is used,
 * every edge has exactly two faces running it in opposite directions, and the faces around each
 * vertex form one fan (a single cycle of at least three faces). Such a surface has no duplicate
 * face either: a face and its reverse around a vertex make a cycle of two. Zero-area faces are
 * not looked at here.
 *
 * Cheaper than pairing half-edges and walking fans (repairMesh's general path), so scans, which
 * are mostly closed, skip it: one counting sort of the corners by vertex into rows of
 * (next, previous) vertex, each row sorted by next, then per row:
 * - no repeat and no p itself among the next vertices (each directed edge once);
 * - symmetry, with a cursor per row (matchSortedRow; each edge reversed);
 * - the fan: from corner i at p, the face across edge p → previous(i) is the corner j of p whose
 *   next vertex is previous(i); walking i → j must visit every corner before it returns.
 * Returns null at the first failure. Indices must be below `vertexCount` (repairMesh checks first).
 * On success the next vertices, rows ascending, are exactly closedManifoldAdjacency's neighbours
 * (row p starts at the number of corners of vertices below p), in a fresh array the caller keeps.
 */
export function closedSurfaceNeighbours(triangles: Uint32Array, vertexCount: number): Uint32Array | null {
  // No faces is no surface: left to repairMesh's NO_TRIANGLES.
  if (triangles.length === 0) return null;
  const starts = scratchUint32('closed.starts', vertexCount + 1).fill(0);
  for (let c = 0; c < triangles.length; c++) starts[triangles[c]! + 1]++;
  for (let v = 0; v < vertexCount; v++) {
    // Fewer than three corners: unused, or a fan of one or two faces (a face glued to its reverse).
    if (starts[v + 1]! < 3) return null;
    starts[v + 1] += starts[v]!;
  }
  const next = new Uint32Array(triangles.length);
  const previous = scratchUint32('closed.previous', triangles.length);
  const cursor = scratchUint32('closed.cursor', vertexCount);
  cursor.set(starts.subarray(0, vertexCount));
  scatterCorners(triangles, cursor, next, previous);
  cursor.set(starts.subarray(0, vertexCount));
  return checkRows(starts, next, previous, cursor) ? next : null;
}

// Corner at a of face (a, b, c) goes to row a as (next b, previous c).
function scatterCorners(triangles: Uint32Array, cursor: Uint32Array, next: Uint32Array, previous: Uint32Array): void {
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!, b = triangles[t + 1]!, c = triangles[t + 2]!;
    let k = cursor[a]++;
    next[k] = b;
    previous[k] = c;
    k = cursor[b]++;
    next[k] = c;
    previous[k] = a;
    k = cursor[c]++;
    next[k] = a;
    previous[k] = b;
  }
}

// Sorts each row by next vertex and checks it; cursor[q] starts at row q's start and ends past its last entry.
function checkRows(starts: Uint32Array, next: Uint32Array, previous: Uint32Array, cursor: Uint32Array): boolean {
  const vertexCount = starts.length - 1;
  for (let p = 0; p < vertexCount; p++) {
    const k0 = starts[p]!, k1 = starts[p + 1]!;
    for (let k = k0 + 1; k < k1; k++) {
      const q = next[k]!, r = previous[k]!;
      let i = k;
      while (i > k0 && next[i - 1]! > q) {
        next[i] = next[i - 1]!;
        previous[i] = previous[i - 1]!;
        i--;
      }
      next[i] = q;
      previous[i] = r;
    }
    if (!matchSortedRow(p, k0, k1, next, starts, cursor)) return false;
    // The fan walk: k1 − k0 steps from the first corner must come back to it, and not before.
    let corner = k0;
    for (let step = 1; step <= k1 - k0; step++) {
      const target = previous[corner]!;
      let j = k0;
      while (j < k1 && next[j] !== target) j++;
      if (j === k1 || (j === k0) !== (step === k1 - k0)) return false;
      corner = j;
    }
  }
  for (let q = 0; q < vertexCount; q++) if (cursor[q] !== starts[q + 1]) return false;
  return true;
}

/**
 * Checks sorted row p of a 1-ring built one entry per corner, rows visited in ascending order:
 * no repeat and no p itself, and each entry q < p met by the entry (q, p) at row q's cursor,
 * which then moves on; finally cursor[p] is set to p's first entry above p. After the last row,
 * the rows are symmetric if and only if every cursor stands at the end of its row.
 */
export function matchSortedRow(p: number, k0: number, k1: number, neighbours: Uint32Array, rowStarts: Uint32Array, cursor: Uint32Array): boolean {
  let above = k1;
  for (let k = k0; k < k1; k++) {
    const q = neighbours[k]!;
    if (q === p || (k > k0 && neighbours[k - 1] === q)) return false;
    if (q > p) {
      if (above === k1) above = k;
      continue;
    }
    const partner = cursor[q]!;
    if (partner >= rowStarts[q + 1]! || neighbours[partner] !== p) return false;
    cursor[q] = partner + 1;
  }
  cursor[p] = above;
  return true;
}
