import { BufferUtils, type Document, type GLTF, type JSONDocument } from '@gltf-transform/core';
import { assertGltfRangesFit, type GltfBufferBytes } from './gltf-buffer-ranges.js';
import { gltfIO } from './gltf-io.js';
import type { SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { readGltfContainer } from './read-glb-container.js';
import { sourceMeshFromDocument } from './source-mesh-from-document.js';

// The resource key glTF-Transform gives a GLB's binary chunk.
const GLB_BUFFER = '@glb.bin';
// Resource keys for decoded data: URIs; glTF-Transform gives a buffer whose URI starts with "__" no URI of its own.
const DATA_URI_KEY = '__data-uri-';

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
    const jsonDocument = path !== undefined
      ? await io.readAsJSON(path)
      : withDataUrisDecoded({ json, resources: bin ? { [GLB_BUFFER]: bin as Uint8Array<ArrayBuffer> } : {} });
    // Before glTF-Transform reads: it takes an accessor past its data from whatever memory follows.
    assertGltfRangesFit(file, jsonDocument.json, bufferBytes(jsonDocument));
    return await io.readJSON(jsonDocument);
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

// Decoded once, here: the range check needs their real length, and glTF-Transform reuses the bytes.
function withDataUrisDecoded({ json, resources }: JSONDocument): JSONDocument {
  if (!json.buffers?.some((buffer) => buffer.uri?.startsWith('data:'))) return { json, resources };
  const decoded = { ...resources };
  const buffers = json.buffers.map((buffer, index) => {
    if (!buffer.uri?.startsWith('data:')) return buffer;
    const key = `${DATA_URI_KEY}${index}.bin`;
    decoded[key] = BufferUtils.createBufferFromDataURI(buffer.uri);
    return { ...buffer, uri: key };
  });
  return { json: { ...json, buffers }, resources: decoded };
}

// A buffer without a URI is the GLB binary chunk (glTF 2.0 allows that only for buffer 0).
function bufferBytes({ json, resources }: JSONDocument): (GltfBufferBytes | undefined)[] {
  return (json.buffers ?? []).map((buffer, index) => {
    const bytes = buffer.uri === undefined ? (index === 0 ? resources[GLB_BUFFER] : undefined) : resources[buffer.uri];
    if (!bytes) return undefined;
    const source = buffer.uri === undefined ? 'the GLB binary chunk' : buffer.uri.startsWith('__') ? 'its data: URI' : buffer.uri;
    return { bytes, source };
  });
}
