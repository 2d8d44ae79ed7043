/** File formats `loadSourceMesh` reads. */
export type MeshFormat = 'gltf' | 'glb' | 'obj' | 'ply' | 'off';

/** All formats, for messages and CLI help. */
export const MESH_FORMATS: readonly MeshFormat[] = ['gltf', 'glb', 'obj', 'ply', 'off'];

const EXTENSIONS: Record<string, MeshFormat> = { gltf: 'gltf', glb: 'glb', obj: 'obj', ply: 'ply', off: 'off' };

/** Format named by a path's extension (case-insensitive), or null for any other extension. */
export function formatFromPath(path: string): MeshFormat | null {
  const match = /\.([a-z0-9]+)$/i.exec(path);
  return (match && EXTENSIONS[match[1]!.toLowerCase()]) ?? null;
}

/** Whether the bytes start with the GLB magic 'glTF'. */
export function isGlb(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x67 && bytes[1] === 0x6c && bytes[2] === 0x54 && bytes[3] === 0x46;
}

/** Looks at most this far into a text file for its first record. */
const SNIFF_BYTES = 4096;

/** Format recognised from the first bytes: GLB magic, '{', 'ply', an OFF keyword or OBJ records; null if none. */
export function sniffFormat(bytes: Uint8Array): MeshFormat | null {
  if (isGlb(bytes)) return 'glb';
  let head = '';
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) head += String.fromCharCode(bytes[i]!);
  head = head.replace(/^\u00EF\u00BB\u00BF/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{')) return 'gltf';
  if (/^ply\s/.test(trimmed)) return 'ply';
  for (const line of head.split(/\r?\n/)) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    // OFF headers: [ST][C][N][4][n]OFF, possibly after comment lines.
    if (/^(ST)?C?N?4?n?OFF(\s|$)/.test(text)) return 'off';
    if (/^(v|vn|vt|vp|f|o|g|s|l|p|mtllib|usemtl)\s/.test(text)) return 'obj';
    return null;
  }
  return null;
}
