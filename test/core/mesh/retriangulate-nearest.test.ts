import { describe, expect, it } from 'vitest';
import { nearestVertices } from '../../../core/mesh/retriangulate.js';
import { icosphere, planeGrid, seededRandom } from '../../fixtures/meshes.js';
import { bruteNearest } from './retriangulate-helpers.js';

/** Queries agree with brute force in distance (indices may differ only on exact ties). */
function expectExact(points: Float64Array, queries: Float64Array | Float32Array): void {
  const found = nearestVertices(points, queries);
  expect(found.length).toBe(queries.length / 3);
  for (let q = 0; q < found.length; q++) {
    const [x, y, z] = [queries[3 * q]!, queries[3 * q + 1]!, queries[3 * q + 2]!];
    const brute = bruteNearest(points, x, y, z);
    const p = found[q]!;
    const d = (points[3 * p]! - x) ** 2 + (points[3 * p + 1]! - y) ** 2 + (points[3 * p + 2]! - z) ** 2;
    expect(d).toBe(brute.distance2);
  }
}

function randomPoints(count: number, seed: number, scale = 1, offset = 0): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: 3 * count }, () => offset + scale * random());
}

describe('nearestVertices', () => {
  it('agrees with brute force on random points in a box, queries inside and far outside', () => {
    const points = randomPoints(2000, 1);
    expectExact(points, randomPoints(500, 2));
    expectExact(points, randomPoints(100, 3, 20, -10));
  });

  it('agrees with brute force on surface points (a sphere) and a flat set (a plane), with float32 queries', () => {
    const sphere = icosphere(3).positions;
    expectExact(sphere, Float32Array.from(randomPoints(500, 4, 2.4, -1.2)));
    const plane = planeGrid(30, { jitter: 0.3 }).positions;
    expectExact(plane, randomPoints(300, 5, 1.2, -0.1));
  });

  it('finds each point itself, the lower index on duplicates, and handles a single point', () => {
    const points = randomPoints(300, 6);
    const doubled = Float64Array.from([...points, ...points]);
    expect(Array.from(nearestVertices(doubled, points))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(Array.from(nearestVertices(new Float64Array([1, 2, 3]), randomPoints(5, 7)))).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects empty or non-finite points', () => {
    expect(() => nearestVertices(new Float64Array(0), new Float64Array(3))).toThrow(/nearestVertices/);
    expect(() => nearestVertices(new Float64Array([0, NaN, 0]), new Float64Array(3))).toThrow(/non-finite/);
  });
});
