import { GrowableUint32 } from './growable-array.js';
import { FACE_ALIVE } from './pair-halfedges.js';
import { scratchUint8 } from './scratch.js';

const UNSET = 0xffffffff;

/** Mesh vertices after every vertex was split into one copy per fan of faces around it. */
export interface VertexFans {
  /** Vertex of each corner (3f + k) of an alive face, ids ≥ the input vertex count being copies; null when no vertex was split. */
  cornerVertex: Uint32Array | null;
  /** Original vertex of each copy, by copy id − input vertex count. */
  readonly copies: GrowableUint32;
  /** 1 for each input vertex whose faces formed more than one fan (scratch memory). */
  readonly split: Uint8Array;
  /** 1 for each input vertex with at least one alive face (scratch memory). */
  readonly referenced: Uint8Array;
}

/**
 * Gives every fan (faces around a vertex connected through paired edges) its own vertex: the
 * fan met first in corner order keeps the vertex id, later fans get copies. Walks each fan once
 * through `twin`, so it is O(corners); a first pass only marks corners, and per-corner vertex ids
 * are built in a second pass only when some vertex has several fans.
 */
export function splitVertexFans(triangles: Uint32Array, vertexCount: number, faceState: Uint8Array, twin: Int32Array): VertexFans {
  const split = scratchUint8('fans.split', vertexCount).fill(0);
  const referenced = scratchUint8('fans.referenced', vertexCount).fill(0);
  const copies = new GrowableUint32(64);
  const visited = scratchUint8('fans.visited', triangles.length).fill(0);
  if (!markFans(triangles, faceState, twin, visited, referenced, split)) return { cornerVertex: null, copies, split, referenced };
  const cornerVertex = new Uint32Array(triangles.length).fill(UNSET);
  labelFans(triangles, vertexCount, faceState, twin, cornerVertex, copies);
  return { cornerVertex, copies, split, referenced };
}

// Marks every corner, each fan from its first corner; flags vertices met again as split. True when any was.
function markFans(
  triangles: Uint32Array, faceState: Uint8Array, twin: Int32Array, visited: Uint8Array, referenced: Uint8Array, split: Uint8Array,
): boolean {
  let several = false;
  for (let f = 0, base = 0; base < triangles.length; f++, base += 3) {
    if (faceState[f] !== FACE_ALIVE) continue;
    for (let c = base; c < base + 3; c++) {
      if (visited[c] !== 0) continue;
      const v = triangles[c]!;
      if (referenced[v] !== 0) {
        several = true;
        split[v] = 1;
      }
      referenced[v] = 1;
      visited[c] = 1;
      // Across the outgoing edge first; an open fan is then finished across the incoming one.
      let via = c, closed = false;
      for (;;) {
        const t = twin[via]!;
        if (t < 0) break;
        const corner = cornerAcross(triangles, t, v);
        if ((closed = corner === c)) break;
        visited[corner] = 1;
        via = corner === t ? previous(corner) : corner;
      }
      if (closed) continue;
      via = previous(c);
      for (;;) {
        const t = twin[via]!;
        if (t < 0) break;
        const corner = cornerAcross(triangles, t, v);
        visited[corner] = 1;
        via = corner === t ? previous(corner) : corner;
      }
    }
  }
  return several;
}

// As markFans, labelling each corner with its fan's vertex: the original id for the first fan, a new copy after.
function labelFans(
  triangles: Uint32Array, vertexCount: number, faceState: Uint8Array, twin: Int32Array, cornerVertex: Uint32Array, copies: GrowableUint32,
): void {
  const claimed = scratchUint8('fans.claimed', vertexCount).fill(0);
  for (let f = 0, base = 0; base < triangles.length; f++, base += 3) {
    if (faceState[f] !== FACE_ALIVE) continue;
    for (let c = base; c < base + 3; c++) {
      if (cornerVertex[c] !== UNSET) continue;
      const v = triangles[c]!;
      let id = v;
      if (claimed[v] !== 0) {
        id = vertexCount + copies.length;
        copies.push(v);
      }
      claimed[v] = 1;
      cornerVertex[c] = id;
      let via = c, closed = false;
      for (;;) {
        const t = twin[via]!;
        if (t < 0) break;
        const corner = cornerAcross(triangles, t, v);
        if ((closed = corner === c)) break;
        cornerVertex[corner] = id;
        via = corner === t ? previous(corner) : corner;
      }
      if (closed) continue;
      via = previous(c);
      for (;;) {
        const t = twin[via]!;
        if (t < 0) break;
        const corner = cornerAcross(triangles, t, v);
        cornerVertex[corner] = id;
        via = corner === t ? previous(corner) : corner;
      }
    }
  }
}

/**
 * The corner at vertex v of the face across half-edge t (which runs v→w or w→v). Each fan is a
 * path or a cycle, so a walk from a fan's first corner meets no other visited corner.
 */
function cornerAcross(triangles: Uint32Array, t: number, v: number): number {
  if (triangles[t] === v) return t;
  return t % 3 === 2 ? t - 2 : t + 1;
}

function previous(c: number): number {
  return c % 3 === 0 ? c + 2 : c - 1;
}
