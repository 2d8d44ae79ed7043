/// <reference types="@webgpu/types" />
import type { ConvNeighbourhood } from '../../core/model/layers/conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from '../../core/model/layers/feature-layout.js';
import type { GemConv } from '../../core/model/layers/gem-conv.js';
import type { RegularNonlinearity } from '../../core/model/layers/regular-nonlinearity.js';
import type { SelfInteraction } from '../../core/model/layers/self-interaction.js';
import type { NetworkPooling } from '../../core/model/network-input.js';
import { packConvEntries, uploadConvEntries } from '../../shaders/conv-entries.js';
import { encodeAdd, encodeConcat } from '../../shaders/elementwise-kernels.js';
import { encodeGemConv, gemConvWeights } from '../../shaders/gem-conv-kernel.js';
import { GpuContext, type Dispatch } from '../../shaders/gpu-context.js';
import { createField, fieldReads, joinChunks, uploadField, type GpuField } from '../../shaders/gpu-field.js';
import { encodeLabels } from '../../shaders/labels-kernel.js';
import { encodePool, encodeUnpool, poolingLinks, uploadPoolingLinks } from '../../shaders/pooling-kernels.js';
import { encodeRegularNonlinearity } from '../../shaders/regular-nonlinearity-kernel.js';
import { encodeSelfInteraction } from '../../shaders/self-interaction-kernel.js';
import { planSiteChunks, type SiteChunks } from '../../shaders/site-chunks.js';
import { gpu } from './webgpu-fixture.js';

/** Runs single kernels on the test adapter, each vertex set split into chunks of at most `bindingBytes`. */
export class KernelHarness {
  private constructor(readonly context: GpuContext) {}

  /** A harness on a fresh device of the test adapter. */
  static async create(bindingBytes?: number): Promise<KernelHarness> {
    const adapter = (await gpu!.requestAdapter())!;
    return new KernelHarness(new GpuContext(await adapter.requestDevice(), bindingBytes));
  }

  /** Rows split by the binding limit (the widest row of the op given). */
  chunks(rows: number, bytesPerRow: number, offsets?: Uint32Array, bytesPerRecord = 32): SiteChunks {
    return planSiteChunks(rows, bytesPerRow, this.context.limits.bindingBytes, offsets ? [{ offsets, bytesPerRecord }] : []);
  }

  /** Runs `encode` on uploaded fields and reads back its float output. */
  private async run(build: () => { dispatches: Dispatch[]; output: GpuField }): Promise<Float32Array> {
    this.context.beginJob();
    try {
      const { dispatches, output } = build();
      const parts = await this.context.execute(dispatches, fieldReads(output));
      return joinChunks(output, parts, (n) => new Float32Array(n), (b, n) => new Float32Array(b, 0, n));
    } finally {
      await this.context.release();
    }
  }

  async gemConv(layer: GemConv, params: Float32Array, nb: ConvNeighbourhood, input: Float32Array): Promise<Float32Array> {
    const spec = layer.spec, inW = fieldWidth(spec.in), outW = fieldWidth(spec.out);
    const packed = packConvEntries(nb, spec);
    const rows = this.chunks(nb.rowCount, outW * 4, packed.offsets);
    const sources = this.chunks(input.length / inW, inW * 4);
    return this.run(() => {
      const entries = uploadConvEntries(this.context, packed, rows);
      const weights = this.context.upload(gemConvWeights(spec, params, packed.hasOrigin));
      const x = uploadField(this.context, sources, inW, input), out = createField(this.context, rows, outW);
      return { dispatches: encodeGemConv(this.context, spec, weights, entries, x, out), output: out };
    });
  }

  async selfInteraction(layer: SelfInteraction, params: Float32Array, input: Float32Array): Promise<Float32Array> {
    const inW = fieldWidth(layer.spec.in), outW = fieldWidth(layer.spec.out);
    const rows = this.chunks(input.length / inW, Math.max(inW, outW) * 4);
    return this.run(() => {
      const x = uploadField(this.context, rows, inW, input), out = createField(this.context, rows, outW);
      const weights = this.context.upload(params);
      return { dispatches: encodeSelfInteraction(this.context, layer.spec, layer.parameterCount, weights, x, out), output: out };
    });
  }

  async nonlinearity(layer: RegularNonlinearity, input: Float32Array): Promise<Float32Array> {
    const W = fieldWidth(layer.shape);
    const rows = this.chunks(input.length / W, W * 4);
    return this.run(() => {
      const x = uploadField(this.context, rows, W, input), out = createField(this.context, rows, W);
      return { dispatches: encodeRegularNonlinearity(this.context, layer.shape, layer.samples, layer.kind, x, out), output: out };
    });
  }

  async add(a: Float32Array, b: Float32Array, width: number): Promise<Float32Array> {
    const rows = this.chunks(a.length / width, width * 4);
    return this.run(() => {
      const out = createField(this.context, rows, width);
      return { dispatches: encodeAdd(this.context, uploadField(this.context, rows, width, a), uploadField(this.context, rows, width, b), out), output: out };
    });
  }

  async concat(a: Float32Array, b: Float32Array, wa: number, wb: number): Promise<Float32Array> {
    const rows = this.chunks(a.length / wa, (wa + wb) * 4);
    return this.run(() => {
      const out = createField(this.context, rows, wa + wb);
      return { dispatches: encodeConcat(this.context, uploadField(this.context, rows, wa, a), uploadField(this.context, rows, wb, b), out), output: out };
    });
  }

  /** Pooling (`up` false) or unpooling of `input` with the given links. */
  async pooling(shape: FieldShape, pooling: NetworkPooling, input: Float32Array, up: boolean): Promise<Float32Array> {
    const W = fieldWidth(shape), links = poolingLinks(pooling, shape.maxOrder), bytes = links.stride * 4;
    const fine = this.chunks(pooling.parent.length, Math.max(W * 4, bytes));
    const coarse = this.chunks(pooling.coarseCount, W * 4, links.childOffsets, bytes);
    return this.run(() => {
      const gpuLinks = uploadPoolingLinks(this.context, links, coarse, fine);
      if (up) {
        const x = uploadField(this.context, coarse, W, input), out = createField(this.context, fine, W);
        return { dispatches: encodeUnpool(this.context, shape, gpuLinks, x, out), output: out };
      }
      const x = uploadField(this.context, fine, W, input), out = createField(this.context, coarse, W);
      return { dispatches: encodePool(this.context, shape, gpuLinks, x, out), output: out };
    });
  }

  /** Labels and confidences of `logits`. */
  async labels(logits: Float32Array, classes: number): Promise<{ labels: Uint32Array; confidences: Float32Array }> {
    const rows = this.chunks(logits.length / classes, classes * 4);
    this.context.beginJob();
    try {
      const x = uploadField(this.context, rows, classes, logits);
      const labels = createField(this.context, rows, 1), confidences = createField(this.context, rows, 1);
      const parts = await this.context.execute(encodeLabels(this.context, x, labels, confidences), [...fieldReads(labels), ...fieldReads(confidences)]);
      const n = labels.buffers.length;
      return {
        labels: joinChunks(labels, parts.slice(0, n), (k) => new Uint32Array(k), (b, k) => new Uint32Array(b, 0, k)),
        confidences: joinChunks(confidences, parts.slice(n), (k) => new Float32Array(k), (b, k) => new Float32Array(b, 0, k)),
      };
    } finally {
      await this.context.release();
    }
  }

  dispose(): void {
    this.context.device.destroy();
  }
}
