import { describe, expect, it } from 'vitest';
import { randomRotation } from '../../../core/geometry/random-rotation.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';

describe('randomRotation', () => {
  it('gives orthonormal matrices of determinant +1 that spread over directions', () => {
    const random = mulberry32(4);
    let meanZ = [0, 0, 0];
    for (let trial = 0; trial < 500; trial++) {
      const r = randomRotation(random);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const dot = r[3 * i]! * r[3 * j]! + r[3 * i + 1]! * r[3 * j + 1]! + r[3 * i + 2]! * r[3 * j + 2]!;
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
        }
      }
      const det = r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) - r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) + r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
      expect(det).toBeCloseTo(1, 12);
      meanZ = meanZ.map((m, k) => m + r[3 * k + 2]! / 500);
    }
    // The image of the z axis is uniform on the sphere, so its mean is near 0 (σ ≈ 0.026 per coordinate here).
    for (const m of meanZ) expect(Math.abs(m)).toBeLessThan(0.1);
  });
});
