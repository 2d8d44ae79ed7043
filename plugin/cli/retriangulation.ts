import type { Mesh } from '../../core/mesh/mesh.js';
import { refineMesh, remeshMesh, simplifyMesh, type Retriangulation as Retriangulated } from '../../core/mesh/retriangulate.js';
import { UsageError } from './command.js';

/** How a mesh is re-triangulated before use: training augmentation and robustness checks. */
export type Retriangulation =
  | { kind: 'none' }
  /** Quadric simplification to about this many vertices (meshoptimizer); `regular` favours even triangles. */
  | { kind: 'simplify'; vertices: number; regular?: boolean }
  /** Voxel remeshing with this many voxels along the longest side (meshoptimizer), a marching-cubes-like triangulation. */
  | { kind: 'remesh'; resolution: number }
  /** Midpoint subdivision, `levels` times, new vertices jittered along their edges. */
  | { kind: 'refine'; levels: number };

/** The re-triangulated mesh with each vertex's origin in the input, or the input itself. */
export async function retriangulate(mesh: Mesh, r: Retriangulation): Promise<Retriangulated | null> {
  switch (r.kind) {
    case 'none': return null;
    case 'simplify': return simplifyMesh(mesh, r.vertices, { regularize: r.regular ?? false });
    case 'remesh': return remeshMesh(mesh, r.resolution, { solve: true });
    case 'refine': return refineMesh(mesh, { levels: r.levels, jitter: 0.3 });
  }
}

/** Parses `simplify:3000`, `isotropic:3000` (regularised simplification), `remesh:128`, `refine:1` or `none`. */
export function parseRetriangulation(text: string): Retriangulation {
  const [kind, value] = text.split(':');
  const n = Number(value);
  const positive = Number.isInteger(n) && n > 0;
  if (kind === 'none' && value === undefined) return { kind: 'none' };
  if (kind === 'simplify' && positive) return { kind: 'simplify', vertices: n };
  if (kind === 'isotropic' && positive) return { kind: 'simplify', vertices: n, regular: true };
  if (kind === 'remesh' && positive && n >= 4 && n <= 256) return { kind: 'remesh', resolution: n };
  if (kind === 'refine' && positive && n <= 3) return { kind: 'refine', levels: n };
  throw new UsageError(`'${text}' is not a re-triangulation: use simplify:<vertices>, isotropic:<vertices>, remesh:<4–256>, refine:<1–3> or none`);
}

/** The inverse of parseRetriangulation. */
export function formatRetriangulation(r: Retriangulation): string {
  switch (r.kind) {
    case 'none': return 'none';
    case 'simplify': return `${r.regular ? 'isotropic' : 'simplify'}:${r.vertices}`;
    case 'remesh': return `remesh:${r.resolution}`;
    case 'refine': return `refine:${r.levels}`;
  }
}
