import { ImageUtils, type Document, type Texture } from '@gltf-transform/core';

// Enough to tell images apart while `<stem>_<image>.<ext>` stays far below the 255-byte file-name limit.
const MAX_IMAGE_NAME_LENGTH = 64;

/**
 * Names every buffer and image of a document after the `.gltf` file it is about to be written as,
 * so that the output writes files of its own, not the ones its input or another output named:
 * `<stem>.bin` (`<stem>_<i>.bin`, i the buffer's index, when there are several) and
 * `<stem>_<image>.<ext>`, where `<image>` is the image's name, else its old file name, else its
 * index, with anything but letters, digits, `_` and `-` made `_` (so no name reaches another
 * folder), and a suffix `_<n>` where a name, in any case, is already given or is in `foreign`
 * (lower-cased names of files the output must not replace). Returns the URIs given,
 * percent-encoded as glTF URIs are.
 */
export function nameResourcesAfterOutput(document: Document, stem: string, foreign: ReadonlySet<string> = new Set()): Set<string> {
  const root = document.getRoot();
  const taken = new Set(foreign);
  const uris = new Set<string>();
  const claim = (name: (suffix: string) => string): string => {
    let fileName = name('');
    // Compared without case: on macOS and Windows `Color.png` and `color.png` are one file.
    for (let n = 1; taken.has(fileName.toLowerCase()); n++) fileName = name(`_${n}`);
    taken.add(fileName.toLowerCase());
    const uri = encodeURIComponent(fileName);
    uris.add(uri);
    return uri;
  };
  const buffers = root.listBuffers();
  buffers.forEach((buffer, index) => {
    const part = buffers.length === 1 ? '' : `_${index}`;
    buffer.setURI(claim((suffix) => `${stem}${part}${suffix}.bin`));
  });
  root.listTextures().forEach((texture, index) => {
    const image = imageName(texture, index);
    const extension = imageExtension(texture);
    texture.setURI(claim((suffix) => `${stem}_${image}${suffix}.${extension}`));
  });
  return uris;
}

function imageName(texture: Texture, index: number): string {
  // The old URI's file name without folders or extension: `textures/skin.v2.png` → `skin.v2`.
  const given = texture.getName() || texture.getURI().replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return given.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, MAX_IMAGE_NAME_LENGTH) || String(index);
}

// From the MIME type (how glTF-Transform names images), else the old file's; `bin` when neither says.
function imageExtension(texture: Texture): string {
  const extension = ImageUtils.mimeTypeToExtension(texture.getMimeType()) || (/\.([^./\\]+)$/.exec(texture.getURI())?.[1] ?? '');
  return extension.toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin';
}
