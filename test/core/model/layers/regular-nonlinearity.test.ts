import { describe, expect, it } from 'vitest';
import { fieldWidth, type FieldShape } from '../../../../core/model/layers/feature-layout.js';
import { defaultSamples, RegularNonlinearity } from '../../../../core/model/layers/regular-nonlinearity.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { dot, expectGradient, randomAngles, randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

const SHAPE: FieldShape = { channels: 4, maxOrder: 2 };

/** Random channels (M = 2) whose 12 samples all keep |f| ≥ 0.05, so a 1e-3 perturbation crosses no ReLU kink. */
function awayFromKinks(channels: number, random: () => number): Float32Array {
  const out = new Float32Array(channels * 5);
  for (let c = 0; c < channels; c++) {
    for (;;) {
      for (let i = 0; i < 5; i++) out[c * 5 + i] = 2 * random() - 1;
      let nearest = Infinity;
      for (let j = 0; j < 12; j++) {
        const t = (2 * Math.PI * j) / 12;
        const f = out[c * 5]! + out[c * 5 + 1]! * Math.cos(t) + out[c * 5 + 2]! * Math.sin(t) + out[c * 5 + 3]! * Math.cos(2 * t) + out[c * 5 + 4]! * Math.sin(2 * t);
        nearest = Math.min(nearest, Math.abs(f));
      }
      if (nearest >= 0.05) break;
    }
  }
  return out;
}

/** Largest equivariance error, relative to max |output|, over random gauges for N samples. */
function randomGaugeError(samples: number, seed: number, kind: 'relu' | 'silu' = 'relu'): number {
  const random = seededRandom(seed);
  const layer = new RegularNonlinearity({ shape: SHAPE, samples, kind });
  const V = 200, input = randomArray(V * fieldWidth(SHAPE), random), phi = randomAngles(V, random);
  const out = new Float32Array(input.length), moved = out.slice();
  layer.forward(input, out);
  layer.forward(rotateField(input.slice(), SHAPE, phi, -1), moved);
  return relativeError(moved, rotateField(out, SHAPE, phi, -1));
}

describe('RegularNonlinearity', () => {
  it('defaults to N = 4M + 4 (12 at M = 2)', () => {
    expect(defaultSamples(2)).toBe(12);
    expect(new RegularNonlinearity({ shape: SHAPE }).samples).toBe(12);
  });

  it('is exactly equivariant for rotations by multiples of 2π/N', () => {
    for (const kind of ['relu', 'leaky', 'silu'] as const) {
      const random = seededRandom(200);
      const layer = new RegularNonlinearity({ shape: SHAPE, kind });
      const V = 50, input = randomArray(V * fieldWidth(SHAPE), random);
      const phi = new Float32Array(V).map(() => (2 * Math.PI * Math.floor(random() * 12)) / 12);
      const out = new Float32Array(input.length), moved = out.slice();
      layer.forward(input, out);
      layer.forward(rotateField(input.slice(), SHAPE, phi, -1), moved);
      // A sample permutation: only float32 rounding of the rotated input remains.
      expect(relativeError(moved, rotateField(out, SHAPE, phi, -1))).toBeLessThan(1e-5);
    }
  });

  it('has a bounded equivariance error for random rotations, shrinking with N', () => {
    const e12 = randomGaugeError(12, 210), e24 = randomGaugeError(24, 210), e48 = randomGaugeError(48, 210);
    console.log(`RegularNonlinearity M=2 random-gauge error (max relative): N=12 ${e12.toExponential(2)}, N=24 ${e24.toExponential(2)}, N=48 ${e48.toExponential(2)}`);
    // Measured (max over 200 vertices × 4 channels, relative to max |output|): N=12 8.2e-2, N=24 1.7e-2, N=48 2.7e-3; bounds leave ~1.5× headroom.
    expect(e12).toBeLessThan(0.12);
    expect(e24).toBeLessThan(0.025);
    expect(e48).toBeLessThan(0.004);
  });

  it('aliases far less with the smooth SiLU than with ReLU at the same N', () => {
    const silu12 = randomGaugeError(12, 210, 'silu'), silu24 = randomGaugeError(24, 210, 'silu');
    console.log(`RegularNonlinearity M=2 SiLU random-gauge error: N=12 ${silu12.toExponential(2)}, N=24 ${silu24.toExponential(2)}`);
    expect(silu12).toBeLessThan(randomGaugeError(12, 210) / 4);
    expect(silu24).toBeLessThan(1e-3);
  });

  it('is the pointwise function on invariant (M = 0) fields, with its derivative', () => {
    for (const kind of ['relu', 'leaky', 'silu'] as const) {
      const random = seededRandom(230);
      const shape = { channels: 5, maxOrder: 0 };
      const layer = new RegularNonlinearity({ shape, kind, samples: 16 });
      const input = randomArray(40, random).map((x) => (Math.abs(x) < 0.05 ? x + 0.1 : x));
      const out = new Float32Array(input.length);
      layer.forward(input, out);
      const f = (x: number) => (kind === 'silu' ? x / (1 + Math.exp(-x)) : x > 0 ? x : kind === 'leaky' ? 0.1 * x : 0);
      for (let i = 0; i < input.length; i++) expect(out[i]).toBeCloseTo(f(input[i]!), 6);
      const weights = randomArray(out.length, random), gradInput = new Float32Array(input.length);
      layer.backward(input, weights, gradInput);
      expectGradient(input, () => { layer.forward(input, out); return dot(out, weights); }, gradInput, 1e-3, 2e-3);
    }
  });

  it('is the identity on fields whose samples are all positive', () => {
    const layer = new RegularNonlinearity({ shape: SHAPE });
    const input = new Float32Array(fieldWidth(SHAPE) * 3).map((_, i) => (i % 5 === 0 ? 5 : 0.3));
    const out = new Float32Array(input.length);
    layer.forward(input, out);
    expect(relativeError(out, input)).toBeLessThan(1e-6);
  });

  it('has exact gradients', () => {
    for (const kind of ['relu', 'leaky', 'silu'] as const) {
      const random = seededRandom(220);
      const layer = new RegularNonlinearity({ shape: SHAPE, kind });
      const input = awayFromKinks(6 * SHAPE.channels, random), out = new Float32Array(input.length);
      const weights = randomArray(out.length, random), gradInput = new Float32Array(input.length);
      layer.backward(input, weights, gradInput);
      // Inputs keep every sample ≥ 0.05 from the kink; 2e-3 covers float32 rounding of the loss (~1e-6) / eps.
      expectGradient(input, () => { layer.forward(input, out); return dot(out, weights); }, gradInput, 1e-3, 2e-3);
    }
  });
});
