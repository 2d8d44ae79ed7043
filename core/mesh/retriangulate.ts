/**
 * Re-triangulating a mesh the way real scans differ (fewer vertices, a voxel remesh, a denser
 * mesh), with each output vertex's origin so per-vertex data (labels) carry over: the entry point.
 */
export { simplifyMesh, SIMPLIFY_MESH_DEFAULTS, type SimplifyMeshOptions, type Retriangulation } from './simplify-mesh.js';
export { remeshMesh, REMESH_MESH_DEFAULTS, type RemeshMeshOptions, type RemeshResult } from './remesh-mesh.js';
export { refineMesh, REFINE_MESH_DEFAULTS, type RefineMeshOptions } from './refine-mesh.js';
export { nearestVertices } from './nearest-vertex.js';

/** Typed arrays {@link transferVertexData} copies. */
export type VertexData = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * Per-vertex data carried to a re-triangulated mesh: `width` values per vertex, output vertex v
 * taking those of input vertex `origin[v]` (labels carry over exactly, no interpolation).
 * Returns an array of the same type as `data`.
 */
export function transferVertexData<T extends VertexData>(origin: Uint32Array, data: T, width = 1): T {
  if (!(Number.isInteger(width) && width >= 1) || data.length % width !== 0) {
    throw new RangeError(`transferVertexData: data of length ${data.length} does not hold ${width} values per vertex`);
  }
  const inputCount = data.length / width;
  const out = new (data.constructor as new (length: number) => T)(origin.length * width);
  for (let v = 0; v < origin.length; v++) {
    const o = origin[v]!;
    if (o >= inputCount) throw new RangeError(`transferVertexData: origin[${v}] = ${o}, but data has ${inputCount} vertices`);
    for (let k = 0; k < width; k++) out[v * width + k] = data[o * width + k]!;
  }
  return out;
}
