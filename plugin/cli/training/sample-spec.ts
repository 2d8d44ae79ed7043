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
  const changes = [...(spec.retriangulation.kind === 'none' ? [] : [formatRetriangulation(spec.retriangulation)]), ...(spec.stretch ? ['stretched'] : [])];
  return changes.length === 0 ? spec.mesh : `${spec.mesh} (${changes.join(', ')})`;
}
