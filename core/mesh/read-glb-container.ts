import type { GLTF } from '@gltf-transform/core';
import { isGlb } from './detect-format.js';
import { MeshError } from './mesh-error.js';

const JSON_CHUNK = 0x4e4f534a, BIN_CHUNK = 0x004e4942, HEADER_BYTES = 12, CHUNK_HEADER_BYTES = 8;

/** The JSON and binary chunk of a glTF file, checked for truncation before any parsing. */
export interface GltfContainer {
  readonly json: GLTF.IGLTF;
  /** The GLB binary chunk, or null for .gltf JSON and GLBs without one. */
  readonly bin: Uint8Array | null;
}

/** Splits a GLB (or parses a .gltf JSON) into its JSON and BIN chunk, with TRUNCATED/PARSE errors a person can act on. */
export function readGltfContainer(bytes: Uint8Array, file: string): GltfContainer {
  if (!isGlb(bytes)) {
    const json = parseJson(new TextDecoder().decode(bytes), file);
    return { json, bin: null };
  }
  const truncated = (detail: string) => new MeshError('TRUNCATED', file, `${detail}; the GLB was cut short (re-download or re-export it)`);
  if (bytes.length < HEADER_BYTES) throw truncated(`has ${bytes.length} bytes, fewer than the 12-byte GLB header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== 2) throw new MeshError('UNSUPPORTED_FORMAT', file, `is a version ${version} GLB; only glTF 2.0 is supported, convert it with a current exporter`);
  const length = view.getUint32(8, true);
  if (length > bytes.length) throw truncated(`its header says ${length} bytes but the file has ${bytes.length}`);
  if (length < HEADER_BYTES + CHUNK_HEADER_BYTES) throw truncated(`its header says ${length} bytes, too few for a JSON chunk`);
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== JSON_CHUNK) throw new MeshError('PARSE', file, 'the first GLB chunk is not JSON; the file is corrupt');
  const jsonEnd = HEADER_BYTES + CHUNK_HEADER_BYTES + jsonLength;
  if (jsonEnd > length) throw truncated(`its JSON chunk says ${jsonLength} bytes but only ${length - 20} follow`);
  const json = parseJson(new TextDecoder().decode(bytes.subarray(20, jsonEnd)), file);
  let bin: Uint8Array | null = null;
  if (jsonEnd + CHUNK_HEADER_BYTES <= length && view.getUint32(jsonEnd + 4, true) === BIN_CHUNK) {
    const binLength = view.getUint32(jsonEnd, true);
    const binStart = jsonEnd + CHUNK_HEADER_BYTES;
    if (binStart + binLength > length) throw truncated(`its binary chunk says ${binLength} bytes but only ${length - binStart} follow`);
    bin = bytes.subarray(binStart, binStart + binLength);
  }
  const glbBuffer = json.buffers?.[0];
  if (glbBuffer && glbBuffer.uri === undefined && glbBuffer.byteLength > (bin?.length ?? 0)) {
    throw truncated(`buffer 0 declares ${glbBuffer.byteLength} bytes but the binary chunk holds ${bin?.length ?? 0}`);
  }
  return { json, bin };
}

function parseJson(text: string, file: string): GLTF.IGLTF {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MeshError('PARSE', file, `its glTF JSON does not parse (${(error as Error).message}); the file is corrupt or not glTF`, { cause: error });
  }
  const asset = (json as { asset?: { version?: unknown } } | null)?.asset;
  if (typeof json !== 'object' || json === null || !asset) throw new MeshError('PARSE', file, 'its JSON has no glTF "asset"; it is not a glTF file');
  if (asset.version !== '2.0') {
    throw new MeshError('UNSUPPORTED_FORMAT', file, `is glTF ${String(asset.version)}; only glTF 2.0 is supported, convert it with a current exporter`);
  }
  return json as GLTF.IGLTF;
}
