/** Options for {@link distanceDistribution}. */
export interface DistanceDistributionOptions {
  /** Number of hat-function bins of the soft histogram, centred evenly from 0 to `histogramRange`. */
  bins?: number;
  /** Centre of the last bin, in units of the global mean distance; larger distances fall into it. */
  histogramRange?: number;
}

/** Defaults of {@link DistanceDistributionOptions}. */
export const DISTANCE_DISTRIBUTION_DEFAULTS = {
  bins: 8,
  // Normalised distances on the SMPL body reach about 2.6 (hand to foot); 2.8 keeps them off the clamp.
  histogramRange: 2.8,
} as const;

/** Per-vertex statistics of the distances to the sources, in units of the global mean distance. */
export interface DistanceDistribution {
  /** The area-weighted mean of all vertex-to-source distances, mesh units: the length everything is divided by. */
  readonly meanDistance: number;
  /** Per vertex: weighted mean normalised distance to the sources (the average geodesic distance, AGD). */
  readonly mean: Float64Array;
  /** Per vertex: weighted standard deviation of its normalised distances. */
  readonly deviation: Float64Array;
  /** Per vertex: the largest normalised distance to a source (eccentricity). */
  readonly maximum: Float64Array;
  /** Per vertex, `bins` values vertex-major: weighted soft histogram of its normalised distances, summing to 1. */
  readonly histogram: Float64Array;
  readonly bins: number;
}

/**
 * Statistics of geodesic distances from every vertex to a weighted set of sources, normalised by
 * their global mean so that scale and a multiplicative bias of graph distances cancel.
 * `distances` is source-major (s · V + v); `sourceWeights` weigh sources (cell areas, so the
 * sources stand for the surface they cover), `vertexWeights` weigh vertices in the global mean.
 * The histogram uses hat (linear) binning, so it moves continuously with the distances.
 * Unreachable sources (Infinity, another component) are left out of a vertex's statistics.
 */
export function distanceDistribution(
  distances: Float64Array,
  sourceWeights: Float64Array,
  vertexWeights: Float64Array,
  options: DistanceDistributionOptions = {},
): DistanceDistribution {
  const bins = options.bins ?? DISTANCE_DISTRIBUTION_DEFAULTS.bins;
  const range = options.histogramRange ?? DISTANCE_DISTRIBUTION_DEFAULTS.histogramRange;
  const sourceCount = sourceWeights.length;
  const vertexCount = vertexWeights.length;
  const rawMean = new Float64Array(vertexCount);
  const reachedWeight = new Float64Array(vertexCount);
  for (let s = 0; s < sourceCount; s++) {
    const w = sourceWeights[s]!;
    const row = s * vertexCount;
    for (let v = 0; v < vertexCount; v++) {
      const d = distances[row + v]!;
      if (d === Infinity) continue;
      rawMean[v]! += w * d;
      reachedWeight[v]! += w;
    }
  }
  let sum = 0, weight = 0;
  for (let v = 0; v < vertexCount; v++) {
    if (reachedWeight[v]! > 0) rawMean[v]! /= reachedWeight[v]!;
    sum += vertexWeights[v]! * rawMean[v]!;
    weight += vertexWeights[v]!;
  }
  const meanDistance = weight > 0 && sum > 0 ? sum / weight : 1;
  const inverse = 1 / meanDistance;
  const mean = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) mean[v] = rawMean[v]! * inverse;

  const deviation = new Float64Array(vertexCount);
  const maximum = new Float64Array(vertexCount);
  const histogram = new Float64Array(vertexCount * bins);
  const perBin = (bins - 1) / range;
  for (let s = 0; s < sourceCount; s++) {
    const w = sourceWeights[s]!;
    const row = s * vertexCount;
    for (let v = 0; v < vertexCount; v++) {
      const raw = distances[row + v]!;
      if (raw === Infinity) continue;
      const d = raw * inverse;
      const c = d - mean[v]!;
      deviation[v]! += w * c * c;
      if (d > maximum[v]!) maximum[v] = d;
      // Hat binning: split the weight between the two nearest bin centres.
      const x = Math.min(d * perBin, bins - 1);
      const k = Math.min(Math.floor(x), bins - 2);
      const t = x - k;
      histogram[v * bins + k]! += w * (1 - t);
      histogram[v * bins + k + 1]! += w * t;
    }
  }
  for (let v = 0; v < vertexCount; v++) {
    const total = reachedWeight[v]!;
    if (!(total > 0)) continue;
    deviation[v] = Math.sqrt(deviation[v]! / total);
    for (let k = 0; k < bins; k++) histogram[v * bins + k]! /= total;
  }
  return { meanDistance, mean, deviation, maximum, histogram, bins };
}
