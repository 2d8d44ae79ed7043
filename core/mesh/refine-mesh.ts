import { bucketEdges } from './edge-buckets.js';
import type { Mesh } from './mesh.js';
import { identity } from './identity.js';
import type { Retriangulation } from './simplify-mesh.js';
import { mulberry32 } from './seeded-random.js';

const NAME = 'refineMesh';

/** Options for {@link refineMesh}. */
export interface RefineMeshOptions {
  /** Rounds of subdivision: each multiplies the triangles by four. */
  levels?: number;
  /** How far a new vertex may slide along its edge from the midpoint, as a fraction of the edge (0 to 0.9): it lands at t ∈ 0.5 ± jitter / 2. */
  jitter?: number;
  /** Seed of the jitter's random generator (mulberry32), so a refinement can be repeated. */
  seed?: number;
}

/** Defaults for {@link RefineMeshOptions}: one level, no jitter. */
export const REFINE_MESH_DEFAULTS: Required<RefineMeshOptions> = { levels: 1, jitter: 0, seed: 1 };

// Past 0.9 a new vertex can come within 5% of an edge's end: near-degenerate triangles.
const MAX_JITTER = 0.9;

/**
 * A denser mesh by midpoint subdivision: every triangle into four, one new vertex per edge,
 * optionally slid along its edge at random so the new vertices stay exactly on the input surface
 * but lose the regular pattern. Input vertices keep their numbers; new ones follow in edge order.
 * `origin[v]` is the input vertex itself for old vertices and, for a new one, the origin of the
 * nearer end of its edge (the smaller vertex on a tie), so labels never blur across a boundary.
 */
export function refineMesh(mesh: Mesh, options: RefineMeshOptions = {}): Retriangulation {
  const { levels, jitter, seed } = { ...REFINE_MESH_DEFAULTS, ...options };
  if (!(Number.isInteger(levels) && levels >= 0)) throw new RangeError(`${NAME}: levels must be a non-negative integer, got ${levels}`);
  if (!(jitter >= 0 && jitter <= MAX_JITTER)) throw new RangeError(`${NAME}: jitter must be from 0 to ${MAX_JITTER}, got ${jitter}`);
  const random = mulberry32(seed);
  let positions = mesh.positions, triangles = mesh.triangles, origin = identity(positions.length / 3);
  for (let level = 0; level < levels; level++) {
    const n = positions.length / 3, faceCount = triangles.length / 3;
    const { end, half, other } = bucketEdges(triangles, n, null, 'refineMesh');
    // Edges are runs of equal `other` within a bucket; count them first to size the output.
    let edgeCount = 0;
    for (let v = 0, s = 0; v < n; s = end[v++]!) for (let p = s; p < end[v]!; p++) if (p === s || other[p] !== other[p - 1]) edgeCount++;
    const nextPositions = new Float64Array(3 * (n + edgeCount));
    nextPositions.set(positions);
    const nextOrigin = new Uint32Array(n + edgeCount);
    nextOrigin.set(origin);
    // Vertex on the edge of each half-edge.
    const edgeVertex = new Uint32Array(3 * faceCount);
    let m = n;
    for (let v = 0, s = 0; v < n; s = end[v++]!) {
      for (let p = s; p < end[v]!; p++) {
        if (p === s || other[p] !== other[p - 1]) {
          const o = other[p]!;
          const t = jitter > 0 ? 0.5 + jitter * (random() - 0.5) : 0.5;
          for (let k = 0; k < 3; k++) nextPositions[3 * m + k] = (1 - t) * positions[3 * v + k]! + t * positions[3 * o + k]!;
          nextOrigin[m] = origin[t <= 0.5 ? v : o]!;
          m++;
        }
        edgeVertex[half[p]!] = m - 1;
      }
    }
    const nextTriangles = new Uint32Array(12 * faceCount);
    for (let f = 0; f < faceCount; f++) {
      const a = triangles[3 * f]!, b = triangles[3 * f + 1]!, c = triangles[3 * f + 2]!;
      const ab = edgeVertex[3 * f]!, bc = edgeVertex[3 * f + 1]!, ca = edgeVertex[3 * f + 2]!;
      const o = 12 * f;
      // Three corner triangles, then the middle one; all keep the input's orientation.
      nextTriangles[o] = a, nextTriangles[o + 1] = ab, nextTriangles[o + 2] = ca;
      nextTriangles[o + 3] = b, nextTriangles[o + 4] = bc, nextTriangles[o + 5] = ab;
      nextTriangles[o + 6] = c, nextTriangles[o + 7] = ca, nextTriangles[o + 8] = bc;
      nextTriangles[o + 9] = ab, nextTriangles[o + 10] = bc, nextTriangles[o + 11] = ca;
    }
    positions = nextPositions, triangles = nextTriangles, origin = nextOrigin;
  }
  const count = positions.length / 3;
  return { mesh: { file: mesh.file, positions, triangles, sourceToMesh: identity(count), repairs: [] }, origin };
}
