import { describe, expect, it } from 'vitest';
import { gaugeTransformNeighbourhood, type ConvNeighbourhood } from '../../../../core/model/layers/conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from '../../../../core/model/layers/feature-layout.js';
import { GemConv, type GemConvSpec } from '../../../../core/model/layers/gem-conv.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { dot, expectGradient, randomAngles, randomArray, randomNeighbourhood, relativeError, seededRandom } from './layer-test-helpers.js';

/** ρ(α) applied to one field vector of `shape` in float64: every order-n pair rotated by n·α. */
function rho(shape: FieldShape, alpha: number, x: ArrayLike<number>): Float64Array {
  const D = 2 * shape.maxOrder + 1, out = Float64Array.from(x);
  for (let c = 0; c < shape.channels; c++) {
    for (let n = 1; n <= shape.maxOrder; n++) {
      const i = c * D + 2 * n - 1, cs = Math.cos(n * alpha), sn = Math.sin(n * alpha);
      out[i] = cs * x[i]! - sn * x[i + 1]!;
      out[i + 1] = sn * x[i]! + cs * x[i + 1]!;
    }
  }
  return out;
}

/** The per-entry definition, float64: Σ_q Σ_k w_k ρ_out(θ) W_k ρ_in(g − θ) x_q; at r = 0 the kernel averaged over 16 values of θ (exact: it only holds frequencies up to M_in + M_out < 16). */
function naiveGemConv(spec: GemConvSpec, params: Float32Array, nb: ConvNeighbourhood, input: Float32Array): Float64Array {
  const inW = fieldWidth(spec.in), outW = fieldWidth(spec.out), K = spec.rings;
  const h = K === 1 ? spec.radius : spec.radius / (K - 1);
  const out = new Float64Array(nb.rowCount * outW);
  const apply = (k: number, theta: number, z: Float64Array, weight: number, row: Float64Array) => {
    const u = new Float64Array(outW);
    for (let o = 0; o < outW; o++) for (let i = 0; i < inW; i++) u[o] += params[k * outW * inW + o * inW + i]! * z[i]!;
    const v = rho(spec.out, theta, u);
    for (let o = 0; o < outW; o++) row[o] += weight * v[o]!;
  };
  for (let p = 0; p < nb.rowCount; p++) {
    const row = new Float64Array(outW);
    let total = 0;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const x = input.subarray(nb.sources[e]! * inW, (nb.sources[e]! + 1) * inW);
      const r = nb.radius[e]!, g = nb.transport[e]!;
      for (let k = 0; k < K; k++) {
        const w = Math.max(0, 1 - Math.abs(r - k * h) / h);
        if (w === 0) continue;
        total += w;
        if (r === 0) {
          for (let j = 0; j < 16; j++) {
            const t = (2 * Math.PI * j) / 16;
            apply(k, t, rho(spec.in, g - t, x), w / 16, row);
          }
        } else {
          apply(k, nb.angle[e]!, rho(spec.in, g - nb.angle[e]!, x), w, row);
        }
      }
    }
    const scale = (spec.normalise ?? true) ? 1 / Math.max(1, total) : 1;
    for (let o = 0; o < outW; o++) out[p * outW + o] = row[o]! * scale;
    if (spec.bias) {
      const D = 2 * spec.out.maxOrder + 1;
      for (let c = 0; c < spec.out.channels; c++) out[p * outW + c * D] += params[K * outW * inW + c]!;
    }
  }
  return out;
}

// Input widths 15 (JavaScript loops), 12 and 4 (WebAssembly SIMD: multiples of 4), and invariant outputs from M_in = 2 (its own source-term loop) and 1.
const SPECS: GemConvSpec[] = [
  { in: { channels: 3, maxOrder: 2 }, out: { channels: 2, maxOrder: 2 }, rings: 3, radius: 1, bias: true },
  { in: { channels: 4, maxOrder: 1 }, out: { channels: 3, maxOrder: 3 }, rings: 2, radius: 0.8, bias: false, normalise: false },
  { in: { channels: 2, maxOrder: 2 }, out: { channels: 1, maxOrder: 0 }, rings: 1, radius: 1.2, bias: true },
  { in: { channels: 4, maxOrder: 0 }, out: { channels: 2, maxOrder: 1 }, rings: 3, radius: 1, bias: true },
  { in: { channels: 3, maxOrder: 1 }, out: { channels: 2, maxOrder: 0 }, rings: 2, radius: 1, bias: true },
];

function setup(spec: GemConvSpec, seed: number) {
  const random = seededRandom(seed);
  const conv = new GemConv(spec);
  const params = new Float32Array(conv.parameterCount);
  conv.initialise(params, random);
  if (spec.bias) for (let i = conv.parameterCount - spec.out.channels; i < conv.parameterCount; i++) params[i] = random() - 0.5;
  const rows = 7, sourceCount = 11;
  const nb = randomNeighbourhood(rows, sourceCount, random);
  const input = randomArray(sourceCount * fieldWidth(spec.in), random);
  return { random, conv, params, nb, input, output: new Float32Array(rows * fieldWidth(spec.out)) };
}

