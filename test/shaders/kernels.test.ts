import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConvNeighbourhood } from '../../core/model/layers/conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from '../../core/model/layers/feature-layout.js';
import { GemConv } from '../../core/model/layers/gem-conv.js';
import { Pooling, Unpooling } from '../../core/model/layers/pooling.js';
import { RegularNonlinearity, type RegularNonlinearityKind } from '../../core/model/layers/regular-nonlinearity.js';
import { SelfInteraction } from '../../core/model/layers/self-interaction.js';
import { labelsFromLogits } from '../../core/model/predict.js';
import { mulberry32 } from '../../core/mesh/seeded-random.js';
import { KernelHarness } from './kernel-harness.js';
import { describeGpu, relativeError } from './webgpu-fixture.js';

// f32 sums of at most a few hundred terms on both sides (the cpu accumulates in f64): 1e-4 is the bound.
const TOLERANCE = 1e-4;

const uniform = (length: number, random: () => number): Float32Array => Float32Array.from({ length }, () => 2 * random() - 1);

/** A random neighbourhood of `rows` targets over `sources` vertices, with r = 0 entries and entries beyond every ring. */
function randomNeighbourhood(rows: number, sources: number, random: () => number): ConvNeighbourhood {
  const offsets = new Uint32Array(rows + 1), list: number[] = [], radius: number[] = [], angle: number[] = [], transport: number[] = [];
  for (let p = 0; p < rows; p++) {
    const count = 1 + Math.floor(random() * 12);
    for (let j = 0; j < count; j++) {
      list.push(Math.floor(random() * sources));
      // One entry in eight at the origin, the rest up to 3.5 (the outermost ring centre is 2.5, half-width 1.25).
      radius.push(random() < 0.125 ? 0 : 3.5 * random());
      angle.push((2 * random() - 1) * Math.PI);
      transport.push((2 * random() - 1) * Math.PI);
    }
    offsets[p + 1] = list.length;
  }
  return { rowCount: rows, offsets, sources: Uint32Array.from(list), radius: Float32Array.from(radius), angle: Float32Array.from(angle), transport: Float32Array.from(transport) };
}

function randomPooling(fine: number, coarse: number, random: () => number) {
  // Coarse vertex coarse − 1 gets no child, to check that it is 0.
  const parent = Uint32Array.from({ length: fine }, () => Math.floor(random() * (coarse - 1)));
  const transport = Float32Array.from({ length: fine }, () => (2 * random() - 1) * Math.PI);
  return { parent, transport, coarseCount: coarse };
}

