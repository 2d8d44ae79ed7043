import { identity } from '../../mesh/identity.js';
import type { Mesh } from '../../mesh/mesh.js';
import type { GaugeGeometry } from '../../geometry/gauge-geometry.js';
import type { Hierarchy } from '../../geometry/hierarchy.js';
import { distanceDistribution, DISTANCE_DISTRIBUTION_DEFAULTS } from './distance-distribution.js';
import { fitGradients } from './gradient-fit.js';
import { graphDistances } from './graph-distances.js';
import { coarseIndicesIn, levelCellAreas } from './level-cell-areas.js';
import { levelGraph } from './level-graph.js';
import { patchAverage } from './patch-average.js';
import { entryHeights, fitShapeOperators } from './shape-operator-fit.js';

const NAME = 'computeInputFeatures';

/** Options for {@link computeInputFeatures}. */
export interface InputFeaturesOptions {
  /** Hierarchy level whose vertices get features; it must have a neighbourhood (1 or more). */
  level?: number;
  /** Highest angular order M of the layout: each channel is ρ0 ⊕ … ⊕ ρM; channels of higher order are left out. */
  maxOrder?: number;
  /** Geodesic distance sources: the coarsest level's vertices (cheap) or every vertex of the level. */
  sources?: 'coarsest' | 'all';
  /** Bins of the soft histogram of normalised geodesic distances (2 or more). */
  bins?: number;
}

/** Defaults of {@link InputFeaturesOptions}. */
export const INPUT_FEATURES_DEFAULTS = {
  level: 1,
  maxOrder: 2,
  sources: 'coarsest',
  bins: DISTANCE_DISTRIBUTION_DEFAULTS.bins,
} as const;

/** A feature field on a level's vertices, channel-major per vertex, each channel `[a0, a1, b1, …, aM, bM]`. */
export interface InputFeatures {
  /** vertexCount · channels · (2M + 1) floats; vertex v, channel c, slot k at (v · channels + c) · (2M + 1) + k. */
  readonly field: Float32Array;
  readonly vertexCount: number;
  readonly channels: number;
  readonly maxOrder: number;
  /** One name per channel. */
  readonly names: readonly string[];
  /** The angular order of each channel: 0 uses a0 only, n ≥ 1 uses (a_n, b_n) only. */
  readonly orders: readonly number[];
}

/**
 * Fixed standardisation: a geodesic channel's value is (raw − offset) / scale; a curvature
 * channel's is asinh(raw / scale) (for ρ2: its magnitude, direction kept), as tips and thin parts
 * reach tens of times the typical curvature. Constants measured on the bundled SMPL body at
 * level 1 so that each channel has a spread of about 1 there (histogram bins: `bins · h − 1`).
 */
export const INPUT_FEATURE_STANDARDISATION = {
  geodesicMean: { offset: 1, scale: 0.25 },
  geodesicDeviation: { offset: 0.48, scale: 0.08 },
  geodesicMaximum: { offset: 2.1, scale: 0.35 },
  histogram: { offset: 1, scale: 1 },
  // H·s spans 0 … 0.44 (5th–95th percentile), K·s² ±0.085, |k1 − k2|·s 0.1 … 0.8.
  meanCurvature: { scale: 0.15 },
  gaussianCurvature: { scale: 0.03 },
  curvatureAnisotropy: { scale: 0.3 },
  // |∇ AGD| in normalised units lies in 0 … 1 (a distance field's gradient has length 1).
  geodesicMeanGradient: { scale: 0.5 },
} as const;

/**
 * Input features of a GEM-CNN on the vertices of one hierarchy level, invariant to rigid
 * motion, uniform scale and vertex order and, as far as the level's resampling allows, to the
 * triangulation, with global context. Channels, in order:
 * - ρ0 `geodesic-mean`, `geodesic-deviation`, `geodesic-maximum`: mean, standard deviation and
 *   maximum of the geodesic distances to the sources (cell-area weighted), in units of their
 *   global mean; then `geodesic-histogram-k`, a hat-binned histogram of the same distances.
 *   Distances are Dijkstra's on the symmetrised level neighbourhood graph, weighted by log-map r,
 *   so they do not depend on the input's edges.
 * - ρ0 `mean-curvature` H·s, `gaussian-curvature` K·s² (s the level's spacing), from a
 *   least-squares shape operator over the level's patch (outward normals: convex is positive);
 *   `mean-curvature-smoothed`, the standardised H averaged over the patch (less triangulation-sensitive).
 * - ρ1 `geodesic-mean-gradient`: ∇(geodesic-mean) in the vertex's frame, in normalised units.
 * - ρ2 `curvature-anisotropy`: (k1 − k2)·s (cos 2α, sin 2α), α the direction of k1.
 * Each is standardised by INPUT_FEATURE_STANDARDISATION.
 * Cost on the SMPL body (6890 vertices, level 1 of 1393): 30–45 ms on a 2-core VM, most of it in
 * the 136 Dijkstras from the default sources (the coarsest level of the default preprocessing),
 * which run in WebAssembly (graphDistances).
 */
