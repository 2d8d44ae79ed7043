/**
 * A .gltf's bytes with each external buffer embedded as a data: URI read by `readBuffer` (a page
 * has no folder to find a .bin next to the .gltf in). Other files, and a .gltf that needs none, come back unchanged.
 */
export async function embedGltfBuffers(bytes: Uint8Array, name: string, readBuffer: (uri: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  if (!/\.gltf$/i.test(name)) return bytes;
  let json: { buffers?: { uri?: string }[] };
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // Not JSON: the loader says what is wrong with it.
    return bytes;
  }
  const external = (json.buffers ?? []).filter((buffer) => buffer.uri !== undefined && !buffer.uri.startsWith('data:'));
  if (external.length === 0) return bytes;
  for (const buffer of external) buffer.uri = `data:application/octet-stream;base64,${base64(await readBuffer(buffer.uri!))}`;
  return new TextEncoder().encode(JSON.stringify(json));
}

/** The `readBuffer` of a .gltf opened alone: a page cannot look next to the file, so the user has to bring its .bin. */
export function missingGltfBuffer(name: string): (uri: string) => Promise<Uint8Array> {
  return async (uri) => {
    throw new Error(`${name}: its buffer ${uri} was not opened with it; choose or drop the .gltf together with its .bin, or open a .glb or a .gltf with embedded buffers.`);
  };
}

/** A dropped or chosen file's name as a glTF URI refers to it: the last path segment, decoded. */
export function uriFileName(uri: string): string {
  return decodeURIComponent(uri.split(/[/\\]/).pop() ?? uri);
}

function base64(bytes: Uint8Array): string {
  let text = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
