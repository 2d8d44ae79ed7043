import type { Mesh } from '../mesh/mesh.js';
import type { GaugeGeometry } from './gauge-geometry.js';
import { NO_ENTRY, type ExpMapSteps } from './exp-map-steps.js';
import { MinHeap } from './min-heap.js';
import { FarthestPointSamplingKernel, type SamplingRun } from './farthest-point-sampling-kernel.js';

const NAME = 'farthestPointSampling';

// The propagation front, reused by every call (cleared first; see MinHeap on why it stays alive).
const front = new MinHeap(1024);

// Largest kernel memory kept for later calls (about 16 bytes per 1-ring entry and 48 per vertex); larger meshes take the JavaScript loop.
const MAX_KERNEL_BYTES = 64 * 2 ** 20;
let sharedKernel: FarthestPointSamplingKernel | null | undefined;

/** The shared sampling kernel when WebAssembly is available and the mesh fits MAX_KERNEL_BYTES, else null. */
function samplingKernel(vertexCount: number, entries: number, seeds: number): FarthestPointSamplingKernel | null {
  if (16 * entries + 48 * vertexCount + 4 * seeds > MAX_KERNEL_BYTES) return null;
  if (sharedKernel === undefined) sharedKernel = FarthestPointSamplingKernel.create();
  return sharedKernel;
}

/** When to stop sampling: a covering distance, or a number of samples. */
export type SamplingTarget = { readonly spacing: number } | { readonly count: number };

/** A coarse vertex subset and, for every candidate it was drawn from, its nearest sample. */
export interface FarthestPointSamples {
  /** The samples as mesh vertex indices, ascending. */
  readonly vertices: Uint32Array;
  /** Largest edge-path distance from a candidate to its nearest sample (the covering radius reached). */
  readonly coveringRadius: number;
  /** Per candidate: index into `vertices` of its nearest sample by edge-path distance (its Voronoi cell). */
  readonly nearest: Uint32Array;
  /** Per candidate: edge-path distance to that sample, mesh units. */
  readonly distance: Float64Array;
}

/**
 * Geodesic farthest-point sampling of `candidates` (mesh vertex indices) with distances over the
 * whole mesh: a multi-source Dijkstra along edges where each new sample lowers the distances
 * it can, and a lazy max-heap of candidate distances names the next sample, until every
 * candidate lies within `target.spacing` of a sample (or `target.count` samples are drawn).
 *
 * The first sample of each connected component is its candidate farthest from the component's
 * area-weighted centroid (ties by smallest index), so the samples do not depend on pose or
 * vertex order except at exact ties. `options.start` k > 0 begins instead from the component's
 * k-th alternative start (alternativeSeeds): other samplings of the same surface, as independent
 * of pose and vertex order.
 * Components are sampled one after another; each one's samples depend only on its own
 * distances, so in spacing mode a component gets the samples it would get alone, and the result
 * is that of interleaved global sampling.
 * Edge-path distances are Dijkstra's, the minimum over paths of their float64 sums, so they do
 * not depend on the order in which vertices are visited.
 * The loop runs in WebAssembly (FarthestPointSamplingKernel, the same samples bit for bit) where
 * that is available and the mesh needs at most MAX_KERNEL_BYTES; `options.webAssembly: false`
 * keeps it in JavaScript.
 */
export function farthestPointSampling(
  mesh: Pick<Mesh, 'positions'>,
  geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas'>,
  steps: Pick<ExpMapSteps, 'offsets' | 'neighbours' | 'edgeLength'>,
  candidates: Uint32Array,
  target: SamplingTarget,
  options: { webAssembly?: boolean; start?: number } = {},
): FarthestPointSamples {
  const vertexCount = geometry.vertexCount;
  const spacing = 'spacing' in target ? target.spacing : 0;
  const maxCount = 'count' in target ? target.count : candidates.length;
  if ('spacing' in target && !(spacing > 0 && Number.isFinite(spacing))) throw new Error(`${NAME}: spacing must be a positive number of mesh units, got ${spacing}.`);
  if ('count' in target && !(Number.isInteger(maxCount) && maxCount >= 1)) throw new Error(`${NAME}: count must be a positive integer, got ${maxCount}.`);
  const start = options.start ?? 0;
  if (!(Number.isInteger(start) && start >= 0)) throw new Error(`${NAME}: start must be a whole number from 0, got ${start}.`);
  const seeds = componentSeeds(mesh, geometry, steps, candidates, start);
  const isCandidate = new Uint8Array(vertexCount);
  for (let i = 0; i < candidates.length; i++) isCandidate[candidates[i]!] = 1;
  const kernel = options.webAssembly === false ? null : samplingKernel(vertexCount, steps.neighbours.length, seeds.length);
  const { samples, distance, source } = kernel
    ? kernel.sample({ ...steps, vertexCount }, isCandidate, seeds, spacing, maxCount)
    : sampleLoop(vertexCount, steps, isCandidate, seeds, spacing, maxCount);

  const vertices = Uint32Array.from(samples).sort();
  const sampleIndex = new Uint32Array(vertexCount).fill(NO_ENTRY);
  for (let i = 0; i < vertices.length; i++) sampleIndex[vertices[i]!] = i;
  const nearest = new Uint32Array(candidates.length);
  const candidateDistance = new Float64Array(candidates.length);
  let coveringRadius = 0;
  for (let i = 0; i < candidates.length; i++) {
    const v = candidates[i]!;
    nearest[i] = sampleIndex[source[v]!]!;
    candidateDistance[i] = distance[v]!;
    coveringRadius = Math.max(coveringRadius, distance[v]!);
  }
  return { vertices, coveringRadius, nearest, distance: candidateDistance };
}

