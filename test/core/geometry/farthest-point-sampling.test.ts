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
    for (const candidates of [all, everyThird]) {
      for (const target of targets) {
        const js = farthestPointSampling(mesh, geometry, steps, candidates, target, { webAssembly: false });
        const wasm = farthestPointSampling(mesh, geometry, steps, candidates, target, { webAssembly: true });
        expect(Array.from(wasm.vertices)).toEqual(Array.from(js.vertices));
        expect(Array.from(wasm.nearest)).toEqual(Array.from(js.nearest));
        expect(Array.from(wasm.distance)).toEqual(Array.from(js.distance));
        expect(wasm.coveringRadius).toBe(js.coveringRadius);
      }
    }
    // Chrome refuses synchronous compiles over 4 KiB on the main thread (the kernel would fall back to JavaScript there).
    expect(FARTHEST_POINT_SAMPLING_KERNEL_BYTES.length).toBeLessThan(4096);
  });
});
