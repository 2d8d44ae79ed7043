/// <reference types="@webgpu/types" />
import { fieldWidth } from '../core/model/layers/feature-layout.js';
import type { Network } from '../core/model/network.js';
import type { NetworkInput } from '../core/model/network-input.js';
import { ENTRY_BYTES, packConvEntries, uploadConvEntries, type GpuConvEntries, type PackedConvEntries } from './conv-entries.js';
import { encodeAdd, encodeConcat } from './elementwise-kernels.js';
import { encodeGemConv, gemConvWeights } from './gem-conv-kernel.js';
import type { Dispatch, GpuContext } from './gpu-context.js';
import { createField, fieldReads, joinChunks, uploadField, type GpuField } from './gpu-field.js';
import { encodeLabels } from './labels-kernel.js';
import { networkGraph, type GraphNode, type GraphSite } from './network-graph.js';
import { encodePool, encodeUnpool, poolingLinks, uploadPoolingLinks, type GpuPoolingLinks, type PoolingLinks } from './pooling-kernels.js';
import { encodeRegularNonlinearity } from './regular-nonlinearity-kernel.js';
import { encodeSelfInteraction } from './self-interaction-kernel.js';
import { planSiteChunks, type SiteChunks, type VariableRows } from './site-chunks.js';
import { WebGpuError } from './webgpu-error.js';

/** Per mesh vertex: class logits (vertex-major), the argmax label and its softmax probability. */
export interface GpuForwardResult {
  readonly logits: Float32Array;
  readonly labels: Uint32Array;
  readonly confidences: Float32Array;
}

/** Key of a vertex set: 'mesh' or the level number. */
const siteKey = (site: GraphSite): string => String(site);

/** What the vertex sets need before they can be chunked: widest row and variable-length rows. */
interface SiteNeeds { rows: number; bytesPerRow: number; variable: VariableRows[] }

/** Checks what Network.forward checks, as INVALID_INPUT errors. */
function checkInput(network: Network, parameters: Float32Array, input: NetworkInput): void {
  const levels = network.architecture.channels.length;
  const fail = (detail: string) => { throw new WebGpuError('INVALID_INPUT', detail); };
  if (parameters.length !== network.parameterCount) fail(`expected ${network.parameterCount} parameters, got ${parameters.length}.`);
  if (input.levels.length < levels) fail(`the architecture needs ${levels} coarse levels, the input has ${input.levels.length}.`);
  const { channels, maxOrder } = network.inputShape;
  if (input.featureShape.channels !== channels || input.featureShape.maxOrder !== maxOrder) {
    fail(`input features have ${input.featureShape.channels} channels of order ≤ ${input.featureShape.maxOrder}, the model expects ${channels} of order ≤ ${maxOrder}.`);
  }
}

/**
 * Network.forward (inference: dropout is the identity) on the GPU: one upload of features,
 * neighbourhoods, pooling links and weights, one submission, one read-back of logits, labels and
 * confidences. Every per-vertex buffer is split by rows to fit the context's binding limit.
 */
