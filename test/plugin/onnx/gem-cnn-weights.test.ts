import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { fieldWidth, type FieldShape } from '../../../core/model/layers/feature-layout.js';
import { GemConv } from '../../../core/model/layers/gem-conv.js';
import { SelfInteraction } from '../../../core/model/layers/self-interaction.js';
import { gemConvWeightsFromGemCnn, selfInteractionWeightsFromGemCnn } from '../../../plugin/onnx/gem-cnn-weights.js';
import { relativeError } from './onnx-fixture.js';

// One layer, float32 parameters, float64 arithmetic on both sides.
const TOLERANCE = 1e-6;

/** gem_cnn's rep_act on one vertex: [C, 2M + 1], order l rotated by l·angle. */
function repAct(x: Float64Array, channels: number, maxOrder: number, angle: number): Float64Array {
  const D = 2 * maxOrder + 1, y = new Float64Array(x.length);
  for (let c = 0; c < channels; c++) {
    y[c * D] = x[c * D]!;
    for (let l = 1; l <= maxOrder; l++) {
      const a = x[c * D + 2 * l - 1]!, b = x[c * D + 2 * l]!, cs = Math.cos(l * angle), sn = Math.sin(l * angle);
      y[c * D + 2 * l - 1] = cs * a - sn * b;
      y[c * D + 2 * l] = sn * a + cs * b;
    }
  }
  return y;
}

/** gem_cnn's linear_interpolation_weights(r / maxR, rings) for one edge. */
function radialWeights(r: number, maxR: number, rings: number): number[] {
  const x = (r / maxR) * (rings - 1);
  const x0 = Math.min(Math.max(Math.floor(x), 0), rings - 2), x1 = Math.min(Math.max(x0 + 1, 1), rings - 1);
  const w = new Array<number>(rings).fill(0);
  w[x0] = x1 - x;
  w[x1] = x - x0;
  return w;
}

/** gem_cnn's GemConv.message for one non-self edge, without bias: rep_act(einsum(rep_act(x, g − θ), w, W), θ). */
function gemCnnMessage(weight: Float32Array, inShape: FieldShape, outShape: FieldShape, rings: number, x: Float64Array, r: number, theta: number, g: number, maxR: number): Float64Array {
  const Cin = inShape.channels, Din = 2 * inShape.maxOrder + 1, Cout = outShape.channels, Dout = 2 * outShape.maxOrder + 1;
  const transported = repAct(x, Cin, inShape.maxOrder, g - theta);
  const w = radialWeights(r, maxR, rings);
  const y = new Float64Array(Cout * Dout);
  for (let k = 0; k < rings; k++) {
    for (let j = 0; j < Cin; j++) for (let m = 0; m < Din; m++) for (let i = 0; i < Cout; i++) for (let n = 0; n < Dout; n++) {
      y[i * Dout + n] += transported[j * Din + m]! * w[k]! * weight[(((k * Cin + j) * Din + m) * Cout + i) * Dout + n]!;
    }
  }
  return repAct(y, Cout, outShape.maxOrder, theta);
}

describe('gemConvWeightsFromGemCnn', () => {
  for (const [inShape, outShape] of [[{ channels: 2, maxOrder: 2 }, { channels: 3, maxOrder: 1 }], [{ channels: 3, maxOrder: 1 }, { channels: 2, maxOrder: 0 }]] as const) {
    it(`gives our GemConv the message of gem_cnn's for the same kernel (order ${inShape.maxOrder} → ${outShape.maxOrder})`, () => {
      const random = mulberry32(11), rings = 3, maxR = 0.8;
      const theirs = Float32Array.from({ length: rings * fieldWidth(inShape) * fieldWidth(outShape) }, () => random() * 2 - 1);
      const layer = new GemConv({ in: inShape, out: outShape, rings, radius: maxR, bias: false, normalise: false });
      const params = gemConvWeightsFromGemCnn(theirs, layer.spec);
      // One entry per row, 0 < r ≤ max_r: the sum over one edge is that edge's message.
      const rows = 12, x = Float32Array.from({ length: rows * fieldWidth(inShape) }, () => random() * 2 - 1);
      const radius = Float32Array.from({ length: rows }, () => 0.05 + random() * (maxR - 0.05));
      const angle = Float32Array.from({ length: rows }, () => (random() * 2 - 1) * Math.PI);
      const transport = Float32Array.from({ length: rows }, () => (random() * 2 - 1) * Math.PI);
      const nb = { rowCount: rows, offsets: Uint32Array.from({ length: rows + 1 }, (_, i) => i), sources: Uint32Array.from({ length: rows }, (_, i) => i), radius, angle, transport };
      const ours = new Float32Array(rows * fieldWidth(outShape));
      layer.forward(params, nb, x, ours);
      const expected = new Float32Array(ours.length);
      for (let e = 0; e < rows; e++) {
        const xq = Float64Array.from(x.subarray(e * fieldWidth(inShape), (e + 1) * fieldWidth(inShape)));
        expected.set(gemCnnMessage(theirs, inShape, outShape, rings, xq, radius[e]!, angle[e]!, transport[e]!, maxR), e * fieldWidth(outShape));
      }
      expect(relativeError(ours, expected)).toBeLessThan(TOLERANCE);
    });
  }

  it('refuses a tensor of the wrong size, naming the expected shape', () => {
    expect(() => gemConvWeightsFromGemCnn(new Float32Array(5), { in: { channels: 1, maxOrder: 1 }, out: { channels: 1, maxOrder: 1 }, rings: 2 })).toThrow(/expected 18 floats \(\[2, 1, 3, 1, 3\]\), got 5/);
  });
});

describe('selfInteractionWeightsFromGemCnn', () => {
  it("gives our SelfInteraction gem_cnn's einsum('bji,bmn->jmin') kernel", () => {
    const random = mulberry32(5), inShape = { channels: 3, maxOrder: 2 }, outShape = { channels: 2, maxOrder: 2 };
    const bases = 5, theirs = Float32Array.from({ length: bases * 3 * 2 }, () => random() * 2 - 1);
    // build_self_interaction_kernel(2, 2): [b, m, n].
    const kernel = (b: number, m: number, n: number): number => {
      if (b === 0) return m === 0 && n === 0 ? 1 : 0;
      const l = Math.ceil(b / 2), a = 2 * l - 1;
      if (b % 2 === 1) return (m === a && n === a) || (m === a + 1 && n === a + 1) ? 1 : 0;
      return m === a && n === a + 1 ? 1 : m === a + 1 && n === a ? -1 : 0;
    };
    const layer = new SelfInteraction({ in: inShape, out: outShape, bias: true });
    const params = new Float32Array(layer.parameterCount);
    params.set(selfInteractionWeightsFromGemCnn(theirs, layer.spec));
    const x = Float32Array.from({ length: 4 * fieldWidth(inShape) }, () => random() * 2 - 1);
    const ours = new Float32Array(4 * fieldWidth(outShape));
    layer.forward(params, x, ours);
    const expected = new Float32Array(ours.length);
    for (let v = 0; v < 4; v++) for (let i = 0; i < 2; i++) for (let n = 0; n < 5; n++) {
      let s = 0;
      for (let j = 0; j < 3; j++) for (let m = 0; m < 5; m++) for (let b = 0; b < bases; b++) s += x[v * 15 + j * 5 + m]! * theirs[(b * 3 + j) * 2 + i]! * kernel(b, m, n);
      expected[v * 10 + i * 5 + n] = s;
    }
    expect(relativeError(ours, expected)).toBeLessThan(TOLERANCE);
  });
});