describe('GemConv', () => {
  it('has K · outWidth · inWidth weights plus C_out biases', () => {
    expect(new GemConv(SPECS[0]!).parameterCount).toBe(3 * 10 * 15 + 2);
    expect(new GemConv(SPECS[1]!).parameterCount).toBe(2 * 21 * 12);
  });

  it('agrees with the per-entry definition (r = 0 entries included)', () => {
    SPECS.forEach((spec, s) => {
      const { conv, params, nb, input, output } = setup(spec, 10 + s);
      conv.forward(params, nb, input, output);
      // float32 output of float64 sums: 1e-5 relative covers the rounding of ~10 terms.
      expect(relativeError(output, naiveGemConv(spec, params, nb, input))).toBeLessThan(1e-5);
    });
  });

  it('is gauge-equivariant across two vertex sets, for random r, θ, g and r = 0 entries', () => {
    SPECS.forEach((spec, s) => {
      const { random, conv, params, nb, input, output } = setup(spec, 20 + s);
      conv.forward(params, nb, input, output);
      const phiTarget = randomAngles(nb.rowCount, random), phiSource = randomAngles(input.length / fieldWidth(spec.in), random);
      const moved = new Float32Array(output.length);
      conv.forward(params, gaugeTransformNeighbourhood(nb, phiTarget, phiSource), rotateField(input.slice(), spec.in, phiSource, -1), moved);
      // float32 angles and sums: 1e-5 relative; an equivariance bug is O(1).
      expect(relativeError(moved, rotateField(output.slice(), spec.out, phiTarget, -1))).toBeLessThan(1e-5);
    });
  });

  it('has exact gradients for input and parameters (central differences)', () => {
    SPECS.forEach((spec, s) => {
      const { random, conv, params, nb, input, output } = setup(spec, 30 + s);
      const weights = randomArray(output.length, random);
      const loss = () => { conv.forward(params, nb, input, output); return dot(output, weights); };
      const gradInput = new Float32Array(input.length).fill(7); // overwritten, not accumulated
      const gradParams = new Float32Array(conv.parameterCount);
      conv.backward(params, nb, input, weights, gradInput, gradParams);
      // The layer is linear in each argument, so central differences are exact up to float32 rounding of the loss (~1e-6 / eps).
      expectGradient(input, loss, gradInput, 1e-2, 1e-3);
      expectGradient(params, loss, gradParams, 1e-2, 1e-3);
      // gradParams accumulates.
      const again = gradParams.slice();
      conv.backward(params, nb, input, weights, null, again);
      expect(relativeError(again, gradParams.map((g) => 2 * g))).toBeLessThan(1e-6);
    });
  });

  it('gives the same results after switching to a neighbourhood that needs more kernel memory and back', () => {
    const outputs: FieldShape[] = [{ channels: 4, maxOrder: 2 }, { channels: 4, maxOrder: 0 }];
    outputs.forEach((out, s) => {
      const spec: GemConvSpec = { in: { channels: 4, maxOrder: 2 }, out, rings: 3, radius: 1, bias: true };
      const random = seededRandom(50 + s);
      const shared = new GemConv(spec);
      const params = new Float32Array(shared.parameterCount);
      shared.initialise(params, random);
      // 3000 rows of ~10 entries take several 64 KiB pages of entry arrays: the SIMD memory grows and its views are replaced.
      const cases = [[7, 11], [3000, 2000], [7, 11]].map(([rows, sources]) => ({
        nb: randomNeighbourhood(rows!, sources!, random, { minEntries: 8, maxEntries: 12 }),
        input: randomArray(sources! * fieldWidth(spec.in), random),
      }));
      for (const { nb, input } of cases) {
        const results = [shared, new GemConv(spec)].map((conv) => {
          const output = new Float32Array(nb.rowCount * fieldWidth(spec.out));
          const gradInput = new Float32Array(input.length), gradParams = new Float32Array(params.length);
          conv.forward(params, nb, input, output);
          conv.backward(params, nb, input, output, gradInput, gradParams);
          return [output, gradInput, gradParams];
        });
        for (let i = 0; i < 3; i++) expect(results[0]![i]).toEqual(results[1]![i]);
      }
    });
  });

  it('ignores entries beyond the last ring', () => {
    const spec = SPECS[0]!;
    const { conv, params, nb, input, output } = setup(spec, 40);
    const far = { ...nb, radius: nb.radius.map(() => 2.01) };
    conv.forward(params, far, input, output);
    const D = 5;
    for (let p = 0; p < nb.rowCount; p++) {
      for (let c = 0; c < 2; c++) expect(output[p * 10 + c * D]).toBeCloseTo(params[conv.parameterCount - 2 + c]!, 6);
    }
  });
});
