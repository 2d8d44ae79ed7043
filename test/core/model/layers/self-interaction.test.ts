import { describe, expect, it } from 'vitest';
import { fieldWidth } from '../../../../core/model/layers/feature-layout.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { SelfInteraction, type SelfInteractionSpec } from '../../../../core/model/layers/self-interaction.js';
import { SELF_INTERACTION_KERNEL_BYTES } from '../../../../core/model/layers/self-interaction-simd.js';
import { dot, expectGradient, randomAngles, randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

// The first three run as JavaScript loops, the others (channel counts multiples of 4) as WebAssembly SIMD.
const SPECS: SelfInteractionSpec[] = [
  { in: { channels: 3, maxOrder: 2 }, out: { channels: 4, maxOrder: 2 }, bias: true },
  { in: { channels: 2, maxOrder: 1 }, out: { channels: 3, maxOrder: 3 }, bias: false },
  { in: { channels: 2, maxOrder: 3 }, out: { channels: 2, maxOrder: 1 }, bias: true },
  { in: { channels: 4, maxOrder: 2 }, out: { channels: 8, maxOrder: 2 }, bias: true },
  { in: { channels: 8, maxOrder: 2 }, out: { channels: 4, maxOrder: 0 }, bias: true },
  { in: { channels: 4, maxOrder: 1 }, out: { channels: 4, maxOrder: 3 }, bias: false },
];

/** The definition in float64: ρ0 by W0 plus bias, each order n ≤ min(M_in, M_out) pair by a·I + b·J per channel pair. */
function naiveSelfInteraction(spec: SelfInteractionSpec, params: Float32Array, input: Float32Array): Float64Array {
  const Cin = spec.in.channels, Cout = spec.out.channels, Din = 2 * spec.in.maxOrder + 1, Dout = 2 * spec.out.maxOrder + 1;
  const orders = Math.min(spec.in.maxOrder, spec.out.maxOrder), pairs = Cin * Cout, V = input.length / (Cin * Din);
  const out = new Float64Array(V * Cout * Dout);
  for (let v = 0; v < V; v++) {
    for (let co = 0; co < Cout; co++) {
      const y = (v * Cout + co) * Dout;
      out[y] = spec.bias ? params[pairs * (1 + 2 * orders) + co]! : 0;
      for (let ci = 0; ci < Cin; ci++) {
        const x = (v * Cin + ci) * Din;
        out[y] += params[co * Cin + ci]! * input[x]!;
        for (let n = 1; n <= orders; n++) {
          const pb = pairs + ((n - 1) * pairs + co * Cin + ci) * 2, a = params[pb]!, b = params[pb + 1]!;
          const xa = input[x + 2 * n - 1]!, xb = input[x + 2 * n]!;
          out[y + 2 * n - 1] += a * xa - b * xb;
          out[y + 2 * n] += b * xa + a * xb;
        }
      }
    }
  }
  return out;
}

describe('SelfInteraction', () => {
  it('counts C_out · C_in · (1 + 2 min(M_in, M_out)) + C_out parameters', () => {
    expect(new SelfInteraction(SPECS[0]!).parameterCount).toBe(12 * 5 + 4);
    expect(new SelfInteraction(SPECS[1]!).parameterCount).toBe(6 * 3);
  });

  it('has WebAssembly kernels under Chrome\'s 4 KiB limit for synchronous compiles on the main thread', () => {
    expect(SELF_INTERACTION_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('agrees with the definition', () => {
    SPECS.forEach((spec, s) => {
      const random = seededRandom(90 + s);
      const layer = new SelfInteraction(spec), params = randomArray(layer.parameterCount, random);
      const V = 11, input = randomArray(V * fieldWidth(spec.in), random), out = new Float32Array(V * fieldWidth(spec.out)).fill(3);
      layer.forward(params, input, out);
      // float32 sums of up to 8 products.
      expect(relativeError(out, naiveSelfInteraction(spec, params, input))).toBeLessThan(1e-6);
    });
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
