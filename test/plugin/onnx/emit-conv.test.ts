import { expect, it } from 'vitest';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import type { ConvNeighbourhood } from '../../../core/model/layers/conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from '../../../core/model/layers/feature-layout.js';
import { GemConv } from '../../../core/model/layers/gem-conv.js';
import { ConvEmitter } from '../../../plugin/onnx/emit-conv.js';
import { OnnxGraphBuilder } from '../../../plugin/onnx/graph-builder.js';
import { paddedNeighbourhood, type OnnxFeeds } from '../../../plugin/onnx/onnx-feeds.js';
import { ONNX_IR_VERSION, ONNX_OPSET, siteInputs } from '../../../plugin/onnx/onnx-inputs.js';
import { loadOnnxRuntime } from '../../../plugin/onnx/onnx-runtime.js';
import { describeRuntime, relativeError } from './onnx-fixture.js';

// float32 graph against the cpu's float64 accumulation of one layer.
const TOLERANCE = 1e-5;

/** Rows of 0–6 entries over `sources` vertices, with r = 0 entries (θ undefined), entries beyond the rings and exact ring centres. */
function randomNeighbourhood(rows: number, sources: number, random: () => number): ConvNeighbourhood {
  const offsets = new Uint32Array(rows + 1);
  const src: number[] = [], radius: number[] = [], angle: number[] = [], transport: number[] = [];
  for (let p = 0; p < rows; p++) {
    const count = Math.floor(random() * 7);
    for (let i = 0; i < count; i++) {
      const pick = random();
      src.push(Math.floor(random() * sources));
      radius.push(pick < 0.15 ? 0 : pick < 0.25 ? 1.25 : pick < 0.35 ? 2.6 + random() : random() * 2.5);
      angle.push((random() * 2 - 1) * Math.PI);
      transport.push((random() * 2 - 1) * Math.PI);
    }
    offsets[p + 1] = src.length;
  }
  return { rowCount: rows, offsets, sources: Uint32Array.from(src), radius: Float32Array.from(radius), angle: Float32Array.from(angle), transport: Float32Array.from(transport) };
}

const CASES: { name: string; in: FieldShape; out: FieldShape; bias: boolean }[] = [
  { name: 'order 2 → 2 (gathered features rotated)', in: { channels: 3, maxOrder: 2 }, out: { channels: 2, maxOrder: 2 }, bias: false },
  { name: 'order 2 → 0 (rotation folded into the weights)', in: { channels: 3, maxOrder: 2 }, out: { channels: 4, maxOrder: 0 }, bias: true },
  { name: 'order 0 → 1', in: { channels: 2, maxOrder: 0 }, out: { channels: 2, maxOrder: 1 }, bias: true },
  { name: 'order 1 → 2', in: { channels: 2, maxOrder: 1 }, out: { channels: 1, maxOrder: 2 }, bias: false },
];

describeRuntime('node')('ConvEmitter', () => {
  for (const c of CASES) {
    it(`matches GemConv.forward, r = 0 entries and empty rows included: ${c.name}`, async () => {
      const random = mulberry32(7);
      const nb = randomNeighbourhood(40, 25, random);
      const layer = new GemConv({ in: c.in, out: c.out, rings: 3, radius: 2.5, bias: c.bias, normalise: true });
      const params = Float32Array.from({ length: layer.parameterCount }, () => random() * 2 - 1);
      const x = Float32Array.from({ length: 25 * fieldWidth(c.in) }, () => random() * 2 - 1);
      const expected = new Float32Array(nb.rowCount * fieldWidth(c.out));
      layer.forward(params, nb, x, expected);

      const g = new OnnxGraphBuilder();
      const names = siteInputs(0);
      g.input('x', 'float32', ['sources', fieldWidth(c.in)]);
      g.input(names.neighbours, 'int32', [names.rows, names.degree]);
      for (const name of [names.radius, names.angle, names.transport]) g.input(name, 'float32', [names.rows, names.degree]);
      const y = g.op('Identity', [new ConvEmitter(g).conv(0, layer.spec, params, 'x')], {}, 'y');
      g.output(y, 'float32', [names.rows, fieldWidth(c.out)]);
      const bytes = g.encode({ graphName: 'conv', opset: ONNX_OPSET, irVersion: ONNX_IR_VERSION, producerName: 'test', producerVersion: '0', docString: '', metadata: {} });

      const feeds: OnnxFeeds = { x: { type: 'float32', dims: [25, fieldWidth(c.in)], data: x } };
      paddedNeighbourhood(nb, 0, feeds);
      const ort = await loadOnnxRuntime('node');
      const session = await ort.InferenceSession.create(bytes);
      const tensors = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, t.dims)]));
      const actual = (await session.run(tensors)).y!.data as Float32Array;
      await session.release();
      expect(relativeError(actual, expected)).toBeLessThan(TOLERANCE);
    });
  }
});
