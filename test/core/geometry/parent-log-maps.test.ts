import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { expMapSteps } from '../../../core/geometry/exp-map-steps.js';
import { farthestPointSampling } from '../../../core/geometry/farthest-point-sampling.js';
import { geodesicPatches } from '../../../core/geometry/geodesic-patches.js';
import { parentLogMaps } from '../../../core/geometry/parent-log-maps.js';
import { PARENT_LOG_MAPS_KERNEL_BYTES } from '../../../core/geometry/parent-log-maps-kernel.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { icosphere, planeGrid, planeWithDuplicateAndIsolatedVertex, torus } from '../../fixtures/meshes.js';

describe('parentLogMaps', () => {
  it('gives the same log maps bit for bit in WebAssembly as in JavaScript, through heap growth, subsets, several meshes and a zero-length edge', () => {
    const { mesh: duplicated } = planeWithDuplicateAndIsolatedVertex();
    const cases: { mesh: Mesh; count: number; fine?: Uint32Array }[] = [
      // Few parents first: cells of hundreds of vertices, so the kernel's heap (64 entries at first) must grow, rerunning the cell.
      { mesh: torus(48, 24), count: 3 },
      { mesh: icosphere(3), count: 40, fine: Uint32Array.from({ length: 214 }, (_, i) => 3 * i) },
      { mesh: planeGrid(12, { jitter: 0.3, seed: 4 }), count: 20 },
      { mesh: duplicated, count: 8 },
    ];
    for (const { mesh, count, fine: subset } of cases) {
      const geometry = computeGaugeGeometry(mesh);
      const steps = expMapSteps(mesh, geometry);
      const fine = subset ?? Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i);
      const samples = farthestPointSampling(mesh, geometry, steps, fine, { count });
      const run = (webAssembly: boolean) => parentLogMaps(steps, geometry.oneRing, fine, samples.vertices, samples.nearest, samples.distance, { webAssembly });
      const kernel = run(true), loop = run(false);
      for (const key of ['radius', 'angle', 'transport'] as const) expect(Array.from(kernel[key])).toEqual(Array.from(loop[key]));
    }
    // Chrome refuses synchronous compiles over 4 KiB on the main thread (the kernel would fall back to JavaScript there).
    expect(PARENT_LOG_MAPS_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('gives the patches kernel the 1-ring it bound for the log maps: patches after log maps of the same steps equal the JavaScript patches', () => {
    const mesh = icosphere(3);
    const geometry = computeGaugeGeometry(mesh);
    const steps = expMapSteps(mesh, geometry);
    const all = Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i);
    const samples = farthestPointSampling(mesh, geometry, steps, all, { count: 60 });
    parentLogMaps(steps, geometry.oneRing, all, samples.vertices, samples.nearest, samples.distance);
    const options = { radius: 0.6, vertices: samples.vertices, steps };
    const kernel = geodesicPatches(mesh, geometry, options), loop = geodesicPatches(mesh, geometry, { ...options, webAssembly: false });
    for (const key of ['offsets', 'neighbours', 'logMapRadius', 'logMapAngle', 'transportAngle'] as const) expect(Array.from(kernel[key])).toEqual(Array.from(loop[key]));
  });
});