export function computeInputFeatures(
  mesh: Pick<Mesh, 'positions'>,
  geometry: GaugeGeometry,
  hierarchy: Hierarchy,
  options: InputFeaturesOptions = {},
): InputFeatures {
  const levelIndex = options.level ?? INPUT_FEATURES_DEFAULTS.level;
  const maxOrder = options.maxOrder ?? INPUT_FEATURES_DEFAULTS.maxOrder;
  const sourceMode = options.sources ?? INPUT_FEATURES_DEFAULTS.sources;
  const bins = options.bins ?? INPUT_FEATURES_DEFAULTS.bins;
  const level = hierarchy.levels[levelIndex];
  if (!level || levelIndex < 1) throw new Error(`${NAME}: level must be 1 to ${hierarchy.levels.length - 1}, got ${levelIndex}.`);
  const neighbourhood = level.neighbourhood;
  if (!neighbourhood) throw new Error(`${NAME}: level ${levelIndex} has no neighbourhood; build the hierarchy with patchRadiusFactor > 0.`);
  if (!(Number.isInteger(maxOrder) && maxOrder >= 0)) throw new Error(`${NAME}: maxOrder must be a non-negative integer, got ${maxOrder}.`);
  if (!(Number.isInteger(bins) && bins >= 2)) throw new Error(`${NAME}: bins must be an integer of 2 or more, got ${bins}.`);
  const vertexCount = level.vertices.length;

  // Global context: distances from weighted sources over the level's own graph.
  const areas = levelCellAreas(geometry, hierarchy);
  const coarsest = hierarchy.levels.length - 1;
  const all = sourceMode === 'all' || coarsest === levelIndex;
  const sources = all ? identity(vertexCount) : coarseIndicesIn(hierarchy, levelIndex, coarsest);
  const sourceWeights = all ? areas[levelIndex]! : areas[coarsest]!;
  const distances = graphDistances(levelGraph(neighbourhood), sources);
  const distribution = distanceDistribution(distances, sourceWeights, areas[levelIndex]!, { bins });

  // Local shape at the level's scale.
  const { offsets, neighbours, logMapRadius, logMapAngle } = neighbourhood;
  const heights = entryHeights(mesh.positions, geometry.vertexNormals, level.vertices, neighbourhood);
  const shape = fitShapeOperators(offsets, logMapRadius, logMapAngle, heights);
  const gradient = fitGradients(offsets, neighbours, logMapRadius, logMapAngle, distribution.mean);
  const c = INPUT_FEATURE_STANDARDISATION;
  const s = level.spacing;
  const meanCurvature = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) meanCurvature[v] = Math.asinh((0.5 * (shape[3 * v]! + shape[3 * v + 2]!) * s) / c.meanCurvature.scale);
  const smoothedCurvature = patchAverage(offsets, neighbours, meanCurvature);

  const names: string[] = ['geodesic-mean', 'geodesic-deviation', 'geodesic-maximum'];
  for (let k = 0; k < bins; k++) names.push(`geodesic-histogram-${k}`);
  names.push('mean-curvature', 'gaussian-curvature', 'mean-curvature-smoothed');
  const orders = names.map(() => 0);
  if (maxOrder >= 1) {
    names.push('geodesic-mean-gradient');
    orders.push(1);
  }
  if (maxOrder >= 2) {
    names.push('curvature-anisotropy');
    orders.push(2);
  }
  const channels = names.length;
  const width = 2 * maxOrder + 1;
  const field = new Float32Array(vertexCount * channels * width);
  const gradientScale = distribution.meanDistance / c.geodesicMeanGradient.scale; // ∇ of a normalised distance per normalised length
  for (let v = 0; v < vertexCount; v++) {
    let at = v * channels * width;
    const put0 = (x: number) => {
      field[at] = x;
      at += width;
    };
    put0((distribution.mean[v]! - c.geodesicMean.offset) / c.geodesicMean.scale);
    put0((distribution.deviation[v]! - c.geodesicDeviation.offset) / c.geodesicDeviation.scale);
    put0((distribution.maximum[v]! - c.geodesicMaximum.offset) / c.geodesicMaximum.scale);
    for (let k = 0; k < bins; k++) put0((bins * distribution.histogram[v * bins + k]! - c.histogram.offset) / c.histogram.scale);
    const s11 = shape[3 * v]!, s12 = shape[3 * v + 1]!, s22 = shape[3 * v + 2]!;
    put0(meanCurvature[v]!);
    put0(Math.asinh(((s11 * s22 - s12 * s12) * s * s) / c.gaussianCurvature.scale));
    put0(smoothedCurvature[v]!);
    if (maxOrder >= 1) {
      field[at + 1] = gradient[2 * v]! * gradientScale;
      field[at + 2] = gradient[2 * v + 1]! * gradientScale;
      at += width;
    }
    if (maxOrder >= 2) {
      const x = (s11 - s22) * s, y = 2 * s12 * s;
      const magnitude = Math.hypot(x, y);
      // asinh of the magnitude, same direction: a function of |·| keeps the pair equivariant.
      const squash = magnitude > 0 ? Math.asinh(magnitude / c.curvatureAnisotropy.scale) / magnitude : 0;
      field[at + 3] = x * squash;
      field[at + 4] = y * squash;
    }
  }
  return { field, vertexCount, channels, maxOrder, names, orders };
}
