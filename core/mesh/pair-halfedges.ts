import { GrowableUint32 } from './growable-array.js';
import { bucketEdges } from './edge-buckets.js';
import { scratchInt32, scratchUint32 } from './scratch.js';

/** Face states shared by the repair steps: alive, or why the face was dropped. */
export const FACE_ALIVE = 0, FACE_DEGENERATE = 1, FACE_DUPLICATE = 2;

/** Half-edge pairing of a triangle mesh; half-edge h = 3f + k runs from corner k to corner k+1 of face f. */
export interface HalfedgePairs {
  /** The half-edge on the other side of each half-edge's edge, −1 on a boundary or where a face was detached (scratch memory). */
  readonly twin: Int32Array;
  /** Faces dropped as duplicates of an earlier face with the same three vertices (either orientation). */
  readonly duplicateFaces: number;
  /** Edges that had more than two faces. */
  readonly nonManifoldEdges: number;
  /** Alive half-edges of each non-manifold edge as runs `[count, first, preferred partner, others…]`, all left unpaired. */
  readonly nonManifoldRuns: Uint32Array;
}

/**
 * Pairs the half-edges of the alive faces (`faceState` 0) by undirected edge and flags duplicate
 * faces in `faceState` on the way. An edge with more than two faces pairs none of them (so the fan
 * walk sees every fan as a path or a cycle) and is recorded for `rejoinNonManifoldEdges`.
 * O(faces + vertices) through {@link bucketEdges}.
 */
export function pairHalfedges(triangles: Uint32Array, vertexCount: number, faceState: Uint8Array): HalfedgePairs {
  const { end, half, other, third } = bucketEdges(triangles, vertexCount, faceState, 'pair');
  // Every alive half-edge is written below (dead faces' entries are never read), so no fill.
  const twin = scratchInt32('pair.twin', triangles.length);
  const runs = new GrowableUint32(16);
  let duplicateFaces = 0, nonManifoldEdges = 0;
  let alive = scratchUint32('pair.alive', 16);
  for (let v = 0, s = 0; v < vertexCount; s = end[v++]!) {
    const e = end[v]!;
    for (let p = s; p < e; ) {
      const o = other[p]!;
      let q = p + 1;
      while (q < e && other[q] === o) q++;
      const k = q - p;
      if (k === 1) twin[half[p]!] = -1;
      // The common case: two faces on the edge and no duplicate anywhere yet, so both are alive.
      else if (k === 2 && duplicateFaces === 0 && third[p] !== third[p + 1]) {
        const h1 = half[p]!, h2 = half[p + 1]!;
        twin[h1] = h2;
        twin[h2] = h1;
      } else {
        // A duplicate shares all three edges with its earlier copy; it is caught on the first of
        // them met here, since both faces have this bucket's smallest vertex, before it is paired.
        if (alive.length < k) alive = scratchUint32('pair.alive', 2 * k);
        let n = 0;
        for (let r = p; r < q; r++) {
          const f = (half[r]! / 3) | 0;
          if (faceState[f] !== FACE_ALIVE) continue;
          let duplicate = false;
          for (let i = 0; i < n; i++) if (third[alive[i]!] === third[r]) duplicate = true;
          if (duplicate) {
            faceState[f] = FACE_DUPLICATE;
            duplicateFaces++;
          } else alive[n++] = r;
        }
        if (n === 1) twin[half[alive[0]!]!] = -1;
        else if (n === 2) {
          const h1 = half[alive[0]!]!, h2 = half[alive[1]!]!;
          twin[h1] = h2;
          twin[h2] = h1;
        } else if (n > 2) {
          nonManifoldEdges++;
          pairNonManifold(triangles, half, alive, n, twin, runs);
        }
      }
      p = q;
    }
  }
  return { twin, duplicateFaces, nonManifoldEdges, nonManifoldRuns: runs.toArray() };
}

// Records the edge's alive half-edges, first face first, then the first later one running the other way (else the second); twins are −1.
function pairNonManifold(triangles: Uint32Array, half: Uint32Array, alive: Uint32Array, n: number, twin: Int32Array, runs: GrowableUint32): void {
  for (let i = 0; i < n; i++) twin[half[alive[i]!]!] = -1;
  const h1 = half[alive[0]!]!, from = triangles[h1];
  let partner = 1;
  for (let i = 1; i < n; i++) {
    if (triangles[half[alive[i]!]!] !== from) {
      partner = i;
      break;
    }
  }
  runs.push(n);
  runs.push(h1);
  runs.push(half[alive[partner]!]!);
  for (let i = 1; i < n; i++) if (i !== partner) runs.push(half[alive[i]!]!);
}
