import { formatRetriangulation, type Retriangulation } from '../retriangulation.js';
import type { Stretch } from './random-stretch.js';

/** One sample for a training worker to load: a labelled mesh file, possibly re-triangulated and stretched. */
export interface SampleSpec {
  readonly mesh: string;
  readonly labels: string;
  readonly retriangulation: Retriangulation;
  /** A linear map applied to the (re-triangulated) positions: the body with other proportions. */
  readonly stretch?: Stretch;
}

/** A short name for progress and errors. */
export function describeSample(spec: SampleSpec): string {
  const changes = describeChanges(spec);
  return changes === null ? spec.mesh : `${spec.mesh} (${changes})`;
}

/** How the sample differs from its mesh file (`simplify:3000, stretched`), or null for the file as it is. */
export function describeChanges(spec: SampleSpec): string | null {
  const changes = [...(spec.retriangulation.kind === 'none' ? [] : [formatRetriangulation(spec.retriangulation)]), ...(spec.stretch ? ['stretched'] : [])];
  return changes.length === 0 ? null : changes.join(', ');
}
