import { basename, dirname, join } from 'node:path';
import type { Document } from '@gltf-transform/core';
import { gltfIO } from '../../../core/mesh/gltf-io.js';
import { writeFileAtomic } from '../write-file-atomic.js';

/**
 * Writes a document as GLB, or as `.gltf` JSON with its buffers and images beside it when the
 * path ends in `.gltf`; Draco or meshopt compression the document uses is applied again. Every
 * file is written atomically, the JSON last, so a reader never sees a glTF whose resources are missing.
 */
export async function writeGltfFile(document: Document, path: string): Promise<void> {
  const extensionsUsed = document.getRoot().listExtensionsUsed().map((extension) => extension.extensionName);
  const io = await gltfIO({ extensionsUsed, node: true, encode: true });
  if (!path.toLowerCase().endsWith('.gltf')) {
    await writeFileAtomic(path, await io.writeBinary(document));
    return;
  }
  const { json, resources } = await io.writeJSON(document, { basename: basename(path, '.gltf') });
  for (const [uri, bytes] of Object.entries(resources)) await writeFileAtomic(join(dirname(path), decodeURIComponent(uri)), bytes);
  await writeFileAtomic(path, JSON.stringify(json, null, 2));
}
