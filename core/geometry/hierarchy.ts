import { identity } from '../mesh/identity.js';
import type { Mesh } from '../mesh/mesh.js';
import type { GaugeGeometry } from './gauge-geometry.js';
import type { Neighbourhood } from './neighbourhood.js';
import { expMapSteps, type ExpMapSteps } from './exp-map-steps.js';
import { farthestPointSampling, type SamplingTarget } from './farthest-point-sampling.js';
import { geodesicPatches } from './geodesic-patches.js';
import { levelSurface } from './level-surface.js';
import { parentLogMaps } from './parent-log-maps.js';

const NAME = 'buildHierarchy';

/**
 * One level of a coarsening hierarchy. Level 0 is the mesh; level k + 1 is a subset of level k.
 * Coarse vertices keep their level-0 tangent frames, so log maps and transports between levels
 * follow the Neighbourhood conventions with target = coarse parent, source = fine vertex.
 */
export interface HierarchyLevel {
  /** Mesh vertex indices of the level, ascending; 0 … V − 1 at level 0. */
  readonly vertices: Uint32Array;
  /** Every vertex of the finer level lies within this edge-path distance of its parent, mesh units (0 at level 0). */
  readonly spacing: number;
  /** Per vertex of the finer level (its local index): the parent, an index into this level's `vertices`. Empty at level 0. */
  readonly parent: Uint32Array;
  /** Per vertex of the finer level: r of the fine vertex in its parent's frame, mesh units. Empty at level 0. */
  readonly parentLogMapRadius: Float32Array;
  /** Per vertex of the finer level: θ of the fine vertex in its parent's frame, radians in (−π, π]. Empty at level 0. */
  readonly parentLogMapAngle: Float32Array;
  /** Per vertex of the finer level: g_{fine→parent}, radians in (−π, π]; pooling rotates an order-n feature by n·g. Empty at level 0. */
  readonly parentTransportAngle: Float32Array;
  /**
   * The level's convolution neighbourhood: geodesic patches among its own vertices (rows and
   * neighbours are indices into `vertices`) of radius `patchRadiusFactor · spacing`; null at
   * level 0, whose density is the mesh's own (use geodesicPatches with patchRadius there), and
   * when `patchRadiusFactor` is 0.
   */
  readonly neighbourhood: Neighbourhood | null;
}

/** Nested vertex subsets for pooling, finest first. */
export interface Hierarchy {
  readonly levels: readonly HierarchyLevel[];
}

/** Options for {@link buildHierarchy}. */
export interface HierarchyOptions {
  /** Number of levels, level 0 (the mesh) included: 2 to 4. */
  levelCount?: number;
  /** Spacing of level 1 as a fraction of √(total area), so the levels do not depend on the mesh's resolution. */
  spacingFraction?: number;
  /** Ratio of successive spacings; 2 leaves about a quarter of the vertices per level. */
  spacingGrowth?: number;
  /** Spacings in mesh units, one per coarse level (levelCount − 1 of them), instead of the fractions. */
  spacings?: readonly number[];
  /** Vertex counts, one per coarse level, decreasing, instead of spacings: sampling stops at each count. */
  vertexCounts?: readonly number[];
  /** Radius of each coarse level's neighbourhood as a multiple of its spacing; 0 computes none. */
  patchRadiusFactor?: number;
  /** The same for levels 2 and up, when it differs from level 1's. */
  coarsePatchRadiusFactor?: number;
  /**
   * What levels 2 and up are sampled and propagated over: `mesh`, every mesh vertex, or
   * `level1`, level 1's vertices linked by their mutual geodesic-patch entries (levelSurface):
   * about a third of the cost on a body, and none of it grows with the mesh's resolution.
   * `level1` needs level 1's patches, so the default is `level1` when patchRadiusFactor > 0, else `mesh`.
   */
  coarseSurface?: CoarseSurface;
  /** Which start every level's farthest-point sampling begins from (farthestPointSampling's `start`): other samplings of the same surface. */
  samplingStart?: number;
}

/** What a hierarchy's levels 2 and up are built over; see {@link HierarchyOptions.coarseSurface}. */
export type CoarseSurface = 'mesh' | 'level1';

