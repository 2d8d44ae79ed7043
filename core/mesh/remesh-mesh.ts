import type { RemesherFlags } from 'meshoptimizer';
import type { Mesh } from './mesh.js';
import { nearestVertices } from './nearest-vertex.js';
import { prepareRetriangulated, simplifyMesh, type Retriangulation } from './simplify-mesh.js';

const NAME = 'remeshMesh';

// meshoptimizer 1.3 asserts 4 ≤ resolution ≤ 256 (its grid is resolution³ bytes).
const MIN_RESOLUTION = 4, MAX_RESOLUTION = 256;

/** Options for {@link remeshMesh}. */
export interface RemeshMeshOptions {
  /** Place each vertex at the minimiser of its voxel's plane quadric (clamped to the voxel) instead of the voxel's surface centroid: sharper creases (`Solve`). */
  solve?: boolean;
  /** Skip filling the voxels enclosed by the surface (`Shell`): a closed surface then comes back two-sided, inside and outside (area ×1.7 on a sphere). */
  shell?: boolean;
  /** When set, simplify the remeshed surface to about this many vertices (see simplifyMesh); origins are composed. */
  targetVertexCount?: number | null;
}

/** Defaults for {@link RemeshMeshOptions}. */
export const REMESH_MESH_DEFAULTS: Required<RemeshMeshOptions> = { solve: false, shell: false, targetVertexCount: null };

/** A remeshed mesh, its origins, and the voxel edge length it was built at. */
export interface RemeshResult extends Retriangulation {
  /** Edge of a voxel in model units: the longest bounding-box side / (resolution − 2). */
  readonly voxelSize: number;
}

/**
 * Voxel remeshing, a marching-cubes-style re-triangulation (meshoptimizer's experimental `remesh`).
 * `resolution` (an integer, 4 to 256) is the number of voxels along the longest side of the
 * bounding box, one of them padding at either end, so a voxel's edge is that side / (resolution − 2).
 * The surface is rasterised into the grid, voxels enclosed by it are filled (unless `shell`), and
 * the boundary of the solid is triangulated with one vertex per surface voxel, at the area-weighted
 * centroid of the input surface inside it, so every vertex is within a voxel diagonal of the input
 * surface. Only the outside is kept: inner shells and cavities vanish and parts closer than a voxel
 * merge. The result is kept as meshoptimizer gives it after welding and repair, so it may have
 * several components and holes: separate input parts stay apart, and the repair detaches faces at
 * the few non-manifold edges the corner-connecting cases make (on the SMPL body at resolution
 * 96–160: 1–3 islands of at most 6 triangles and up to 3 small boundary loops; none at 192).
 * `origin[v]` is the input vertex nearest to output vertex v (Euclidean). The vertex count grows
 * about as resolution² (SMPL body: 96 → 4.8k, 128 → 8.5k, 160 → 13k, 192 → 19k vertices).
 */
export async function remeshMesh(mesh: Mesh, resolution: number, options: RemeshMeshOptions = {}): Promise<RemeshResult> {
  const { solve, shell, targetVertexCount } = { ...REMESH_MESH_DEFAULTS, ...options };
  if (!(Number.isInteger(resolution) && resolution >= MIN_RESOLUTION && resolution <= MAX_RESOLUTION)) {
    throw new RangeError(`${NAME}: resolution must be an integer from ${MIN_RESOLUTION} to ${MAX_RESOLUTION}, got ${resolution}`);
  }
  // Loaded on first use: its WebAssembly stays out of bundles (the viewer's) that never simplify.
  const { MeshoptSimplifier } = await import('meshoptimizer');
  await MeshoptSimplifier.ready;
  const positions32 = Float32Array.from(mesh.positions);
  const flags: RemesherFlags[] = [];
  if (solve) flags.push('Solve');
  if (shell) flags.push('Shell');
  // A triangle soup: 9 floats per triangle, vertices shared between triangles bit for bit.
  const soup = MeshoptSimplifier.remesh(mesh.triangles, positions32, 3, resolution, flags);
  if (soup.length === 0) throw new RangeError(`${NAME}: the remesher returned no triangles at resolution ${resolution}`);
  const corners = new Uint32Array(soup.length / 3);
  for (let i = 0; i < corners.length; i++) corners[i] = i;
  const remeshed = prepareRetriangulated(mesh.file, soup, corners).mesh;
  const origin = nearestVertices(mesh.positions, remeshed.positions);
  const voxelSize = longestSide(positions32) / (resolution - 2);
  if (targetVertexCount == null || targetVertexCount >= remeshed.positions.length / 3) return { mesh: remeshed, origin, voxelSize };
  const simplified = await simplifyMesh(remeshed, targetVertexCount);
  return { mesh: simplified.mesh, origin: simplified.origin.map((v) => origin[v]!), voxelSize };
}

function longestSide(positions: Float32Array): number {
  let longest = 0;
  for (let a = 0; a < 3; a++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = a; i < positions.length; i += 3) {
      const v = positions[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    longest = Math.max(longest, hi - lo);
  }
  return longest;
}
