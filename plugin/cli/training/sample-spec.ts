import { formatRetriangulation, type Retriangulation } from '../retriangulation.js';

/** One sample for a training worker to load: a labelled mesh file, possibly re-triangulated. */
export interface SampleSpec {
  readonly mesh: string;
  readonly labels: string;
  readonly retriangulation: Retriangulation;
}

/** A short name for progress and errors. */
export function describeSample(spec: SampleSpec): string {
  return spec.retriangulation.kind === 'none' ? spec.mesh : `${spec.mesh} (${formatRetriangulation(spec.retriangulation)})`;
}