/** The sampling loop in JavaScript: samples in the order drawn, and per vertex its distance to and the vertex of its nearest sample. */
function sampleLoop(
  vertexCount: number, steps: Pick<ExpMapSteps, 'offsets' | 'neighbours' | 'edgeLength'>, isCandidate: Uint8Array, seeds: Uint32Array, spacing: number, maxCount: number,
): SamplingRun {
  const { offsets, neighbours, edgeLength } = steps;
  const distance = new Float64Array(vertexCount).fill(Infinity);
  const source = new Uint32Array(vertexCount).fill(NO_ENTRY);
  let nextSeed = 0;
  const farthest = new MinHeap(Math.max(16, vertexCount)); // keys are −distance
  const samples: number[] = [];

  for (;;) {
    if (samples.length >= maxCount) break;
    // Drop stale entries: each improvement pushed the new distance, so a key above it is old.
    while (farthest.size > 0 && -farthest.topKey() !== distance[farthest.topValue()]!) farthest.pop();
    while (nextSeed < seeds.length && distance[seeds[nextSeed]!] !== Infinity) nextSeed++;
    let sample: number;
    if (nextSeed < seeds.length) {
      // An unreached component: its distance is infinite, so it goes first.
      sample = seeds[nextSeed]!;
    } else if (farthest.size > 0 && -farthest.topKey() > spacing) {
      sample = farthest.topValue();
      farthest.pop();
    } else {
      break;
    }
    samples.push(sample);
    distance[sample] = 0;
    front.clear();
    front.push(0, sample);
    while (front.size > 0) {
      const d = front.topKey();
      const s = front.topValue();
      front.pop();
      if (d > distance[s]!) continue; // improved since this entry was pushed
      source[s] = sample;
      if (isCandidate[s] === 1 && s !== sample) farthest.push(-d, s);
      const end = offsets[s + 1]!;
      for (let e = offsets[s]!; e < end; e++) {
        const q = neighbours[e]!;
        const candidate = d + edgeLength[e]!;
        if (candidate < distance[q]!) {
          distance[q] = candidate;
          front.push(candidate, q);
        }
      }
    }
  }

  return { samples: Uint32Array.from(samples), distance, source };
}

/**
 * One seed per connected component that has candidates: its candidate farthest from the
 * component's area-weighted centroid (ties by smallest index), a choice that moves with the
 * surface and ignores the other components; components in order of that distance, farthest
 * first, ties by smallest index, so the first unreached seed names the next component to sample.
 * With `start` k > 0 each component's seed is then replaced by its k-th alternative
 * (alternativeSeeds); the order of components stays.
 */
