import type { GaugeGeometry } from '../geometry/gauge-geometry.js';

/**
 * Per-vertex class probabilities (vertex-major, `classes` per vertex) after `steps` rounds of
 * averaging each vertex with its 1-ring, weighted by barycentric vertex area: a discrete
 * diffusion whose time grows by about one mean vertex area per step, so a fixed diffusion time
 * takes steps in proportion to the vertex count. Rows keep summing to 1; the input is not changed.
 */
export function smoothProbabilities(
  probabilities: Float32Array,
  classes: number,
  geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas' | 'oneRing'>,
  steps: number,
): Float32Array {
  const { vertexCount, vertexAreas: area } = geometry;
  const { offsets, neighbours } = geometry.oneRing;
  if (probabilities.length !== vertexCount * classes) throw new Error(`smoothProbabilities: expected ${vertexCount} × ${classes} probabilities, got ${probabilities.length}.`);
  // Float64 between steps, so tens of steps add no float32 rounding drift.
  let current = Float64Array.from(probabilities);
  let next = new Float64Array(current.length);
  for (let step = 0; step < steps; step++) {
    for (let v = 0; v < vertexCount; v++) {
      const row = v * classes;
      let total = area[v]!;
      for (let k = 0; k < classes; k++) next[row + k] = total * current[row + k]!;
      for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
        const q = neighbours[e]!, weight = area[q]!;
        total += weight;
        for (let k = 0; k < classes; k++) next[row + k] += weight * current[q * classes + k]!;
      }
      // A vertex without area (isolated) keeps its own probabilities.
      if (total > 0) for (let k = 0; k < classes; k++) next[row + k] /= total;
      else for (let k = 0; k < classes; k++) next[row + k] = current[row + k]!;
    }
    [current, next] = [next, current];
  }
  return Float32Array.from(current);
}
