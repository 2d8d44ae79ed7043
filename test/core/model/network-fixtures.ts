import type { Architecture } from '../../../core/model/architecture.js';
import { PREPROCESSING_DEFAULTS, type Preprocessing } from '../../../core/model/network-input.js';
export { bumpySphere } from '../../fixtures/meshes.js';

/** The defaults, coarse enough for a 642-vertex sphere: 149, 43 and 15 vertices on levels 1–3 of bumpySphere(3). */
export const SMALL_PREPROCESSING: Preprocessing = { ...PREPROCESSING_DEFAULTS, spacingFraction: 0.06 };

/** A small network of every layer type; `samples` is the regular nonlinearity's N. */
export function smallArchitecture(samples: number, nonlinearity: Architecture['nonlinearity'] = 'relu'): Architecture {
  return { maxOrder: 2, samples, nonlinearity, rings: 3, channels: [4, 6, 8], blocks: 1, outputChannels: 6, classes: 5, dropout: 0, convRadius: 2.5, outputRadius: 1.5 };
}
