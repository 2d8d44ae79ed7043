import { describe, expect, it } from 'vitest';
import { backwardOrder2, forwardOrder2, halfPeriodTable } from '../../../../core/model/layers/regular-nonlinearity-order2.js';
import { SILU_KERNEL_BYTES, SimdSiluOrder2 } from '../../../../core/model/layers/regular-nonlinearity-simd.js';
import { randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

// The WebAssembly SiLU kernel (its own e^x in the lanes) against the JavaScript kernel with Math.exp.

describe('RegularNonlinearity SiLU WebAssembly SIMD kernel (M = 2)', () => {
  it('is available in Node 20 for N divisible by 8, and small enough to compile synchronously in a browser', () => {
    expect(SimdSiluOrder2.create(16, halfPeriodTable(16))).not.toBeNull();
    expect(SimdSiluOrder2.create(12, halfPeriodTable(12))).toBeNull();
    // Chrome refuses synchronous compiles over 4 KiB on the main thread.
    expect(SILU_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('agrees with the Math.exp kernel, also where e^−f over- or underflows, and as the field grows', () => {
    for (const N of [8, 16, 24, 32]) {
      const random = seededRandom(800 + N);
      const table = halfPeriodTable(N), kernel = SimdSiluOrder2.create(N, table)!;
      for (const channels of [1, 7, 3000, 40000]) {
        const input = randomArray(5 * channels, random, 6);
        input[0] = 900; input[1] = -3; input[5] = -900; input[6] = 2;
        const expected = new Float32Array(input.length), actual = new Float32Array(input.length).fill(Number.NaN);
        forwardOrder2(input, expected, N, table, true, 0);
        kernel.forward(input, actual);
        // Float32 sums of N samples and e^x to float32 rounding, against float64 with Math.exp: rounding only.
        expect(relativeError(actual, expected)).toBeLessThan(1e-6);
      }
    }
  });

  it('gives the input gradient of the Math.exp kernel', () => {
    for (const N of [8, 16]) {
      const random = seededRandom(820 + N);
      const table = halfPeriodTable(N), kernel = SimdSiluOrder2.create(N, table)!;
      for (const channels of [1, 5000]) {
        const input = randomArray(5 * channels, random, 6), gradOutput = randomArray(input.length, random);
        input[0] = 900; input[5] = -900;
        const expected = new Float32Array(input.length), actual = new Float32Array(input.length).fill(Number.NaN);
        backwardOrder2(input, gradOutput, expected, N, table, true, 0);
        kernel.backward(input, gradOutput, actual);
        // As above: float32 sums against float64 ones.
        expect(relativeError(actual, expected)).toBeLessThan(1e-6);
      }
    }
  });
});
