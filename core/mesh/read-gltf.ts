import type { Document, GLTF } from '@gltf-transform/core';
import { gltfIO } from './gltf-io.js';
import type { SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { readGltfContainer } from './read-glb-container.js';
import { sourceMeshFromDocument } from './source-mesh-from-document.js';

// The resource key glTF-Transform gives a GLB's binary chunk.
const GLB_BUFFER = '@glb.bin';

/**
 * Reads glTF or GLB bytes (Draco and meshopt compressed too) into a SourceMesh. With `path`,
 * external buffers are read from next to the file; from bytes alone they cannot be resolved.
 */
export async function readGltf(bytes: Uint8Array, file: string, path?: string): Promise<SourceMesh> {
  return sourceMeshFromDocument(await readGltfDocument(bytes, file, path), { file });
}

/**
 * Reads glTF or GLB bytes into a glTF-Transform Document with every extension kept, for writing
 * results back into the file's own structure. Errors as for {@link readGltf}.
 */
export async function readGltfDocument(bytes: Uint8Array, file: string, path?: string): Promise<Document> {
  // glTF-Transform views buffers as typed arrays, which need 4-byte alignment.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const { json, bin } = readGltfContainer(aligned, file);
  const isExternal = (resource: { uri?: string }) => resource.uri !== undefined && !resource.uri.startsWith('data:');
  const externalBuffers = (json.buffers ?? []).some(isExternal);
  if (externalBuffers && path === undefined) {
    throw new MeshError('PARSE', file, 'refers to external buffer files, which cannot be found from bytes alone; load it from its path');
  }
  const external = externalBuffers || (json.images ?? []).some(isExternal);
  return readDocument(json, bin, file, external ? path : undefined);
}

async function readDocument(json: GLTF.IGLTF, bin: Uint8Array | null, file: string, path: string | undefined): Promise<Document> {
  try {
    const io = await gltfIO({ extensionsUsed: json.extensionsUsed ?? [], node: path !== undefined });
    if (path !== undefined) return await io.read(path);
    return await io.readJSON({ json, resources: bin ? { [GLB_BUFFER]: bin as Uint8Array<ArrayBuffer> } : {} });
  } catch (error) {
    if (error instanceof MeshError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) {
      throw new MeshError('IO', file, `cannot read a resource it refers to (${reason}); keep its .bin and textures next to it`, { cause: error });
    }
    if (error instanceof RangeError) {
      throw new MeshError('TRUNCATED', file, `data it refers to lies outside its buffers (${reason}); the file is cut short or corrupt`, { cause: error });
    }
    throw new MeshError('PARSE', file, `cannot read it as glTF (${reason}); check it with the glTF validator`, { cause: error });
  }
}
