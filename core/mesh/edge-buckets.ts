import { scratchUint32 } from './scratch.js';

// Buckets hold about six slots; a vertex with many faces (a cone's apex) is sorted in O(k log k) instead.
const INSERTION_SORT_LIMIT = 32;

/**
 * The half-edges of a triangle mesh grouped by undirected edge: bucketed by their smaller vertex
 * (a counting sort), each bucket sorted by the larger vertex, so the half-edges of one edge sit in
 * consecutive slots, in half-edge (file) order. Half-edge h = 3f + k runs from corner k to k+1 of face f.
 * Arrays are scratch memory: valid until the next call with the same `key`.
 */
export interface EdgeBuckets {
  /** Bucket v spans slots [v = 0 ? 0 : end[v − 1], end[v]). */
  readonly end: Uint32Array;
  /** Half-edge in each slot. */
  readonly half: Uint32Array;
  /** Larger vertex of the slot's edge (the smaller one is the bucket's). */
  readonly other: Uint32Array;
  /** Vertex of the slot's face opposite its edge: equal on one edge means the same triangle. */
  readonly third: Uint32Array;
}

/**
 * Buckets the half-edges of the faces with `faceState` 0 (all faces when null). O(faces +
 * vertices): buckets hold about six slots, so the insertion sort inside each is linear in practice.
 */
export function bucketEdges(triangles: Uint32Array, vertexCount: number, faceState: Uint8Array | null, key: string): EdgeBuckets {
  const faceCount = triangles.length / 3;
  const end = scratchUint32(`${key}.end`, vertexCount + 1).fill(0);
  for (let f = 0, i = 0; f < faceCount; f++, i += 3) {
    if (faceState && faceState[f] !== 0) continue;
    const a = triangles[i]!, b = triangles[i + 1]!, c = triangles[i + 2]!;
    end[(a < b ? a : b) + 1]++;
    end[(b < c ? b : c) + 1]++;
    end[(c < a ? c : a) + 1]++;
  }
  for (let v = 0; v < vertexCount; v++) end[v + 1] += end[v]!;
  const total = end[vertexCount]!;
  const half = scratchUint32(`${key}.half`, total), other = scratchUint32(`${key}.other`, total), third = scratchUint32(`${key}.third`, total);
  // Scatter: end[v] walks from the bucket's start to its end.
  for (let f = 0, i = 0; f < faceCount; f++, i += 3) {
    if (faceState && faceState[f] !== 0) continue;
    const a = triangles[i]!, b = triangles[i + 1]!, c = triangles[i + 2]!;
    let p = end[a < b ? a : b]!++;
    half[p] = i;
    other[p] = a < b ? b : a;
    third[p] = c;
    p = end[b < c ? b : c]!++;
    half[p] = i + 1;
    other[p] = b < c ? c : b;
    third[p] = a;
    p = end[c < a ? c : a]!++;
    half[p] = i + 2;
    other[p] = c < a ? a : c;
    third[p] = b;
  }
  for (let v = 0, s = 0; v < vertexCount; s = end[v++]!) {
    const e = end[v]!;
    if (e - s > INSERTION_SORT_LIMIT) {
      sortLargeBucket(s, e, half, other, third);
      continue;
    }
    // Stable insertion sort by the larger vertex.
    for (let p = s + 1; p < e; p++) {
      const o = other[p]!;
      if (other[p - 1]! <= o) continue;
      const h = half[p]!, t = third[p]!;
      let q = p - 1;
      while (q >= s && other[q]! > o) {
        other[q + 1] = other[q]!;
        half[q + 1] = half[q]!;
        third[q + 1] = third[q]!;
        q--;
      }
      other[q + 1] = o;
      half[q + 1] = h;
      third[q + 1] = t;
    }
  }
  return { end, half, other, third };
}

// Stable sort of slots [s, e) by the larger vertex, for buckets too big for insertion sort.
function sortLargeBucket(s: number, e: number, half: Uint32Array, other: Uint32Array, third: Uint32Array): void {
  const order = Array.from({ length: e - s }, (_, i) => s + i).sort((a, b) => other[a]! - other[b]! || a - b);
  const h = order.map((p) => half[p]!), o = order.map((p) => other[p]!), t = order.map((p) => third[p]!);
  half.set(h, s);
  other.set(o, s);
  third.set(t, s);
}
