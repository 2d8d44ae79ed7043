import type { GaugeGeometry } from './gauge-geometry.js';

const NAME = 'patchRadius';

/** Options for {@link patchRadius}. */
export interface PatchRadiusOptions {
  /** The radius as a fraction of √(total area): the same physical share of the surface at any resolution. */
  fractionOfSqrtArea?: number;
}

/** Defaults of {@link PatchRadiusOptions}. */
export const PATCH_RADIUS_DEFAULTS = {
  // On the bundled SMPL body (1.96 m²) 3.5 cm, about 2 mean edges: 40 neighbours a row on average, median 17 (dense hands, face).
  fractionOfSqrtArea: 0.025,
} as const;

/**
 * A geodesic patch radius in mesh units that does not depend on the mesh's resolution or scale:
 * a fraction of √(total area). A multiple of the mean edge length would shrink the receptive
 * field of a denser mesh of the same surface, which is why it is not offered here.
 */
export function patchRadius(geometry: Pick<GaugeGeometry, 'totalArea'>, options: PatchRadiusOptions = {}): number {
  const fraction = options.fractionOfSqrtArea ?? PATCH_RADIUS_DEFAULTS.fractionOfSqrtArea;
  if (!(fraction > 0) || !Number.isFinite(fraction)) throw new Error(`${NAME}: fractionOfSqrtArea must be a positive number, got ${fraction}.`);
  if (!(geometry.totalArea > 0)) throw new Error(`${NAME}: the mesh has no area, so a radius relative to √(total area) is undefined.`);
  return fraction * Math.sqrt(geometry.totalArea);
}