/** Defaults of {@link HierarchyOptions}. */
export const HIERARCHY_DEFAULTS = {
  levelCount: 4,
  // About 1.5·s² of area per sample over the mesh (measured on spheres: 1650, 420, 105 vertices at levels 1–3, at any
  // size and resolution); the bundled SMPL body (6890 vertices, 1.96 m², 1.7 cm edges) gets 1393, 438, 124 at 2.8, 5.6,
  // 11.2 cm, and 1393, 320, 99 with levels 2–3 over level 1, whose long geodesic edges make shorter paths than mesh edges.
  spacingFraction: 0.02,
  spacingGrowth: 2,
  // 2.5 spacings hold about 12–14 same-level neighbours (measured on spheres), enough for a few radial rings.
  patchRadiusFactor: 2.5,
} as const;

/**
 * A coarsening hierarchy for pooling and unpooling with parallel transport: level k + 1 is drawn
 * from level k by geodesic farthest-point sampling (farthestPointSampling) until every level-k
 * vertex is within the level's spacing of a sample, and every level-k vertex gets its nearest
 * sample as parent (its Voronoi cell), with its log-map position in the parent's frame and the
 * transport g_{fine→parent} by the exponential map of geodesicPatches (parentLogMaps): equal to
 * the entry of the parent's geodesic patch wherever that holds the fine vertex. Spacings
 * default to fractions of √(total area), doubling per level, so the same surface gets about the
 * same levels at any resolution and in any pose or vertex order.
 * Level 1 is always built over the mesh; levels 2 and up over the mesh or over level 1 itself
 * (`coarseSurface`, levelSurface), the same algorithms on a coarser surface.
 * Distances are edge-path lengths, which exceed geodesic ones by a few percent (up to 2/√3 on
 * equilateral meshes), so a spacing bounds the geodesic distance to the parent too; over level 1
 * the edges are geodesic log-map radii, so this holds as far as those are exact.
 * Cost per level over the mesh: a multi-source Dijkstra over the mesh, one Dijkstra per cell
 * over about twice its area, and the level's patches (each over the mesh vertices within 2.5
 * spacings), all linear in the mesh's size for fixed spacing fractions. Over level 1 the same
 * work runs on level 1's vertices, whose number does not depend on the mesh's resolution.
 */
export function buildHierarchy(mesh: Pick<Mesh, 'positions'>, geometry: GaugeGeometry, options: HierarchyOptions = {}): Hierarchy {
  const targets = samplingTargets(geometry, options);
  const patchRadiusFactor = options.patchRadiusFactor ?? HIERARCHY_DEFAULTS.patchRadiusFactor;
  if (!(patchRadiusFactor >= 0)) throw new Error(`${NAME}: patchRadiusFactor must be 0 or more, got ${patchRadiusFactor}.`);
  const coarsePatchRadiusFactor = options.coarsePatchRadiusFactor ?? patchRadiusFactor;
  if (!(coarsePatchRadiusFactor >= 0)) throw new Error(`${NAME}: coarsePatchRadiusFactor must be 0 or more, got ${coarsePatchRadiusFactor}.`);
  const coarseSurface = options.coarseSurface ?? (patchRadiusFactor > 0 ? 'level1' : 'mesh');
  if (coarseSurface !== 'mesh' && coarseSurface !== 'level1') throw new Error(`${NAME}: coarseSurface must be 'mesh' or 'level1', got ${JSON.stringify(coarseSurface)}.`);
  if (coarseSurface === 'level1' && patchRadiusFactor === 0 && targets.length > 1) throw new Error(`${NAME}: coarseSurface 'level1' links level 1 by its patches, so patchRadiusFactor must be more than 0.`);
  const all = identity(geometry.vertexCount);
  const empty = new Float32Array(0);
  const levels: HierarchyLevel[] = [
    { vertices: all, spacing: 0, parent: new Uint32Array(0), parentLogMapRadius: empty, parentLogMapAngle: empty, parentTransportAngle: empty, neighbourhood: null },
  ];
  // What sampling runs over, and each level's vertices as indices into it (`toMesh` maps them back).
  let surface: Surface = { mesh, geometry, steps: expMapSteps(mesh, geometry), toMesh: null };
  let finer: Uint32Array = all;
  for (const target of targets) {
    const samples = farthestPointSampling(surface.mesh, surface.geometry, surface.steps, finer, target, { start: options.samplingStart ?? 0 });
    const spacing = 'spacing' in target ? target.spacing : samples.coveringRadius;
    const logMaps = parentLogMaps(surface.steps, surface.geometry.oneRing, finer, samples.vertices, samples.nearest, samples.distance);
    const radiusFactor = levels.length === 1 ? patchRadiusFactor : coarsePatchRadiusFactor;
    const neighbourhood = radiusFactor > 0 && spacing > 0
      ? geodesicPatches(surface.mesh, surface.geometry, { radius: radiusFactor * spacing, vertices: samples.vertices, steps: surface.steps })
      : null;
    const toMesh = surface.toMesh;
    levels.push({
      vertices: toMesh ? samples.vertices.map((i) => toMesh[i]!) : samples.vertices,
      spacing,
      parent: samples.nearest,
      parentLogMapRadius: logMaps.radius,
      parentLogMapAngle: logMaps.angle,
      parentTransportAngle: logMaps.transport,
      neighbourhood,
    });
    finer = samples.vertices;
    if (levels.length === 2 && coarseSurface === 'level1' && neighbourhood) {
      const level = levels[1]!;
      const coarse = levelSurface(mesh, geometry, level.vertices, level.parent, neighbourhood);
      surface = { mesh: coarse, geometry: coarse.geometry, steps: coarse.steps, toMesh: level.vertices };
      finer = identity(level.vertices.length);
    }
  }
  return { levels };
}