function componentSeeds(
  mesh: Pick<Mesh, 'positions'>,
  geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas'>,
  steps: Pick<ExpMapSteps, 'offsets' | 'neighbours'>,
  candidates: Uint32Array,
  start: number,
): Uint32Array {
  const x = mesh.positions;
  const areas = geometry.vertexAreas;
  const { offsets, neighbours } = steps;
  const vertexCount = geometry.vertexCount;
  // Components by breadth-first search over the 1-ring, with their area-weighted centroids.
  const component = new Uint32Array(vertexCount).fill(NO_ENTRY);
  const queue = new Uint32Array(vertexCount);
  const centroids: number[] = [];
  for (let root = 0; root < vertexCount; root++) {
    if (component[root] !== NO_ENTRY) continue;
    const label = centroids.length / 3;
    let cx = 0, cy = 0, cz = 0, total = 0;
    let head = 0, tail = 0;
    component[root] = label;
    queue[tail++] = root;
    while (head < tail) {
      const v = queue[head++]!;
      const a = areas[v]!;
      cx += a * x[3 * v]!;
      cy += a * x[3 * v + 1]!;
      cz += a * x[3 * v + 2]!;
      total += a;
      for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
        const q = neighbours[e]!;
        if (component[q] !== NO_ENTRY) continue;
        component[q] = label;
        queue[tail++] = q;
      }
    }
    // An isolated vertex has no area: its own position is its centroid.
    if (total > 0) centroids.push(cx / total, cy / total, cz / total);
    else centroids.push(x[3 * root]!, x[3 * root + 1]!, x[3 * root + 2]!);
  }
  // Each component's preferred candidate; only these can be the first unreached entry of the full order.
  const componentCount = centroids.length / 3;
  const best = new Uint32Array(componentCount).fill(NO_ENTRY);
  const bestKey = new Float64Array(componentCount).fill(-1);
  for (let i = 0; i < candidates.length; i++) {
    const v = candidates[i]!;
    const label = component[v]!, c = 3 * label;
    const dx = x[3 * v]! - centroids[c]!, dy = x[3 * v + 1]! - centroids[c + 1]!, dz = x[3 * v + 2]! - centroids[c + 2]!;
    const key = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (key > bestKey[label]! || (key === bestKey[label]! && v < best[label]!)) {
      bestKey[label] = key;
      best[label] = v;
    }
  }
  const labels = Array.from(best.keys()).filter((label) => best[label] !== NO_ENTRY);
  labels.sort((a, b) => bestKey[b]! - bestKey[a]! || best[a]! - best[b]!);
  if (start > 0) alternativeSeeds(x, candidates, component, best, start);
  return Uint32Array.from(labels, (label) => best[label]!);
}

/**
 * Replaces each component's seed in `seeds` (by component label) by its start-th alternative:
 * the candidate whose distance from the component's start-th extreme is nearest half the largest
 * such distance, where extreme 0 is the seed and each next one the candidate farthest from those
 * before (straight-line distances, ties by smallest index). An extreme itself would not do:
 * farthest-point sampling from it soon draws the seed and the other extremes and then goes on as
 * from the seed, and on a convex surface so would the points nearest the centroid's side of them.
 */
function alternativeSeeds(x: Mesh['positions'], candidates: Uint32Array, component: Uint32Array, seeds: Uint32Array, start: number): void {
  const distance = (v: number, w: number) => Math.sqrt((x[3 * v]! - x[3 * w]!) ** 2 + (x[3 * v + 1]! - x[3 * w + 1]!) ** 2 + (x[3 * v + 2]! - x[3 * w + 2]!) ** 2);
  const nearest = new Float64Array(candidates.length).fill(Infinity);
  const best = new Uint32Array(seeds.length);
  const bestKey = new Float64Array(seeds.length);
  // The extremes, the last one left in `seeds`, with bestKey its largest distance after the final round.
  for (let k = 0; k < start; k++) {
    best.fill(NO_ENTRY);
    bestKey.fill(-1);
    for (let i = 0; i < candidates.length; i++) {
      const v = candidates[i]!;
      const label = component[v]!;
      const key = (nearest[i] = Math.min(nearest[i]!, distance(v, seeds[label]!)));
      if (key > bestKey[label]! || (key === bestKey[label]! && v < best[label]!)) {
        bestKey[label] = key;
        best[label] = v;
      }
    }
    for (let label = 0; label < seeds.length; label++) if (best[label] !== NO_ENTRY) seeds[label] = best[label]!;
  }
  const largest = new Float64Array(seeds.length);
  const fromExtreme = new Float64Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const label = component[candidates[i]!]!;
    fromExtreme[i] = distance(candidates[i]!, seeds[label]!);
    largest[label] = Math.max(largest[label]!, fromExtreme[i]!);
  }
  best.fill(NO_ENTRY);
  bestKey.fill(Infinity);
  for (let i = 0; i < candidates.length; i++) {
    const v = candidates[i]!;
    const label = component[v]!;
    const key = Math.abs(fromExtreme[i]! - largest[label]! / 2);
    if (key < bestKey[label]! || (key === bestKey[label]! && v < best[label]!)) {
      bestKey[label] = key;
      best[label] = v;
    }
  }
  for (let label = 0; label < seeds.length; label++) if (best[label] !== NO_ENTRY) seeds[label] = best[label]!;
}
