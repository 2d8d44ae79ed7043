import type { Mesh } from './mesh.js';
import { bucketEdges } from './edge-buckets.js';
import { createDisjointSets, findSet, unionSets } from './union-find.js';

/** How a mesh hangs together. */
export interface MeshTopology {
  /** Connected components of the triangle graph (triangles joined through shared edges). */
  readonly components: number;
  /** Connected sets of boundary edges: closed loops on a manifold mesh (holes and open borders). */
  readonly boundaryLoops: number;
  /** Edges with exactly one triangle. */
  readonly boundaryEdges: number;
  /** Component of each triangle, numbered in order of their first triangle. */
  readonly triangleComponent: Uint32Array;
}

/**
 * Components, boundary edges and boundary loops of a mesh, through {@link bucketEdges} and
 * disjoint sets over flat arrays: O(triangles + vertices).
 */
export function meshTopology(mesh: Pick<Mesh, 'positions' | 'triangles'>): MeshTopology {
  const { triangles } = mesh;
  const vertexCount = mesh.positions.length / 3, faceCount = triangles.length / 3;
  const { end, half, other } = bucketEdges(triangles, vertexCount, null, 'topology');
  const faceSets = createDisjointSets(faceCount), vertexSets = createDisjointSets(vertexCount);
  const onBoundary = new Uint8Array(vertexCount);
  let boundaryEdges = 0;
  for (let v = 0, s = 0; v < vertexCount; s = end[v++]!) {
    const e = end[v]!;
    for (let p = s; p < e; ) {
      const o = other[p]!, face = (half[p]! / 3) | 0;
      let q = p + 1;
      for (; q < e && other[q] === o; q++) unionSets(faceSets, face, (half[q]! / 3) | 0);
      if (q - p === 1) {
        boundaryEdges++;
        onBoundary[v] = onBoundary[o] = 1;
        unionSets(vertexSets, v, o);
      }
      p = q;
    }
  }

  const triangleComponent = new Uint32Array(faceCount);
  const label = new Int32Array(faceCount).fill(-1);
  let components = 0;
  for (let f = 0; f < faceCount; f++) {
    const root = findSet(faceSets, f);
    if (label[root]! < 0) label[root] = components++;
    triangleComponent[f] = label[root]!;
  }
  let boundaryLoops = 0;
  for (let v = 0; v < vertexCount; v++) if (onBoundary[v] && findSet(vertexSets, v) === v) boundaryLoops++;
  return { components, boundaryLoops, boundaryEdges, triangleComponent };
}
