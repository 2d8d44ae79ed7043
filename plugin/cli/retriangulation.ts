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

/** Vertex targets `simplify:` and `isotropic:` accept: the simplifier needs at least a tetrahedron's 4; a target at or above the mesh's count keeps it. */
export const SIMPLIFY_VERTICES = { min: 4, max: 0xffffffff } as const;
/** Voxels along the longest side `remesh:` accepts (remeshMesh's range). */
export const REMESH_RESOLUTION = { min: 4, max: 256 } as const;
/** Subdivision levels `refine:` accepts: each level quadruples the triangles, so 3 is already 64 times the input. */
export const REFINE_LEVELS = { min: 1, max: 3 } as const;

/** The forms `--retriangulate` accepts with their ranges, for help texts and errors. */
export const RETRIANGULATION_FORMS =
  `simplify:<vertices, ${SIMPLIFY_VERTICES.min} or more>, isotropic:<vertices, ${SIMPLIFY_VERTICES.min} or more>, ` +
  `remesh:<voxels along the longest side, ${REMESH_RESOLUTION.min}–${REMESH_RESOLUTION.max}>, refine:<levels, ${REFINE_LEVELS.min}–${REFINE_LEVELS.max}>`;

/**
 * Parses `simplify:3000`, `isotropic:3000` (regularised simplification), `remesh:128`, `refine:1`
 * or `none`; the number is plain decimal digits within the ranges of {@link RETRIANGULATION_FORMS}.
 * @throws {@link UsageError} naming the text and every accepted form.
 */
export function parseRetriangulation(text: string): Retriangulation {
  if (text === 'none') return { kind: 'none' };
  const match = /^(simplify|isotropic|remesh|refine):(\d+)$/.exec(text);
  const n = match ? Number(match[2]) : NaN;
  const within = (range: { readonly min: number; readonly max: number }) => n >= range.min && n <= range.max;
  switch (match?.[1]) {
    case 'simplify': if (within(SIMPLIFY_VERTICES)) return { kind: 'simplify', vertices: n }; break;
    case 'isotropic': if (within(SIMPLIFY_VERTICES)) return { kind: 'simplify', vertices: n, regular: true }; break;
    case 'remesh': if (within(REMESH_RESOLUTION)) return { kind: 'remesh', resolution: n }; break;
    case 'refine': if (within(REFINE_LEVELS)) return { kind: 'refine', levels: n }; break;
  }
  throw new UsageError(`--retriangulate '${text}' is not a re-triangulation: use ${RETRIANGULATION_FORMS}, or none`);
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
