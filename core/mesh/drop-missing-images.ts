import type { Document } from '@gltf-transform/core';

/** The key of the glTF root's `extras` listing the images a written file left out because they could not be read. */
export const MISSING_IMAGES_KEY = 'erlangenMissingImages';

/**
 * Removes the textures whose image could not be read when the document was loaded (gltfIO, gltf-io.ts,
 * reads a missing image file as a texture without data, so that the scan can still be labelled).
 * glTF-Transform would write such a texture as an image with neither `uri` nor `bufferView`, which
 * is invalid glTF. Materials keep everything else (factors, other textures). The images' URIs as
 * the input wrote them (or names, or `image <index>`) are added to the root's extras under
 * {@link MISSING_IMAGES_KEY} and returned; nothing changes when every image was read.
 */
export function dropMissingImages(document: Document): string[] {
  const root = document.getRoot();
  const missing: string[] = [];
  root.listTextures().forEach((texture, index) => {
    if (texture.getImage()) return;
    missing.push(texture.getURI() || texture.getName() || `image ${index}`);
    texture.dispose();
  });
  if (missing.length === 0) return missing;
  const extras = root.getExtras();
  // A file labelled again keeps the images its earlier output had already lost.
  const earlier = Array.isArray(extras[MISSING_IMAGES_KEY]) ? (extras[MISSING_IMAGES_KEY] as unknown[]) : [];
  root.setExtras({ ...extras, [MISSING_IMAGES_KEY]: [...earlier, ...missing] });
  return missing;
}
