import { describe, expect, it } from 'vitest';
import { fieldWidth, type FieldShape } from '../../../../core/model/layers/feature-layout.js';
import { GemConv, type GemConvSpec } from '../../../../core/model/layers/gem-conv.js';
import { randomArray, randomNeighbourhood, relativeError, seededRandom } from './layer-test-helpers.js';

// An invariant-output GemConv (M_out = 0) applies W_k per source vertex (gem-conv-invariant.ts).
// Its ρ0 output rows are exactly the order-0 rows of an M_out = 1 convolution, which takes the
// per-row aggregation path: embedding the weights there checks one path against the other.

const CASES: { in: FieldShape; channels: number; rings: number; bias: boolean; normalise: boolean }[] = [
  { in: { channels: 3, maxOrder: 2 }, channels: 4, rings: 3, bias: true, normalise: true },
  { in: { channels: 2, maxOrder: 1 }, channels: 3, rings: 2, bias: false, normalise: false },
  { in: { channels: 4, maxOrder: 0 }, channels: 2, rings: 1, bias: true, normalise: true },
  { in: { channels: 2, maxOrder: 3 }, channels: 5, rings: 4, bias: true, normalise: true },
  // Sixteen channels: the SIMD gather that keeps its row sums in registers (4 takes the general one).
  { in: { channels: 3, maxOrder: 2 }, channels: 16, rings: 3, bias: true, normalise: true },
];

function pair(c: (typeof CASES)[number], seed: number) {
  const random = seededRandom(seed);
  const base = { in: c.in, rings: c.rings, radius: 1.1, bias: c.bias, normalise: c.normalise };
  const invariantSpec: GemConvSpec = { ...base, out: { channels: c.channels, maxOrder: 0 } };
  const generalSpec: GemConvSpec = { ...base, out: { channels: c.channels, maxOrder: 1 } };
  const invariant = new GemConv(invariantSpec), general = new GemConv(generalSpec);
  const inW = fieldWidth(c.in), C = c.channels;
  const params = randomArray(invariant.parameterCount, random);
  // General weights: W_k row 3c is the invariant W_k row c; the order-1 rows are noise that must not leak into ρ0.
  const embedded = randomArray(general.parameterCount, random);
  for (let k = 0; k < c.rings; k++) {
    for (let o = 0; o < C; o++) embedded.set(params.subarray((k * C + o) * inW, (k * C + o + 1) * inW), (k * 3 * C + 3 * o) * inW);
  }
  if (c.bias) embedded.set(params.subarray(c.rings * C * inW), c.rings * 3 * C * inW);
  const rows = 9, sources = 13;
  // More rows than sources and repeated sources, as in the mesh-to-level-1 output layer; r = 0 entries included.
  const nb = randomNeighbourhood(rows, sources, random, { minEntries: 2, maxEntries: 9 });
  const input = randomArray(sources * inW, random);
  return { random, invariant, general, params, embedded, nb, input, C };
}

describe('GemConv with invariant output (per-source path)', () => {
  it('gives the ρ0 rows of the per-row aggregation path', () => {
    CASES.forEach((c, s) => {
      const { invariant, general, params, embedded, nb, input, C } = pair(c, 600 + s);
      const out = new Float32Array(nb.rowCount * C), wide = new Float32Array(nb.rowCount * C * 3);
      invariant.forward(params, nb, input, out);
      general.forward(embedded, nb, input, wide);
      // Both sum the same float64 terms in another order; float32 outputs: 1e-6 relative.
      expect(relativeError(out, wide.filter((_, i) => i % 3 === 0))).toBeLessThan(1e-6);
    });
  });

  it('has the gradients of the per-row path (input, weights of the embedded rows, biases)', () => {
    CASES.forEach((c, s) => {
      const { random, invariant, general, params, embedded, nb, input, C } = pair(c, 620 + s);
      const inW = fieldWidth(c.in);
      const gradOut = randomArray(nb.rowCount * C, random);
      const wideGrad = new Float32Array(nb.rowCount * C * 3);
      for (let i = 0; i < gradOut.length; i++) wideGrad[3 * i] = gradOut[i]!;
      const gradIn = new Float32Array(input.length).fill(5), gradParams = new Float32Array(params.length);
      const wideGradIn = new Float32Array(input.length), wideGradParams = new Float32Array(embedded.length);
      invariant.backward(params, nb, input, gradOut, gradIn, gradParams);
      general.backward(embedded, nb, input, wideGrad, wideGradIn, wideGradParams);
      const picked = new Float32Array(params.length);
      for (let k = 0; k < c.rings; k++) {
        for (let o = 0; o < C; o++) picked.set(wideGradParams.subarray((k * 3 * C + 3 * o) * inW, (k * 3 * C + 3 * o + 1) * inW), (k * C + o) * inW);
      }
      if (c.bias) picked.set(wideGradParams.subarray(c.rings * 3 * C * inW), c.rings * C * inW);
      // float64 sums in another order, stored as float32: 1e-6 relative.
      expect(relativeError(gradIn, wideGradIn)).toBeLessThan(1e-6);
      expect(relativeError(gradParams, picked)).toBeLessThan(1e-6);
      // Without an input gradient the parameter gradient still accumulates.
      invariant.backward(params, nb, input, gradOut, null, gradParams);
      expect(relativeError(gradParams, picked.map((g) => 2 * g))).toBeLessThan(1e-6);
    });
  });
});