/** A surface the hierarchy samples over: the mesh, or a level of it (levelSurface). */
interface Surface {
  readonly mesh: Pick<Mesh, 'positions'>;
  readonly geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas' | 'oneRing'>;
  readonly steps: ExpMapSteps;
  /** Mesh vertex of each surface vertex; null on the mesh itself. */
  readonly toMesh: Uint32Array | null;
}

/** One sampling target per coarse level, from whichever option was given. */
function samplingTargets(geometry: GaugeGeometry, options: HierarchyOptions): SamplingTarget[] {
  const { spacings, vertexCounts } = options;
  if (spacings && vertexCounts) throw new Error(`${NAME}: give spacings or vertexCounts, not both.`);
  const given = spacings ?? vertexCounts;
  const levelCount = options.levelCount ?? (given ? given.length + 1 : HIERARCHY_DEFAULTS.levelCount);
  if (!Number.isInteger(levelCount) || levelCount < 2 || levelCount > 4) throw new Error(`${NAME}: levelCount must be 2, 3 or 4, got ${levelCount}.`);
  if (given && given.length !== levelCount - 1) throw new Error(`${NAME}: ${levelCount} levels need ${levelCount - 1} ${spacings ? 'spacings' : 'vertexCounts'}, got ${given.length}.`);
  if (spacings) {
    spacings.forEach((s, k) => {
      if (!(s > 0 && Number.isFinite(s)) || (k > 0 && s < spacings[k - 1]!)) throw new Error(`${NAME}: spacings must be positive and non-decreasing, got [${spacings.join(', ')}].`);
    });
    return spacings.map((spacing) => ({ spacing }));
  }
  if (vertexCounts) {
    vertexCounts.forEach((n, k) => {
      if (!(Number.isInteger(n) && n >= 1) || (k > 0 && n > vertexCounts[k - 1]!)) throw new Error(`${NAME}: vertexCounts must be positive integers, non-increasing, got [${vertexCounts.join(', ')}].`);
    });
    return vertexCounts.map((count) => ({ count }));
  }
  const fraction = options.spacingFraction ?? HIERARCHY_DEFAULTS.spacingFraction;
  const growth = options.spacingGrowth ?? HIERARCHY_DEFAULTS.spacingGrowth;
  if (!(fraction > 0) || !(growth >= 1)) throw new Error(`${NAME}: spacingFraction must be positive and spacingGrowth at least 1, got ${fraction} and ${growth}.`);
  if (!(geometry.totalArea > 0)) throw new Error(`${NAME}: the mesh has no area, so spacings relative to √(total area) are undefined; give spacings or vertexCounts.`);
  const first = fraction * Math.sqrt(geometry.totalArea);
  return Array.from({ length: levelCount - 1 }, (_, k) => ({ spacing: first * growth ** k }));
}
