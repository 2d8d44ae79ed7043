import { formatFromPath, isGlb, sniffFormat, type MeshFormat } from './detect-format.js';
import type { SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { readGltf } from './read-gltf.js';
import { readObj } from './read-obj.js';
import { readOff } from './read-off.js';
import { readPly } from './read-ply.js';
import { assertFinitePositions } from './source-checks.js';

/** Options for {@link loadSourceMesh}. */
export interface LoadSourceMeshOptions {
  /** The file format; when absent, taken from the extension, else from the first bytes. */
  format?: MeshFormat;
  /** Name used in error messages and stored as `SourceMesh.file`; defaults to the path, or `<bytes>`. */
  file?: string;
}

/** Defaults for {@link LoadSourceMeshOptions}. */
export const LOAD_SOURCE_MESH_DEFAULTS: LoadSourceMeshOptions = {};

/**
 * Loads a scan (glTF/GLB with Draco or meshopt, OBJ, PLY ascii/binary, OFF) from a path or from
 * bytes into a SourceMesh: the file's own vertices, node transforms applied, faces as triangles.
 * Bad input throws a {@link MeshError} whose message names the file.
 */
export async function loadSourceMesh(input: string | Uint8Array, options: LoadSourceMeshOptions = {}): Promise<SourceMesh> {
  const { bytes, file, path, format } = await readScanInput(input, options);
  const source = await readSource(format, bytes, file, path);
  assertFinitePositions(file, source.positions);
  return source;
}

/** A scan's bytes with the name errors use, its path (if read from disk) and its resolved format. */
export interface ScanInput {
  readonly bytes: Uint8Array;
  readonly file: string;
  readonly path: string | undefined;
  readonly format: MeshFormat;
}

/** Reads a path (or takes bytes) and settles the format; empty input and unknown formats throw {@link MeshError}. */
export async function readScanInput(input: string | Uint8Array, options: LoadSourceMeshOptions = {}): Promise<ScanInput> {
  const path = typeof input === 'string' ? input : undefined;
  const file = options.file ?? path ?? '<bytes>';
  const bytes = path === undefined ? (input as Uint8Array) : await readFileBytes(path, file);
  if (isBlank(bytes)) throw new MeshError('EMPTY', file, 'is empty; the export or download did not finish');
  let format = options.format ?? formatFromPath(file) ?? (path !== undefined ? formatFromPath(path) : null) ?? sniffFormat(bytes);
  if (format === null) {
    throw new MeshError('UNSUPPORTED_FORMAT', file, 'is not a format Erlangen reads (glTF, GLB, OBJ, PLY, OFF); convert it, or pass options.format if only the extension is missing');
  }
  // A .gltf that is really binary (or the other way round) is read as what it is.
  if (format === 'gltf' || format === 'glb') format = isGlb(bytes) ? 'glb' : 'gltf';
  return { bytes, file, path, format };
}

/** Parses bytes of a known format into a SourceMesh. */
export function readSource(format: MeshFormat, bytes: Uint8Array, file: string, path: string | undefined): SourceMesh | Promise<SourceMesh> {
  switch (format) {
    case 'gltf':
    case 'glb':
      return readGltf(bytes, file, path);
    case 'obj':
      return readObj(bytes, file);
    case 'ply':
      return readPly(bytes, file);
    case 'off':
      return readOff(bytes, file);
  }
}

async function readFileBytes(path: string, file: string): Promise<Uint8Array> {
  // Imported on demand so browser bundles of core, which never pass paths, do not need node:fs.
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MeshError('IO', file, `cannot be read (${reason}); check the path and its permissions`, { cause: error });
  }
}

// Empty, or only whitespace: nothing any format could hold.
function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}
