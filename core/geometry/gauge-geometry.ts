import type { Neighbourhood } from './neighbourhood.js';

/**
 * The per-vertex geometry every model layer consumes, computed once per mesh.
 * Arrays are indexed by mesh vertex; vectors are xyz triples.
 */
export interface GaugeGeometry {
  readonly vertexCount: number;
  /** Unit normals, faces' normals weighted by their corner angles at the vertex. */
  readonly vertexNormals: Float32Array;
  /** Barycentric vertex areas: a third of the area of each incident triangle. */
  readonly vertexAreas: Float32Array;
  /** Sum of triangle areas. */
  readonly totalArea: number;
  /** Mean length of the mesh's undirected edges. */
  readonly meanEdgeLength: number;
  /** e1 per vertex: unit, orthogonal to the normal. How it is chosen is written where it is computed. */
  readonly frameX: Float32Array;
  /** e2 = n × e1 per vertex. */
  readonly frameY: Float32Array;
  /** The 1-ring: mesh edges, with log-map coordinates and transport (see Neighbourhood). */
  readonly oneRing: Neighbourhood;
}
