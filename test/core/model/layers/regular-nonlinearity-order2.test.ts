import { describe, expect, it } from 'vitest';
import { LEAKY_SLOPE, RegularNonlinearity, type RegularNonlinearityKind } from '../../../../core/model/layers/regular-nonlinearity.js';
import { randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

const KINDS: RegularNonlinearityKind[] = ['relu', 'leaky', 'silu'];

function f(x: number, kind: RegularNonlinearityKind): number {
  return kind === 'silu' ? x / (1 + Math.exp(-x)) : x > 0 ? x : kind === 'leaky' ? LEAKY_SLOPE * x : 0;
}

function df(x: number, kind: RegularNonlinearityKind): number {
  if (kind !== 'silu') return x > 0 ? 1 : kind === 'leaky' ? LEAKY_SLOPE : 0;
  const s = 1 / (1 + Math.exp(-x));
  return s * (1 + x * (1 - s));
}

/** Basis function d (1, cos t, sin t, cos 2t, sin 2t) and its DFT weight at sample j of N. */
function basis(d: number, j: number, N: number): { value: number; weight: number } {
  const n = (d + 1) >> 1, t = (2 * Math.PI * n * j) / N;
  const value = d === 0 ? 1 : d % 2 === 1 ? Math.cos(t) : Math.sin(t);
  return { value, weight: (d === 0 ? 1 : 2) * value / N };
}

/** The layer's definition in float64, one channel at a time: forward and the transposed Jacobian applied to `grad`. */
function reference(input: Float32Array, grad: Float32Array, N: number, kind: RegularNonlinearityKind): { out: Float64Array; gradIn: Float64Array } {
  const out = new Float64Array(input.length), gradIn = new Float64Array(input.length);
  for (let b = 0; b < input.length; b += 5) {
    for (let j = 0; j < N; j++) {
      let s = 0, g = 0;
      for (let d = 0; d < 5; d++) {
        const { value, weight } = basis(d, j, N);
        s += input[b + d]! * value;
        g += grad[b + d]! * weight;
      }
      for (let d = 0; d < 5; d++) {
        const { value, weight } = basis(d, j, N);
        out[b + d] += f(s, kind) * weight;
        gradIn[b + d] += g * df(s, kind) * value;
      }
    }
  }
  return { out, gradIn };
}

describe('RegularNonlinearity, unrolled M = 2 kernel (even N)', () => {
  it('agrees with the sample–activate–project definition, forward and backward', () => {
    for (const kind of KINDS) {
      for (const N of [6, 12, 16, 24]) {
        const random = seededRandom(500 + N);
        const layer = new RegularNonlinearity({ shape: { channels: 6, maxOrder: 2 }, samples: N, kind });
        const input = randomArray(40 * 30, random, 2), grad = randomArray(input.length, random);
        const out = new Float32Array(input.length), gradIn = new Float32Array(input.length).fill(9);
        layer.forward(input, out);
        layer.backward(input, grad, gradIn);
        const expected = reference(input, grad, N, kind);
        // float32 outputs of float64 sums over N ≤ 24 samples: 1e-6 relative covers the rounding.
        expect(relativeError(out, expected.out)).toBeLessThan(1e-6);
        expect(relativeError(gradIn, expected.gradIn)).toBeLessThan(1e-6);
      }
    }
  });

  it('matches the general path, which odd N takes, as N grows (both converge to the same continuous layer)', () => {
    const random = seededRandom(520);
    const input = randomArray(5 * 50, random);
    const even = new Float32Array(input.length), odd = new Float32Array(input.length);
    new RegularNonlinearity({ shape: { channels: 1, maxOrder: 2 }, samples: 400, kind: 'silu' }).forward(input, even);
    new RegularNonlinearity({ shape: { channels: 1, maxOrder: 2 }, samples: 401, kind: 'silu' }).forward(input, odd);
    // SiLU is smooth: at N ≈ 400 the aliasing of either sampling is far below 1e-6.
    expect(relativeError(even, odd)).toBeLessThan(1e-6);
  });
});
