/**
 * Erlangen core (`erlangen`): loading scans, welding and repair, and the geometry of gauges.
 * Every function is a plain function of typed arrays: it runs on the main thread, in a worker or in Node.
 * @packageDocumentation
 */
export type { Mesh, SourceMesh, SourcePrimitive, Repair } from './mesh/mesh.js';
export { NO_VERTEX, vertexCount, triangleCount } from './mesh/mesh.js';
export { MeshError, type MeshErrorCode } from './mesh/mesh-error.js';
export { loadSourceMesh, type LoadSourceMeshOptions } from './mesh/load-source-mesh.js';
export { loadMesh, type LoadMeshOptions } from './mesh/load-mesh.js';
export { prepareMesh } from './mesh/prepare-mesh.js';
export { weld } from './mesh/weld.js';
export { repairMesh, type RepairMeshOptions } from './mesh/repair.js';
export { meshTopology, type MeshTopology } from './mesh/topology.js';
export { boundingBox, type BoundingBox } from './mesh/bounding-box.js';
export type { MeshFormat } from './mesh/detect-format.js';

export type { Neighbourhood, SparseMatrix } from './geometry/neighbourhood.js';
export type { GaugeGeometry } from './geometry/gauge-geometry.js';
export { computeGaugeGeometry } from './geometry/compute-gauge-geometry.js';
export { computeVertexNormals } from './geometry/vertex-normals.js';
export { computeVertexAreas, computeTotalArea } from './geometry/vertex-areas.js';
export { meanEdgeLength } from './geometry/mean-edge-length.js';
export { computeTangentFrames, type TangentFrames } from './geometry/tangent-frames.js';
export { computeOneRing } from './geometry/one-ring.js';
export { computeCotanLaplacian, computeLumpedMass } from './geometry/cotan-laplacian.js';
export { geodesicPatches, type GeodesicPatchesOptions } from './geometry/geodesic-patches.js';
export { patchRadius, type PatchRadiusOptions } from './geometry/patch-radius.js';
export { buildHierarchy, type Hierarchy, type HierarchyLevel, type HierarchyOptions } from './geometry/hierarchy.js';
export { describeMesh, type MeshDescription } from './geometry/describe-mesh.js';