/** Every kernel against its cpu layer, whole and split into small bindings (`bindingBytes`). */
for (const bindingBytes of [undefined, 1024]) {
  const split = bindingBytes ? `, split into ${bindingBytes}-byte bindings` : '';
  describeGpu(`WebGPU kernels against the cpu layers${split}`, () => {
    let harness: KernelHarness;
    beforeAll(async () => { harness = await KernelHarness.create(bindingBytes); });
    afterAll(() => harness?.dispose());

    const convCases: [string, FieldShape, FieldShape, boolean][] = [
      ['M = 2 → M = 2', { channels: 3, maxOrder: 2 }, { channels: 4, maxOrder: 2 }, false],
      ['M = 2 → ρ0 with bias (the output convolution)', { channels: 4, maxOrder: 2 }, { channels: 5, maxOrder: 0 }, true],
      ['M = 1 → M = 2', { channels: 2, maxOrder: 1 }, { channels: 3, maxOrder: 2 }, true],
    ];
    for (const [name, inShape, outShape, bias] of convCases) {
      it(`GEM convolution ${name}, r = 0 entries included`, async () => {
        const random = mulberry32(11);
        const layer = new GemConv({ in: inShape, out: outShape, rings: 3, radius: 2.5, bias, normalise: true });
        const params = uniform(layer.parameterCount, random);
        const nb = randomNeighbourhood(37, 23, random);
        const input = uniform(23 * fieldWidth(inShape), random);
        const cpu = new Float32Array(37 * fieldWidth(outShape));
        layer.forward(params, nb, input, cpu);
        expect(relativeError(cpu, await harness.gemConv(layer, params, nb, input))).toBeLessThan(TOLERANCE);
      });
    }

    it('self-interaction M = 2 → M = 2 and M = 1 → M = 2 (orders above the input are 0)', async () => {
      const random = mulberry32(12);
      for (const [inShape, outShape] of [[{ channels: 5, maxOrder: 2 }, { channels: 3, maxOrder: 2 }], [{ channels: 3, maxOrder: 1 }, { channels: 2, maxOrder: 2 }]] as const) {
        const layer = new SelfInteraction({ in: inShape, out: outShape, bias: true });
        const params = uniform(layer.parameterCount, random);
        const input = uniform(41 * fieldWidth(inShape), random);
        const cpu = new Float32Array(41 * fieldWidth(outShape));
        layer.forward(params, input, cpu);
        expect(relativeError(cpu, await harness.selfInteraction(layer, params, input))).toBeLessThan(TOLERANCE);
      }
    });

    for (const [kind, maxOrder, samples] of [['silu', 2, 16], ['relu', 2, 12], ['leaky', 1, 7], ['silu', 0, 16]] as [RegularNonlinearityKind, number, number][]) {
      it(`regular nonlinearity ${kind}, M = ${maxOrder}, N = ${samples}`, async () => {
        const random = mulberry32(13);
        const layer = new RegularNonlinearity({ shape: { channels: 3, maxOrder }, samples, kind });
        const input = uniform(29 * fieldWidth(layer.shape), random).map((x) => 4 * x);
        const cpu = new Float32Array(input.length);
        layer.forward(input, cpu);
        expect(relativeError(cpu, await harness.nonlinearity(layer, input))).toBeLessThan(TOLERANCE);
      });
    }

    it('add and concat are exact', async () => {
      const random = mulberry32(14);
      const a = uniform(31 * 10, random), b = uniform(31 * 10, random), c = uniform(31 * 5, random);
      expect(await harness.add(a, b, 10)).toEqual(a.map((x, i) => x + b[i]!));
      const joined = new Float32Array(31 * 15);
      for (let v = 0; v < 31; v++) { joined.set(a.subarray(v * 10, v * 10 + 10), v * 15); joined.set(c.subarray(v * 5, v * 5 + 5), v * 15 + 10); }
      expect(await harness.concat(a, c, 10, 5)).toEqual(joined);
    });

    it('pooling and unpooling with transport, a childless coarse vertex pooled to 0', async () => {
      const random = mulberry32(15);
      const shape = { channels: 3, maxOrder: 2 }, W = fieldWidth(shape);
      const pooling = randomPooling(53, 17, random);
      const fine = uniform(53 * W, random), coarse = uniform(17 * W, random);
      const pooled = new Float32Array(17 * W), unpooled = new Float32Array(53 * W);
      new Pooling(pooling.parent, pooling.transport, 17).forward(shape, fine, pooled);
      new Unpooling(pooling.parent, pooling.transport, 17).forward(shape, coarse, unpooled);
      const gpuPooled = await harness.pooling(shape, pooling, fine, false);
      expect(relativeError(pooled, gpuPooled)).toBeLessThan(TOLERANCE);
      expect(Array.from(gpuPooled.subarray(16 * W))).toEqual(new Array(W).fill(0));
      expect(relativeError(unpooled, await harness.pooling(shape, pooling, coarse, true))).toBeLessThan(TOLERANCE);
    });

    it('argmax labels and softmax confidences, ties going to the first class as on the cpu', async () => {
      const random = mulberry32(16);
      const logits = uniform(43 * 6, random).map((x) => 5 * x);
      logits.set([1, 3, 3, 0, -1, 3], 0);
      const cpu = labelsFromLogits(logits, 6);
      const gpuLabels = await harness.labels(logits, 6);
      expect(gpuLabels.labels).toEqual(cpu.labels);
      expect(gpuLabels.labels[0]).toBe(1);
      expect(relativeError(cpu.confidences, gpuLabels.confidences)).toBeLessThan(TOLERANCE);
    });
  });
}
