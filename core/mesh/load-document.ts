import type { Document } from '@gltf-transform/core';
import { documentFromSourceMesh } from './document-from-source-mesh.js';
import { readScanInput, readSource, type LoadSourceMeshOptions } from './load-source-mesh.js';
import { readGltfDocument } from './read-gltf.js';
import { assertFinitePositions } from './source-checks.js';

/**
 * Loads a scan from a path or bytes as a glTF Document: glTF and GLB as they are (every node,
 * material, texture and extension kept), OBJ, PLY and OFF as one mesh of the file's vertices
 * (see {@link documentFromSourceMesh}). Errors are the {@link MeshError}s of loading; glTF
 * geometry is checked when the document's SourceMesh is taken (sourceMeshFromDocument).
 */
export async function loadDocument(input: string | Uint8Array, options: LoadSourceMeshOptions = {}): Promise<Document> {
  const { bytes, file, path, format } = await readScanInput(input, options);
  if (format === 'gltf' || format === 'glb') return readGltfDocument(bytes, file, path);
  const source = await readSource(format, bytes, file, path);
  assertFinitePositions(file, source.positions);
  return documentFromSourceMesh(source);
}
