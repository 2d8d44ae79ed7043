import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { expMapSteps } from '../../../core/geometry/exp-map-steps.js';
import { farthestPointSampling, type SamplingTarget } from '../../../core/geometry/farthest-point-sampling.js';
import { FARTHEST_POINT_SAMPLING_KERNEL_BYTES } from '../../../core/geometry/farthest-point-sampling-kernel.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { bumpySphere, planeWithDuplicateAndIsolatedVertex, torus } from '../../fixtures/meshes.js';

/** Meshes as one, each after the one before. */
function union(...meshes: Mesh[]): Mesh {
  const positions = new Float64Array(meshes.reduce((n, m) => n + m.positions.length, 0));
  const triangles = new Uint32Array(meshes.reduce((n, m) => n + m.triangles.length, 0));
  let p = 0, t = 0;
  for (const mesh of meshes) {
    positions.set(mesh.positions, p);
    triangles.set(mesh.triangles.map((v) => v + p / 3), t);
    p += mesh.positions.length;
    t += mesh.triangles.length;
  }
  return { ...meshes[0]!, positions, triangles, sourceToMesh: Uint32Array.from({ length: positions.length / 3 }, (_, i) => i) };
}

describe('farthestPointSampling', () => {
  it('draws the same samples, nearest samples and distances bit for bit in WebAssembly as in JavaScript', () => {
    // Three components (one with a zero-length edge and an isolated vertex); the kernel's heaps start small and must grow.
    const mesh = union(torus(32, 16), bumpySphere(3, 2), planeWithDuplicateAndIsolatedVertex().mesh);
    const geometry = computeGaugeGeometry(mesh);
    const steps = expMapSteps(mesh, geometry);
    const all = Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i);
    const everyThird = all.filter((v) => v % 3 === 0);
    const targets: SamplingTarget[] = [{ spacing: 0.1 }, { spacing: 0.4 }, { count: 2 }, { count: 300 }];
    for (const [candidates, start] of [[all, 0], [everyThird, 0], [all, 3]] as const) {
      for (const target of targets) {
        const js = farthestPointSampling(mesh, geometry, steps, candidates, target, { webAssembly: false, start });
        const wasm = farthestPointSampling(mesh, geometry, steps, candidates, target, { webAssembly: true, start });
        expect(Array.from(wasm.vertices)).toEqual(Array.from(js.vertices));
        expect(Array.from(wasm.nearest)).toEqual(Array.from(js.nearest));
        expect(Array.from(wasm.distance)).toEqual(Array.from(js.distance));
        expect(wasm.coveringRadius).toBe(js.coveringRadius);
      }
    }
    // Chrome refuses synchronous compiles over 4 KiB on the main thread (the kernel would fall back to JavaScript there).
    expect(FARTHEST_POINT_SAMPLING_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('begins at the k-th alternative start: the vertex whose distance from the k-th extreme is nearest half the largest', () => {
    const mesh = bumpySphere(3, 2);
    const geometry = computeGaugeGeometry(mesh);
    const steps = expMapSteps(mesh, geometry);
    const all = Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i);
    const x = mesh.positions;
    const distance = (a: number, b: number) => Math.hypot(x[3 * a]! - x[3 * b]!, x[3 * a + 1]! - x[3 * b + 1]!, x[3 * a + 2]! - x[3 * b + 2]!);
    const argmin = (key: (v: number) => number) => Array.from(all).reduce((best, v) => (key(v) < key(best) ? v : best), 0);
    // Extreme 0 is the usual first sample; extreme k the vertex farthest from extremes 0 … k − 1.
    const extremes = [farthestPointSampling(mesh, geometry, steps, all, { count: 1 }).vertices[0]!];
    while (extremes.length < 4) extremes.push(argmin((v) => -Math.min(...extremes.map((e) => distance(v, e)))));
    for (let k = 1; k < 4; k++) {
      const half = Math.max(...Array.from(all, (v) => distance(v, extremes[k]!))) / 2;
      const first = farthestPointSampling(mesh, geometry, steps, all, { count: 1 }, { start: k }).vertices[0]!;
      expect(first).toBe(argmin((v) => Math.abs(distance(v, extremes[k]!) - half)));
    }
    // Samplings from different starts share about as many vertices as unrelated ones would, not most of them.
    const samplings = [0, 1, 2].map((start) => new Set(farthestPointSampling(mesh, geometry, steps, all, { spacing: 0.2 }, { start }).vertices));
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
      expect([...samplings[a]!].filter((v) => samplings[b]!.has(v)).length).toBeLessThan(0.7 * samplings[a]!.size);
    }
    for (const start of [-1, 1.5, NaN]) expect(() => farthestPointSampling(mesh, geometry, steps, all, { count: 1 }, { start })).toThrow(/start must be a whole number/);
  });
});
