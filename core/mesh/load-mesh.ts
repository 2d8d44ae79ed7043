import { loadSourceMesh, type LoadSourceMeshOptions } from './load-source-mesh.js';
import type { Mesh } from './mesh.js';
import { prepareMesh } from './prepare-mesh.js';

/** Options for {@link loadMesh}: the same as for {@link loadSourceMesh}. */
export type LoadMeshOptions = LoadSourceMeshOptions;

/** Defaults for {@link LoadMeshOptions}. */
export const LOAD_MESH_DEFAULTS: LoadMeshOptions = {};

/**
 * Loads a scan from a path or bytes and prepares it: {@link loadSourceMesh} then {@link prepareMesh}.
 * Keep the SourceMesh (load it yourself) when results must be written back per primitive.
 */
export async function loadMesh(input: string | Uint8Array, options: LoadMeshOptions = {}): Promise<Mesh> {
  return prepareMesh(await loadSourceMesh(input, options));
}
