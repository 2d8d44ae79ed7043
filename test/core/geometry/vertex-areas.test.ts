import { describe, expect, it } from 'vitest';
import { computeTotalArea, computeVertexAreas } from '../../../core/geometry/vertex-areas.js';
import { meanEdgeLength } from '../../../core/geometry/mean-edge-length.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';

describe('computeVertexAreas and computeTotalArea', () => {
  it('sum to the total area (to 1e-12 relative) on a sphere, a torus and a jittered plane', () => {
    for (const mesh of [icosphere(3), torus(20, 10), planeGrid(9, { jitter: 0.3 })]) {
      const areas = computeVertexAreas(mesh);
      const total = computeTotalArea(mesh);
      expect(areas.reduce((s, a) => s + a, 0) / total).toBeCloseTo(1, 12);
      expect(areas.every((a) => a > 0)).toBe(true);
    }
  });

  it('measure a plane exactly and approach 4πR² on a refined sphere', () => {
    expect(computeTotalArea(planeGrid(9, { size: 3, jitter: 0.3 }))).toBeCloseTo(9, 12);
    // An inscribed icosphere of level 4 misses 0.2% of the sphere's area.
    expect(computeTotalArea(icosphere(4, 2)) / (16 * Math.PI)).toBeCloseTo(1, 2);
  });

  it('give a third of each triangle to its corners', () => {
    const mesh = { positions: Float64Array.from([0, 0, 0, 2, 0, 0, 0, 3, 0, 2, 3, 0]), triangles: Uint32Array.from([0, 1, 2, 1, 3, 2]) };
    expect([...computeVertexAreas(mesh)]).toEqual([1, 2, 2, 1]);
  });
});

describe('meanEdgeLength', () => {
  it('averages each undirected edge once on a regular grid', () => {
    // n × n grid of spacing h: 2n(n − 1) axis edges of length h and (n − 1)² diagonals of length h√2.
    const n = 6, size = 5, h = size / (n - 1);
    const expected = (2 * n * (n - 1) * h + (n - 1) ** 2 * h * Math.SQRT2) / (2 * n * (n - 1) + (n - 1) ** 2);
    expect(meanEdgeLength(planeGrid(n, { size }))).toBeCloseTo(expected, 12);
  });

  it('is 0 for a mesh without triangles', () => {
    expect(meanEdgeLength({ positions: new Float64Array(6), triangles: new Uint32Array(0) })).toBe(0);
  });
});
