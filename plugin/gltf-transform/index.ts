/**
 * glTF-Transform integration (`erlangen/gltf-transform`): read meshes from a `Document` you
 * already hold, e.g. inside a `document.transform(...)` pipeline.
 * @packageDocumentation
 */
export { sourceMeshFromDocument, type SourceMeshFromDocumentOptions } from '../../core/mesh/source-mesh-from-document.js';
