import { describe, expect, it } from 'vitest';
import { FAST_ATAN2_MAX_ERROR, fastAtan2 } from '../../../core/geometry/fast-atan2.js';
import { seededRandom } from '../../fixtures/meshes.js';

describe('fastAtan2', () => {
  it(`stays within FAST_ATAN2_MAX_ERROR (${FAST_ATAN2_MAX_ERROR}) of Math.atan2 on a million random directions and scales`, () => {
    const random = seededRandom(7);
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const scale = Math.pow(10, 12 * random() - 6);
      const x = (random() * 2 - 1) * scale, y = (random() * 2 - 1) * scale;
      const error = Math.abs(fastAtan2(y, x) - Math.atan2(y, x));
      // Near ±π the two may land on opposite sides of the cut; compare on the circle there.
      worst = Math.max(worst, Math.min(error, Math.abs(error - 2 * Math.PI)));
    }
    expect(worst).toBeLessThan(FAST_ATAN2_MAX_ERROR);
  });

  it('is exact on the axes, close on the diagonals, and densely sampled angles stay in (−π, π]', () => {
    expect(fastAtan2(0, 1)).toBe(0);
    expect(fastAtan2(1, 0)).toBe(Math.PI / 2);
    expect(fastAtan2(0, -1)).toBe(Math.PI);
    expect(fastAtan2(-1, 0)).toBe(-Math.PI / 2);
    expect(Math.abs(fastAtan2(1, 1) - Math.PI / 4)).toBeLessThan(FAST_ATAN2_MAX_ERROR);
    expect(Math.abs(fastAtan2(-1, -1) + (3 * Math.PI) / 4)).toBeLessThan(FAST_ATAN2_MAX_ERROR);
    let outside = 0;
    for (let i = 0; i <= 100_000; i++) {
      const angle = -Math.PI + (2 * Math.PI * i) / 100_000;
      const value = fastAtan2(Math.sin(angle), Math.cos(angle));
      if (!(value > -Math.PI && value <= Math.PI)) outside++;
    }
    expect(outside).toBe(0);
  });

  it('never returns −π, maps (0, 0) to 0 and NaN to NaN', () => {
    expect(fastAtan2(-0, -1)).toBe(Math.PI);
    expect(fastAtan2(-1e-300, -1)).toBe(Math.PI);
    expect(fastAtan2(0, 0)).toBe(0);
    expect(fastAtan2(-0, -0)).toBe(0);
    expect(fastAtan2(Number.NaN, 1)).toBeNaN();
    expect(fastAtan2(1, Number.NaN)).toBeNaN();
  });
});
