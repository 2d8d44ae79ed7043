import { describe, expect, it } from 'vitest';
import { fieldWidth } from '../../../../core/model/layers/feature-layout.js';
import { InvariantNorm } from '../../../../core/model/layers/invariant-norm.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { dot, expectGradient, randomAngles, randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

const SHAPE = { channels: 3, maxOrder: 2 };

describe('InvariantNorm', () => {
  it('has C · (M + 2) parameters and normalises each channel and order', () => {
    const layer = new InvariantNorm({ shape: SHAPE });
    expect(layer.parameterCount).toBe(12);
    const params = new Float32Array(12);
    layer.initialise(params, Math.random);
    const random = seededRandom(500), V = 40, x = randomArray(V * 15, random, 3), y = new Float32Array(x.length);
    layer.forward(params, x, y);
    for (let c = 0; c < 3; c++) {
      let mean = 0, square = 0, pair = 0;
      for (let v = 0; v < V; v++) { mean += y[v * 15 + c * 5]!; square += y[v * 15 + c * 5]! ** 2; pair += y[v * 15 + c * 5 + 3]! ** 2 + y[v * 15 + c * 5 + 4]! ** 2; }
      expect(Math.abs(mean / V)).toBeLessThan(1e-5);
      expect(square / V).toBeCloseTo(1, 3);
      expect(pair / V).toBeCloseTo(1, 3);
    }
  });

  it('is gauge-equivariant', () => {
    const random = seededRandom(510);
    const layer = new InvariantNorm({ shape: SHAPE }), params = randomArray(12, random);
    const V = 25, x = randomArray(V * fieldWidth(SHAPE), random), phi = randomAngles(V, random);
    const y = new Float32Array(x.length), moved = y.slice();
    layer.forward(params, x, y);
    layer.forward(params, rotateField(x.slice(), SHAPE, phi, -1), moved);
    expect(relativeError(moved, rotateField(y, SHAPE, phi, -1))).toBeLessThan(1e-5);
  });

  it('has exact gradients, coupling all vertices through the means', () => {
    const random = seededRandom(520);
    const layer = new InvariantNorm({ shape: SHAPE }), params = randomArray(12, random);
    const V = 6, x = randomArray(V * fieldWidth(SHAPE), random), y = new Float32Array(x.length), w = randomArray(x.length, random);
    const gx = new Float32Array(x.length), gp = new Float32Array(12);
    layer.backward(params, x, w, gx, gp);
    const loss = () => { layer.forward(params, x, y); return dot(y, w); };
    // Smooth but nonlinear in x: eps 1e-3 keeps the O(eps²) truncation below 1e-5; 2e-3 covers float32 rounding / eps.
    expectGradient(x, loss, gx, 1e-3, 2e-3);
    expectGradient(params, loss, gp, 1e-2, 1e-3);
  });
});
