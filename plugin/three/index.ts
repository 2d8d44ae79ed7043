/**
 * three.js integration (`erlangen/three`). Opt-in: nothing here patches three.js.
 * @packageDocumentation
 */
export { sourceMeshFromGeometry, type SourceMeshFromGeometryOptions } from './source-mesh-from-geometry.js';
