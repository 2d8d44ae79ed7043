import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { readGltfJson } from './labelling-stamp.js';

/**
 * The names, lower-cased, of the files beside the `.gltf` at `path` that writing it must not
 * replace: every file in its folder except the buffers and images its earlier version (the glTF
 * now at `path`, if any) refers to, which a rewrite replaces. So an input's `.bin` or another
 * output's image that happens to carry the name this output would give is left alone.
 */
export async function foreignFileNames(path: string): Promise<Set<string>> {
  const names = new Set((await readdir(dirname(path)).catch(() => [] as string[])).map((name) => name.toLowerCase()));
  names.delete(basename(path).toLowerCase());
  for (const uri of await resourceURIs(path)) names.delete(fileNameOf(uri).toLowerCase());
  return names;
}

// The buffer and image URIs of the glTF JSON at `path`; none when there is no such file or it is not glTF JSON.
async function resourceURIs(path: string): Promise<string[]> {
  try {
    const json = (await readGltfJson(path)) as { buffers?: { uri?: unknown }[]; images?: { uri?: unknown }[] };
    return [...(json.buffers ?? []), ...(json.images ?? [])].flatMap((resource) => (typeof resource.uri === 'string' ? [resource.uri] : []));
  } catch {
    return [];
  }
}

// A URI as a file name in the glTF's own folder (`./a%20b.bin` → `a b.bin`); one with a folder matches no name there.
function fileNameOf(uri: string): string {
  try {
    return decodeURIComponent(uri.replace(/^\.\//, ''));
  } catch {
    return uri;
  }
}
