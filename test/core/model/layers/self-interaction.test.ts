import { describe, expect, it } from 'vitest';
import { fieldWidth } from '../../../../core/model/layers/feature-layout.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { SelfInteraction, type SelfInteractionSpec } from '../../../../core/model/layers/self-interaction.js';
import { dot, expectGradient, randomAngles, randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

const SPECS: SelfInteractionSpec[] = [
  { in: { channels: 3, maxOrder: 2 }, out: { channels: 4, maxOrder: 2 }, bias: true },
  { in: { channels: 2, maxOrder: 1 }, out: { channels: 3, maxOrder: 3 }, bias: false },
  { in: { channels: 2, maxOrder: 3 }, out: { channels: 2, maxOrder: 1 }, bias: true },
];

describe('SelfInteraction', () => {
  it('counts C_out · C_in · (1 + 2 min(M_in, M_out)) + C_out parameters', () => {
    expect(new SelfInteraction(SPECS[0]!).parameterCount).toBe(12 * 5 + 4);
    expect(new SelfInteraction(SPECS[1]!).parameterCount).toBe(6 * 3);
  });

  it('is gauge-equivariant', () => {
    SPECS.forEach((spec, s) => {
      const random = seededRandom(100 + s);
      const layer = new SelfInteraction(spec), params = randomArray(layer.parameterCount, random);
      const V = 9, input = randomArray(V * fieldWidth(spec.in), random), phi = randomAngles(V, random);
      const out = new Float32Array(V * fieldWidth(spec.out)), moved = out.slice();
      layer.forward(params, input, out);
      layer.forward(params, rotateField(input.slice(), spec.in, phi, -1), moved);
      // float32 rounding of short sums.
      expect(relativeError(moved, rotateField(out, spec.out, phi, -1))).toBeLessThan(1e-5);
    });
  });

  it('has exact gradients', () => {
    SPECS.forEach((spec, s) => {
      const random = seededRandom(110 + s);
      const layer = new SelfInteraction(spec), params = new Float32Array(layer.parameterCount);
      layer.initialise(params, random);
      const V = 5, input = randomArray(V * fieldWidth(spec.in), random);
      const out = new Float32Array(V * fieldWidth(spec.out)), weights = randomArray(out.length, random);
      const loss = () => { layer.forward(params, input, out); return dot(out, weights); };
      const gradInput = new Float32Array(input.length), gradParams = new Float32Array(layer.parameterCount);
      layer.backward(params, input, weights, gradInput, gradParams);
      // Bilinear layer: central differences exact up to float32 rounding of the loss.
      expectGradient(input, loss, gradInput, 1e-2, 1e-3);
      expectGradient(params, loss, gradParams, 1e-2, 1e-3);
    });
  });
});
