import { basename, dirname, join } from 'node:path';
import type { Document } from '@gltf-transform/core';
import { dropMissingImages } from '../../../core/mesh/drop-missing-images.js';
import { gltfIO } from '../../../core/mesh/gltf-io.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { foreignFileNames } from './foreign-file-names.js';
import { nameResourcesAfterOutput } from './output-resource-uris.js';

const GLTF_EXTENSION = '.gltf';

/** What {@link writeGltfFile} left out of the file it wrote. */
export interface WrittenGltf {
  /**
   * URIs (or names) of the images that could not be read when the document was loaded: their
   * textures are not in the file, which lists them in its root extras (drop-missing-images.ts).
   */
  readonly missingImages: readonly string[];
}

/**
 * Writes a document as GLB, or as `.gltf` JSON (the extension in any case) with its buffers and
 * images beside it, each named after the output (`<stem>.bin`, `<stem>_<image>.<ext>`; see
 * output-resource-uris.ts) and never replacing a file there that the output's earlier version
 * does not refer to (`<stem>_1.bin` then), so it never overwrites its input's or another output's.
 * Draco or meshopt compression the document uses is applied again. Textures whose image could not
 * be read are left out and returned, so the file is valid glTF. Every file is written atomically,
 * the JSON last, so a reader never sees a glTF whose resources are missing. The document's URIs
 * and textures are changed: discard it afterwards, or pass a clone.
 * @throws Error `<file>: cannot write (<reason>)` from writeFileAtomic; Error `resource <uri> is not
 * named after <path>` should glTF-Transform write a resource this function did not name.
 */
export async function writeGltfFile(document: Document, path: string): Promise<WrittenGltf> {
  const missingImages = dropMissingImages(document);
  const extensionsUsed = document.getRoot().listExtensionsUsed().map((extension) => extension.extensionName);
  const io = await gltfIO({ extensionsUsed, node: true, encode: true });
  if (!path.toLowerCase().endsWith(GLTF_EXTENSION)) {
    await writeFileAtomic(path, await io.writeBinary(document));
    return { missingImages };
  }
  const owned = nameResourcesAfterOutput(document, basename(path).slice(0, -GLTF_EXTENSION.length), await foreignFileNames(path));
  const { json, resources } = await io.writeJSON(document);
  // Checked before any write, not assumed: a URI not named above could be a file the input or another output owns.
  const unnamed = Object.keys(resources).find((uri) => !owned.has(uri));
  if (unnamed !== undefined) throw new Error(`resource ${unnamed} is not named after ${path}; nothing written`);
  for (const [uri, bytes] of Object.entries(resources)) await writeFileAtomic(join(dirname(path), decodeURIComponent(uri)), bytes);
  await writeFileAtomic(path, JSON.stringify(json, null, 2));
  return { missingImages };
}
