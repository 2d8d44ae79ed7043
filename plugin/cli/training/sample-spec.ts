/** How a training or validation mesh is re-triangulated before use: augmentation against learning one connectivity. */
export type Retriangulation =
  | { kind: 'none' }
  /** Quadric simplification to about this many vertices (meshoptimizer). */
  | { kind: 'simplify'; vertices: number }
  /** Voxel remeshing at this grid resolution (meshoptimizer), a marching-cubes-like triangulation. */
  | { kind: 'remesh'; resolution: number };

/** One sample for a training worker to load: a labelled mesh file, possibly re-triangulated. */
export interface SampleSpec {
  readonly mesh: string;
  readonly labels: string;
  readonly retriangulation: Retriangulation;
}

/** A short name for progress and errors. */
export function describeSample(spec: SampleSpec): string {
  const r = spec.retriangulation;
  return r.kind === 'none' ? spec.mesh : `${spec.mesh} (${r.kind} ${r.kind === 'simplify' ? r.vertices : r.resolution})`;
}
