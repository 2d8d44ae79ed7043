import type { Mesh } from '../mesh/mesh.js';
import { computeGaugeGeometry } from '../geometry/compute-gauge-geometry.js';
import { buildHierarchy, type CoarseSurface, type HierarchyOptions } from '../geometry/hierarchy.js';
import type { GaugeGeometry } from '../geometry/gauge-geometry.js';
import { computeInputFeatures } from './features/input-features.js';
import type { ConvNeighbourhood } from './layers/conv-neighbourhood.js';
import type { FieldShape } from './layers/feature-layout.js';
import { levelConvNeighbourhood, meshToLevelConvNeighbourhood } from './level-neighbourhoods.js';

/** How a mesh becomes network input; stored in the model file so inference repeats training's preprocessing. */
export interface Preprocessing {
  /** Spacing of hierarchy level 1 as a fraction of √(total area): a length that does not depend on the triangulation. */
  spacingFraction: number;
  /** Hierarchy levels, the mesh included (the network runs on levels 1 …). */
  levelCount: number;
  /** Each level's patch radius in its spacings. */
  patchRadiusFactor: number;
  /** How far, in level-1 spacings, a mesh vertex gathers level-1 features for its output. */
  outputReach: number;
  /** Band limit of the input features. */
  maxOrder: number;
  /** What levels 2 and up are built over (see HierarchyOptions); files without it were made over the mesh. */
  coarseSurface?: CoarseSurface;
  /** Ratio of successive levels' spacings; files without it used 2. */
  spacingGrowth?: number;
  /**
   * Patch radius of levels 2 and up in their spacings; files without it used patchRadiusFactor.
   * Entries beyond the convolution's outer ring centre (Architecture.convRadius) still fall on that ring's hat.
   */
  coarsePatchRadiusFactor?: number;
}

/** Defaults of {@link Preprocessing}. */
export const PREPROCESSING_DEFAULTS: Preprocessing = {
  spacingFraction: 0.02,
  levelCount: 4,
  patchRadiusFactor: 2.5,
  // 1.5 spacings reach the 3–6 nearest level-1 vertices of any mesh vertex.
  outputReach: 1.5,
  maxOrder: 2,
  coarseSurface: 'level1',
  // Paths over level 1 are nearly geodesic, shorter than mesh edge paths, so samples spread further at one spacing;
  // these two keep the coarse levels the mesh gave (SMPL body: 362 and 136 vertices, against 438 and 124 over the mesh,
  // with about 12 neighbours a row as there).
  spacingGrowth: 1.85,
  coarsePatchRadiusFactor: 2.9,
};

/** One coarse level of the network: its vertices (mesh indices) and its convolution neighbourhood. */
export interface NetworkLevel {
  readonly vertices: Uint32Array;
  readonly neighbourhood: ConvNeighbourhood;
}

/** Pooling from one network level to the next: per finer vertex, its parent and g_{fine→parent}. */
export interface NetworkPooling {
  readonly parent: Uint32Array;
  readonly transport: Float32Array;
  readonly coarseCount: number;
}

/** Everything the network reads for one mesh: plain typed arrays, transferable between workers. */
export interface NetworkInput {
  readonly meshVertexCount: number;
  /** Levels 1 … levelCount − 1 of the hierarchy. */
  readonly levels: readonly NetworkLevel[];
  /** pools[k] goes from levels[k] to levels[k + 1]. */
  readonly pools: readonly NetworkPooling[];
  /** Rows: mesh vertices; sources: level-1 vertices. */
  readonly output: ConvNeighbourhood;
  /** Input features on level-1 vertices. */
  readonly features: Float32Array;
  readonly featureShape: FieldShape;
  /** Barycentric area of every mesh vertex, for area-weighted losses and metrics. */
  readonly vertexAreas: Float32Array;
}

/** The hierarchy a preprocessing asks for, with what files that predate a field were made with. */
export function hierarchyOptions(preprocessing: Preprocessing): HierarchyOptions {
  return {
    levelCount: preprocessing.levelCount,
    spacingFraction: preprocessing.spacingFraction,
    patchRadiusFactor: preprocessing.patchRadiusFactor,
    coarseSurface: preprocessing.coarseSurface ?? 'mesh',
    spacingGrowth: preprocessing.spacingGrowth ?? 2,
    coarsePatchRadiusFactor: preprocessing.coarsePatchRadiusFactor ?? preprocessing.patchRadiusFactor,
  };
}

/**
 * Geometry, hierarchy, features and neighbourhoods of a mesh, ready for the network.
 * Pass `geometry` when it is already computed; `samplingStart` k > 0 builds the hierarchy from
 * another sampling of the same surface (HierarchyOptions.samplingStart), for ensembles.
 */
export function prepareNetworkInput(mesh: Mesh, preprocessing: Preprocessing = PREPROCESSING_DEFAULTS, geometry?: GaugeGeometry, samplingStart = 0): NetworkInput {
  const gauge = geometry ?? computeGaugeGeometry(mesh);
  const hierarchy = buildHierarchy(mesh, gauge, { ...hierarchyOptions(preprocessing), samplingStart });
  const features = computeInputFeatures(mesh, gauge, hierarchy, { level: 1, maxOrder: preprocessing.maxOrder });
  const levels: NetworkLevel[] = [];
  const pools: NetworkPooling[] = [];
  for (let k = 1; k < hierarchy.levels.length; k++) {
    const level = hierarchy.levels[k]!;
    levels.push({ vertices: level.vertices, neighbourhood: levelConvNeighbourhood(level.neighbourhood!, level.spacing) });
    if (k > 1) pools.push({ parent: level.parent, transport: level.parentTransportAngle, coarseCount: level.vertices.length });
  }
  return {
    meshVertexCount: gauge.vertexCount,
    levels,
    pools,
    output: meshToLevelConvNeighbourhood(hierarchy, preprocessing.outputReach),
    features: features.field,
    featureShape: { channels: features.channels, maxOrder: features.maxOrder },
    vertexAreas: gauge.vertexAreas,
  };
}
