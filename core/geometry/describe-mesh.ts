import type { Mesh, Repair, SourceMesh } from '../mesh/mesh.js';
import { meshTopology } from '../mesh/topology.js';
import { boundingBox } from '../mesh/bounding-box.js';
import { meanEdgeLength } from './mean-edge-length.js';

/** A summary of a loaded scan; the keys are a stable interface (`erlangen info --json`). */
export interface MeshDescription {
  /** Welded mesh vertices. */
  vertices: number;
  /** Vertices as the file stores them (split at seams). */
  sourceVertices: number;
  faces: number;
  /** Connected components of the triangle graph. */
  components: number;
  /** Closed loops of boundary edges. */
  boundaryLoops: number;
  /** Repairs made while validating. */
  repairs: Repair[];
  bbox: { min: number[]; max: number[] };
  /** Mean length of undirected edges, mesh units. */
  meanEdgeLength: number;
}

/** Describes a welded mesh and the source it came from. */
export function describeMesh(source: SourceMesh, mesh: Mesh): MeshDescription {
  const topology = meshTopology(mesh);
  return {
    vertices: mesh.positions.length / 3,
    sourceVertices: source.positions.length / 3,
    faces: mesh.triangles.length / 3,
    components: topology.components,
    boundaryLoops: topology.boundaryLoops,
    repairs: [...mesh.repairs],
    bbox: boundingBox(mesh.positions),
    meanEdgeLength: meanEdgeLength(mesh),
  };
}