export async function gpuForward(context: GpuContext, network: Network, parameters: Float32Array, input: NetworkInput): Promise<GpuForwardResult> {
  checkInput(network, parameters, input);
  const graph = networkGraph(network);
  const rowsAt = (site: GraphSite) => (site === 'mesh' ? input.meshVertexCount : input.levels[site]!.vertices.length);
  const maxOrder = Math.max(...graph.map((n) => n.shape.maxOrder));
  const needs = new Map<string, SiteNeeds>();
  const needsOf = (site: GraphSite): SiteNeeds => {
    let need = needs.get(siteKey(site));
    if (!need) needs.set(siteKey(site), (need = { rows: rowsAt(site), bytesPerRow: 4, variable: [] }));
    return need;
  };
  const packs = new Map<string, PackedConvEntries>();
  const links = new Map<number, PoolingLinks>();
  const linkStride = 1 + 2 * maxOrder;
  for (const node of graph) {
    const need = needsOf(node.site);
    need.bytesPerRow = Math.max(need.bytesPerRow, fieldWidth(node.shape) * 4);
    const op = node.op;
    if (op.kind === 'conv') {
      const key = convKey(node);
      if (!packs.has(key)) {
        const nb = node.site === 'mesh' ? input.output : input.levels[node.site]!.neighbourhood;
        const packed = packConvEntries(nb, op.layer.spec);
        packs.set(key, packed);
        need.variable.push({ offsets: packed.offsets, bytesPerRecord: ENTRY_BYTES });
      }
    }
    if ((op.kind === 'pool' || op.kind === 'unpool') && !links.has(op.level)) {
      const link = poolingLinks(input.pools[op.level]!, maxOrder);
      links.set(op.level, link);
      needsOf(op.level + 1).variable.push({ offsets: link.childOffsets, bytesPerRecord: linkStride * 4 });
      const fine = needsOf(op.level);
      fine.bytesPerRow = Math.max(fine.bytesPerRow, linkStride * 4);
    }
  }
  const chunks = new Map<string, SiteChunks>();
  for (const [key, need] of needs) chunks.set(key, planSiteChunks(need.rows, need.bytesPerRow, context.limits.bindingBytes, need.variable));
  const chunksOf = (site: GraphSite) => chunks.get(siteKey(site))!;

  context.beginJob();
  try {
    const gpuEntries = new Map<string, GpuConvEntries>();
    const gpuLinks = new Map<number, GpuPoolingLinks>();
    for (const node of graph) {
      if (node.op.kind === 'conv' && !gpuEntries.has(convKey(node))) gpuEntries.set(convKey(node), uploadConvEntries(context, packs.get(convKey(node))!, chunksOf(node.site)));
    }
    for (const [level, link] of links) gpuLinks.set(level, uploadPoolingLinks(context, link, chunksOf(level + 1), chunksOf(level)));
    const fields: GpuField[] = [];
    const dispatches: Dispatch[] = [];
    for (const node of graph) {
      const op = node.op;
      const width = fieldWidth(node.shape);
      if (op.kind === 'input') {
        fields.push(uploadField(context, chunksOf(node.site), width, input.features));
        continue;
      }
      const x = fields[node.inputs[0]!]!;
      if (op.kind === 'dropout') {
        fields.push(x);
        continue;
      }
      const out = createField(context, chunksOf(node.site), width);
      const params = parameters.subarray(node.parameterOffset, node.parameterOffset + node.parameterCount);
      switch (op.kind) {
        case 'conv': {
          const entries = gpuEntries.get(convKey(node))!;
          const weights = uploadWeights(context, gemConvWeights(op.layer.spec, params, entries.hasOrigin));
          dispatches.push(...encodeGemConv(context, op.layer.spec, weights, entries, x, out));
          break;
        }
        case 'self':
          dispatches.push(...encodeSelfInteraction(context, op.layer.spec, node.parameterCount, uploadWeights(context, params), x, out));
          break;
        case 'nonlinearity':
          dispatches.push(...encodeRegularNonlinearity(context, node.shape, op.layer.samples, op.layer.kind, x, out));
          break;
        case 'add':
          dispatches.push(...encodeAdd(context, x, fields[node.inputs[1]!]!, out));
          break;
        case 'concat':
          dispatches.push(...encodeConcat(context, x, fields[node.inputs[1]!]!, out));
          break;
        case 'pool':
          dispatches.push(...encodePool(context, node.shape, gpuLinks.get(op.level)!, x, out));
          break;
        case 'unpool':
          dispatches.push(...encodeUnpool(context, node.shape, gpuLinks.get(op.level)!, x, out));
          break;
      }
      fields.push(out);
    }
    const logits = fields[fields.length - 1]!;
    const labels = createField(context, logits.chunks, 1);
    const confidences = createField(context, logits.chunks, 1);
    dispatches.push(...encodeLabels(context, logits, labels, confidences));
    const reads = [...fieldReads(logits), ...fieldReads(labels), ...fieldReads(confidences)];
    const parts = await context.execute(dispatches, reads);
    const n = logits.buffers.length;
    const floats = (length: number) => new Float32Array(length);
    const floatView = (buffer: ArrayBuffer, length: number) => new Float32Array(buffer, 0, length);
    return {
      logits: joinChunks(logits, parts.slice(0, n), floats, floatView),
      labels: joinChunks(labels, parts.slice(n, 2 * n), (length) => new Uint32Array(length), (buffer, length) => new Uint32Array(buffer, 0, length)),
      confidences: joinChunks(confidences, parts.slice(2 * n), floats, floatView),
    };
  } finally {
    await context.release();
  }
}

/** Convolutions over the same vertex set with the same radial profile share packed entries. */
function convKey(node: GraphNode): string {
  const spec = (node.op as { layer: { spec: { rings: number; radius: number; normalise: boolean } } }).layer.spec;
  return `${siteKey(node.site)}|${spec.rings}|${spec.radius}|${spec.normalise}`;
}

/** A layer's weights, bound whole: they must fit the device's own binding limit. */
function uploadWeights(context: GpuContext, weights: Float32Array): GPUBuffer {
  if (weights.byteLength > context.limits.deviceBindingBytes) {
    throw new WebGpuError('TOO_LARGE', `a layer has ${weights.byteLength} bytes of weights, more than the device's ${context.limits.deviceBindingBytes}-byte binding limit.`);
  }
  return context.upload(weights);
}
