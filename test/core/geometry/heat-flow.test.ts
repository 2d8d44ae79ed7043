import { describe, expect, it } from 'vitest';
import { computeCotanLaplacian } from '../../../core/geometry/cotan-laplacian.js';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { heatFlow } from '../../../core/geometry/heat-flow.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { bumpySphere } from '../../fixtures/meshes.js';

/** A flat strip x ∈ [0, 1], y ∈ [0, 0.1], its columns 3× closer on the left half than on the right. */
function unevenStrip(): Mesh {
  const columns = [...Array.from({ length: 60 }, (_, j) => j / 120), ...Array.from({ length: 21 }, (_, j) => 0.5 + j / 40)];
  const rows = 5;
  const positions: number[] = [];
  for (let i = 0; i < rows; i++) for (const x of columns) positions.push(x, i / 40, 0);
  const triangles: number[] = [];
  const width = columns.length;
  for (let i = 0; i < rows - 1; i++) {
    for (let j = 0; j < width - 1; j++) {
      const a = i * width + j;
      triangles.push(a, a + 1, a + width + 1, a, a + width + 1, a + width);
    }
  }
  return { file: 'uneven-strip', positions: Float64Array.from(positions), triangles: Uint32Array.from(triangles), sourceToMesh: Uint32Array.from({ length: positions.length / 3 }, (_, i) => i), repairs: [] };
}

describe('heatFlow', () => {
  it('follows the continuous solution, however unevenly the surface is meshed', () => {
    // A step at x = 0.5 after (1 − T Δ) u = u₀ on a line: u = 1 − e^(−|x − 0.5| / √T) / 2 on the step's side, e^(…) / 2 on the other.
    const strip = unevenStrip();
    const geometry = computeGaugeGeometry(strip);
    const count = geometry.vertexCount, time = 0.1 ** 2;
    const step = Float64Array.from({ length: count }, (_, v) => {
      const x = strip.positions[3 * v]!;
      return x < 0.5 ? 1 : x > 0.5 ? 0 : 0.5;
    });
    const flowed = heatFlow(step, 1, strip, geometry, time, { tolerance: 1e-8 });
    let largestError = 0, crossing = NaN;
    for (let v = 0; v < count; v++) {
      const x = strip.positions[3 * v]!;
      const tail = Math.exp(-Math.abs(x - 0.5) / Math.sqrt(time)) / 2;
      largestError = Math.max(largestError, Math.abs(flowed[v]! - (x <= 0.5 ? 1 - tail : tail)));
      // The first row's vertices are the columns in order: where the value drops below 1/2.
      const next = v + 1;
      if (strip.positions[3 * next + 1] === 0 && flowed[v]! >= 0.5 && flowed[next]! < 0.5) crossing = x + ((flowed[v]! - 0.5) / (flowed[v]! - flowed[next]!)) * (strip.positions[3 * next]! - x);
    }
    // 0.019 measured: the coarse side's spacing is 0.25 √T, and the ends 5 √T away add e⁻⁵ / 2. 1-ring averaging: 0.38.
    expect(largestError).toBeLessThan(0.03);
    // Measured 0.504, 0.4 of a coarse spacing; 1-ring averaging moves it to 0.470, into the finely meshed half.
    expect(Math.abs(crossing - 0.5)).toBeLessThan(0.01);
  });

  it('solves (M + T L) F = M F₀ for every channel to its tolerance, and keeps constants', () => {
    const sphere = bumpySphere(3, 4);
    const geometry = computeGaugeGeometry(sphere);
    const n = geometry.vertexCount, width = 3, time = 0.05;
    const random = mulberry32(9);
    const fields = Float64Array.from({ length: n * width }, () => random());
    const flowed = heatFlow(fields, width, sphere, geometry, time, { tolerance: 1e-6 });
    const { offsets, columns, values } = computeCotanLaplacian(sphere, geometry.oneRing);
    for (let k = 0; k < width; k++) {
      let residual = 0, right = 0;
      for (let i = 0; i < n; i++) {
        let product = geometry.vertexAreas[i]! * flowed[i * width + k]!;
        for (let e = offsets[i]!; e < offsets[i + 1]!; e++) product += time * values[e]! * flowed[columns[e]! * width + k]!;
        const b = geometry.vertexAreas[i]! * fields[i * width + k]!;
        residual += (b - product) ** 2;
        right += b * b;
      }
      expect(Math.sqrt(residual / right)).toBeLessThan(1e-6);
    }
    const constant = heatFlow(new Float64Array(n).fill(0.3), 1, sphere, geometry, time, { tolerance: 1e-6 });
    expect(Math.max(...Array.from(constant, (value) => Math.abs(value - 0.3)))).toBeLessThan(1e-12);
  });
});
