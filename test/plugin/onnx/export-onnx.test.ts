import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fieldWidth } from '../../../core/model/layers/feature-layout.js';
import type { Model } from '../../../core/model/model.js';
import { exportOnnx, exportOnnxGraph } from '../../../plugin/onnx/export-onnx.js';
import { OnnxError } from '../../../plugin/onnx/onnx-error.js';
import { onnxFeeds } from '../../../plugin/onnx/onnx-feeds.js';
import { ONNX_OPSET, siteInputs } from '../../../plugin/onnx/onnx-inputs.js';
import { ONNX_PROTO_SUBSET, onnxModelType } from '../../../plugin/onnx/onnx-schema.js';
import { bundledModel, simplifiedBody, SMPL_MAN } from './onnx-fixture.js';

/** Ops of the ONNX standard domain this exporter may use: nothing custom, nothing training-only. */
const STANDARD_OPS = new Set(['Abs', 'Add', 'Cast', 'Concat', 'Cos', 'Equal', 'Gather', 'Identity', 'MatMul', 'Max', 'Mul', 'Reciprocal', 'ReduceSum', 'Relu', 'Reshape', 'Sigmoid', 'Sin', 'Sub', 'Transpose', 'Unsqueeze']);

interface DecodedModel {
  ir_version: number;
  opset_import: { domain?: string; version: number }[];
  graph: {
    node: { op_type: string; domain?: string; input: string[]; output: string[] }[];
    initializer: { name: string; dims: number[]; raw_data: Uint8Array }[];
    input: { name: string; type: { tensor_type: { elem_type: number; shape: { dim: { dim_value?: number; dim_param?: string }[] } } } }[];
    output: { name: string }[];
  };
  metadata_props: { key: string; value: string }[];
}

function decode(bytes: Uint8Array): DecodedModel {
  const type = onnxModelType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false, arrays: true }) as DecodedModel;
}

let model: Model;
let decoded: DecodedModel;

beforeAll(async () => {
  model = await bundledModel();
  decoded = decode(exportOnnx(model));
});

describe('exportOnnx', () => {
  it('embeds exactly plugin/onnx/onnx.proto, the licensed subset of the official schema', async () => {
    const file = await readFile('plugin/onnx/onnx.proto', 'utf8');
    expect(ONNX_PROTO_SUBSET.trim()).toBe(file.trim());
    expect(file).toMatch(/SUBSET of onnx\/onnx\.proto/);
    expect(file).toMatch(/Apache-2\.0/);
  });

  it('writes a standard-domain opset-17 graph of standard ops whose every value is defined before use', () => {
    expect(decoded.ir_version).toBe(8);
    expect(decoded.opset_import).toEqual([{ domain: '', version: ONNX_OPSET }]);
    const defined = new Set([...decoded.graph.input.map((i) => i.name), ...decoded.graph.initializer.map((i) => i.name)]);
    for (const node of decoded.graph.node) {
      expect(STANDARD_OPS.has(node.op_type), node.op_type).toBe(true);
      expect(node.domain ?? '').toBe('');
      for (const input of node.input) expect(defined.has(input), `${node.op_type} reads ${input}`).toBe(true);
      for (const output of node.output) defined.add(output);
    }
    expect(decoded.graph.output.map((o) => o.name)).toEqual(['logits']);
  });

  it('stores every weight: initializers hold more floats than the model has parameters', () => {
    const floats = decoded.graph.initializer.reduce((sum, t) => sum + t.raw_data.length / 4, 0);
    expect(floats).toBeGreaterThan(model.parameters.length);
  });

  it('declares dynamic vertex and neighbour dimensions, so one file serves any mesh', () => {
    const byName = new Map(decoded.graph.input.map((i) => [i.name, i.type.tensor_type.shape.dim]));
    expect(byName.get('features')).toEqual([{ dim_param: 'level0_vertices' }, { dim_value: fieldWidth(model.featureShape) }]);
    const output = siteInputs('mesh');
    expect(byName.get(output.neighbours)).toEqual([{ dim_param: 'mesh_vertices' }, { dim_param: 'output_degree' }]);
    for (const dims of byName.values()) expect(dims.some((d) => d.dim_param !== undefined)).toBe(true);
  });

  it('keeps labels and architecture in the metadata', () => {
    const metadata = Object.fromEntries(decoded.metadata_props.map((p) => [p.key, p.value]));
    expect(JSON.parse(metadata['erlangen.labels']!)).toEqual(model.labels);
    expect(JSON.parse(metadata['erlangen.architecture']!)).toEqual(model.architecture);
  });

  it('is deterministic: the same model gives the same bytes', () => {
    expect(Buffer.from(exportOnnx(model)).equals(Buffer.from(exportOnnx(model)))).toBe(true);
  });

  it('refuses a model whose parameters do not fit its architecture with INVALID_MODEL', () => {
    const broken = { ...model, parameters: model.parameters.subarray(0, 100) };
    const error = (() => {
      try {
        exportOnnxGraph(broken, { source: 'broken.erlm' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(OnnxError);
    expect((error as OnnxError).code).toBe('INVALID_MODEL');
    expect((error as OnnxError).message).toMatch(/^broken\.erlm: the architecture needs \d+ parameters, the model holds 100/);
  });
});

describe('onnxFeeds', () => {
  it('feeds every graph input, with shapes that fit the declared ranks and the padding convention', async () => {
    const input = await simplifiedBody(model, SMPL_MAN, 800);
    const feeds = onnxFeeds(input, model.architecture, model.featureShape);
    expect(Object.keys(feeds).sort()).toEqual(decoded.graph.input.map((i) => i.name).sort());
    for (const declared of decoded.graph.input) {
      const feed = feeds[declared.name]!;
      expect(feed.dims.length, declared.name).toBe(declared.type.tensor_type.shape.dim.length);
      expect(feed.data.length).toBe(feed.dims.reduce((a, b) => a * b, 1));
    }
    // Every CSR entry lands in a slot; the rest are padding at radius +∞.
    const names = siteInputs(0), nb = input.levels[0]!.neighbourhood;
    const radius = feeds[names.radius]!.data;
    expect(radius.filter(Number.isFinite).length).toBe(nb.sources.length);
    expect(feeds[names.neighbours]!.dims[0]).toBe(nb.rowCount);
  });

  it('refuses features of another shape with INPUT_MISMATCH', async () => {
    const input = await simplifiedBody(model, SMPL_MAN, 800);
    expect(() => onnxFeeds({ ...input, featureShape: { channels: 3, maxOrder: 1 } }, model.architecture, model.featureShape)).toThrow(
      expect.objectContaining({ code: 'INPUT_MISMATCH' }),
    );
  });
});
