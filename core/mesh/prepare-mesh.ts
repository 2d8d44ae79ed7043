import type { Mesh, SourceMesh } from './mesh.js';
import { repairMesh } from './repair.js';
import { weld } from './weld.js';

/**
 * Turns a SourceMesh into the welded, validated Mesh every geometry function works on:
 * {@link weld}, then {@link repairMesh} (repairs are listed in `mesh.repairs`).
 */
export function prepareMesh(source: SourceMesh): Mesh {
  return repairMesh(weld(source), { sourceTriangles: source.triangles });
}
