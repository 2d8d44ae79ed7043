/** One repair made while validating a mesh, reported rather than thrown. */
export interface Repair {
  /** What was repaired: `DEGENERATE_FACES`, `DUPLICATE_FACES`, `NON_MANIFOLD_EDGES`, `NON_MANIFOLD_VERTICES` or `UNREFERENCED_VERTICES` (see repairMesh). */
  readonly kind: string;
  /** How many elements it touched. */
  readonly count: number;
}

/** Vertices as a file stores them, before welding: split at UV seams and hard normals. */
export interface SourceMesh {
  /** Where it came from, used in error messages (`<bytes>` when loaded from memory). */
  readonly file: string;
  /** xyz per source vertex, node transforms already applied. */
  readonly positions: Float32Array;
  /** Three source-vertex indices per triangle. */
  readonly triangles: Uint32Array;
  /** Where each primitive's vertices sit in `positions`, so results can be written back per primitive. */
  readonly primitives: readonly SourcePrimitive[];
}

/** One glTF primitive instance (or the whole file for OBJ/PLY/OFF) inside a SourceMesh. */
export interface SourcePrimitive {
  /** Index of the node in `root.listNodes()` that places it; −1 outside glTF. */
  readonly node: number;
  /** Index of the mesh in `root.listMeshes()`; −1 outside glTF. */
  readonly mesh: number;
  /** Index of the primitive within its mesh; −1 outside glTF. */
  readonly primitive: number;
  /** Its first source vertex. */
  readonly firstVertex: number;
  /** Its number of source vertices. */
  readonly vertexCount: number;
}

/**
 * A welded, validated triangle mesh: the surface every geometry function works on.
 * Faces are oriented as in the file; several components, boundaries and isolated parts are allowed.
 */
export interface Mesh {
  readonly file: string;
  /** xyz per mesh vertex, float64 so that geometry is computed at full precision. */
  readonly positions: Float64Array;
  /** Three mesh-vertex indices per triangle, counter-clockwise seen from the outside. */
  readonly triangles: Uint32Array;
  /** Mesh vertex of every source vertex (NO_VERTEX where it was dropped): results map back to the file exactly. */
  readonly sourceToMesh: Uint32Array;
  /** Repairs made on the way from the file to this mesh. */
  readonly repairs: readonly Repair[];
  /** Set by repairMesh when the surface is closed, for computeGaugeGeometry to reuse; ignored once `triangles` is another array. */
  readonly closedOneRing?: ClosedOneRing;
}

/** The 1-ring rows of a closed surface: neighbours ascending per vertex, row p starting at the number of corners of the vertices below p. */
export interface ClosedOneRing {
  /** The triangles the rows were built from: the rows belong to this array, not to a copy or an edited one. */
  readonly triangles: Uint32Array;
  readonly neighbours: Uint32Array;
}

/** `sourceToMesh` value of a source vertex that is not part of the mesh (unreferenced or invalid). */
export const NO_VERTEX = 0xffffffff;

/** Number of vertices of a mesh. */
export function vertexCount(mesh: Pick<Mesh, 'positions'>): number {
  return mesh.positions.length / 3;
}

/** Number of triangles of a mesh. */
export function triangleCount(mesh: Pick<Mesh, 'triangles'>): number {
  return mesh.triangles.length / 3;
}
