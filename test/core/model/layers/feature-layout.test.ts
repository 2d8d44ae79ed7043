import { describe, expect, it } from 'vitest';
import { gaugeTransformNeighbourhood } from '../../../../core/model/layers/conv-neighbourhood.js';
import { fieldVertexCount, fieldWidth } from '../../../../core/model/layers/feature-layout.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { randomAngles, randomArray, randomNeighbourhood, relativeError, seededRandom } from './layer-test-helpers.js';

describe('feature layout', () => {
  it('sizes fields as C · (2M + 1) per vertex', () => {
    expect(fieldWidth({ channels: 8, maxOrder: 2 })).toBe(40);
    expect(fieldVertexCount(new Float32Array(80), { channels: 8, maxOrder: 2 }, 'test')).toBe(2);
    expect(() => fieldVertexCount(new Float32Array(81), { channels: 8, maxOrder: 2 }, 'test')).toThrow(/^test:/);
  });

  it('rotates order n by n·α: the angular function shifts by α, and −α undoes it', () => {
    const shape = { channels: 1, maxOrder: 3 }, x = new Float32Array([0.3, 1, -0.5, 0.2, 0.7, -0.4, 0.1]);
    const alpha = 0.7, y = rotateField(x.slice(), shape, [alpha], 1);
    const f = (c: Float32Array, t: number) => c[0]! + c[1]! * Math.cos(t) + c[2]! * Math.sin(t) + c[3]! * Math.cos(2 * t) + c[4]! * Math.sin(2 * t) + c[5]! * Math.cos(3 * t) + c[6]! * Math.sin(3 * t);
    for (const t of [0, 1, 2.5]) expect(f(y, t)).toBeCloseTo(f(x, t - alpha), 5);
    expect(relativeError(rotateField(y, shape, [alpha], -1), x)).toBeLessThan(1e-6);
  });

  it('gauge-transforms a neighbourhood as θ − φ_p and g + φ_q − φ_p, wrapped to (−π, π]', () => {
    const random = seededRandom(700), nb = randomNeighbourhood(5, 8, random);
    const phiT = randomAngles(5, random), phiS = randomArray(8, random, 3);
    const moved = gaugeTransformNeighbourhood(nb, phiT, phiS);
    for (let p = 0; p < 5; p++) {
      for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
        const dTheta = moved.angle[e]! - (nb.angle[e]! - phiT[p]!), dG = moved.transport[e]! - (nb.transport[e]! + phiS[nb.sources[e]!]! - phiT[p]!);
        expect(Math.abs(Math.sin(dTheta / 2)) + Math.abs(Math.sin(dG / 2))).toBeLessThan(1e-6);
        expect(Math.abs(moved.angle[e]!)).toBeLessThanOrEqual(Math.PI + 1e-6);
      }
    }
  });
});
