import type { Architecture } from './architecture.js';
import type { ConvNeighbourhood } from './layers/conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from './layers/feature-layout.js';
import { ChannelDropout } from './layers/dropout.js';
import { GemConv } from './layers/gem-conv.js';
import { Pooling, Unpooling } from './layers/pooling.js';
import { RegularNonlinearity } from './layers/regular-nonlinearity.js';
import { SelfInteraction } from './layers/self-interaction.js';
import type { NetworkInput } from './network-input.js';

/** Where a node's vertices live: a network level (0 = hierarchy level 1) or the mesh itself. */
export type Site = number | 'mesh';

/** One operation of the network graph; `inputs` are earlier nodes. */
export interface NetworkNode {
  readonly site: Site;
  readonly shape: FieldShape;
  readonly inputs: readonly number[];
  /** Offset of the node's parameters in the flat vector. */
  readonly parameterOffset: number;
  readonly parameterCount: number;
  readonly op: NetworkOp;
}

/** What a node computes. */
export type NetworkOp =
  | { kind: 'input' }
  | { kind: 'conv'; layer: GemConv }
  | { kind: 'self'; layer: SelfInteraction }
  | { kind: 'nonlinearity'; layer: RegularNonlinearity }
  | { kind: 'dropout'; layer: ChannelDropout }
  | { kind: 'add' }
  | { kind: 'concat' }
  | { kind: 'pool'; level: number }
  | { kind: 'unpool'; level: number };

/** Activations of one forward pass, kept for the backward pass. */
export interface ForwardPass {
  readonly input: NetworkInput;
  readonly values: Float32Array[];
  /** Per mesh vertex, `classes` logits. */
  readonly logits: Float32Array;
  readonly training: boolean;
}

/** Options of {@link Network.forward}. */
export interface ForwardOptions {
  /** Dropout on; needs `random`. */
  training?: boolean;
  random?: () => number;
}

/**
 * A U-shaped GEM-CNN over the hierarchy: residual blocks of GEM convolutions (plus
 * self-interaction) and regular nonlinearities on level 1, pooled with parallel transport to the
 * coarser levels and back, skip connections by concatenation, then one GEM convolution from
 * level 1 to every mesh vertex, a nonlinearity and a ρ0 linear head giving class logits.
 * Parameters live in one flat Float32Array owned by the caller.
 */
export class Network {
  readonly architecture: Architecture;
  readonly inputShape: FieldShape;
  readonly parameterCount: number;
  private readonly nodes: NetworkNode[] = [];

  /** The nodes in execution order: what other backends (WebGPU) run to match `forward` exactly. */
  get graph(): readonly NetworkNode[] {
    return this.nodes;
  }
  private readonly poolings = new WeakMap<NetworkInput, { pool: Pooling[]; unpool: Unpooling[] }>();

  constructor(architecture: Architecture, inputShape: FieldShape) {
    this.architecture = architecture;
    this.inputShape = inputShape;
    const a = architecture;
    const hidden = (channels: number): FieldShape => ({ channels, maxOrder: a.maxOrder });
    let parameters = 0;
    const add = (site: Site, shape: FieldShape, inputs: number[], op: NetworkOp, count = 0): number => {
      this.nodes.push({ site, shape, inputs, parameterOffset: parameters, parameterCount: count, op });
      parameters += count;
      return this.nodes.length - 1;
    };
    const conv = (site: number, x: number, out: FieldShape): number => {
      const layer = new GemConv({ in: this.nodes[x]!.shape, out, rings: a.rings, radius: a.convRadius, bias: false, normalise: true });
      return add(site, out, [x], { kind: 'conv', layer }, layer.parameterCount);
    };
    const self = (site: Site, x: number, out: FieldShape): number => {
      const layer = new SelfInteraction({ in: this.nodes[x]!.shape, out, bias: true });
      return add(site, out, [x], { kind: 'self', layer }, layer.parameterCount);
    };
    const nonlinear = (site: Site, x: number): number => {
      const shape = this.nodes[x]!.shape;
      return add(site, shape, [x], { kind: 'nonlinearity', layer: new RegularNonlinearity({ shape, samples: a.samples, kind: a.nonlinearity }) });
    };
    const sum = (site: Site, x: number, y: number): number => add(site, this.nodes[x]!.shape, [x, y], { kind: 'add' });
    // A GEM convolution plus a self-interaction: the convolution skips r = 0.
    const convUnit = (site: number, x: number, out: FieldShape): number => sum(site, conv(site, x, out), self(site, x, out));
    const block = (site: number, x: number): number => {
      const shape = this.nodes[x]!.shape;
      let h = nonlinear(site, convUnit(site, x, shape));
      if (a.dropout > 0) h = add(site, shape, [h], { kind: 'dropout', layer: new ChannelDropout({ shape, probability: a.dropout }) });
      return nonlinear(site, sum(site, x, convUnit(site, h, shape)));
    };
    const concat = (site: number, x: number, y: number): number => {
      const channels = this.nodes[x]!.shape.channels + this.nodes[y]!.shape.channels;
      return add(site, hidden(channels), [x, y], { kind: 'concat' });
    };

    let x = add(0, inputShape, [], { kind: 'input' });
    x = nonlinear(0, convUnit(0, x, hidden(a.channels[0]!)));
    const skips: number[] = [];
    for (let level = 0; level < a.channels.length; level++) {
      if (level > 0) {
        x = add(level, this.nodes[x]!.shape, [x], { kind: 'pool', level: level - 1 });
        x = nonlinear(level, self(level, x, hidden(a.channels[level]!)));
      }
      for (let b = 0; b < a.blocks; b++) x = block(level, x);
      skips.push(x);
    }
    for (let level = a.channels.length - 2; level >= 0; level--) {
      x = add(level, this.nodes[x]!.shape, [x], { kind: 'unpool', level });
      x = nonlinear(level, self(level, concat(level, x, skips[level]!), hidden(a.channels[level]!)));
      x = block(level, x);
    }
    const outputShape: FieldShape = { channels: a.outputChannels, maxOrder: 0 };
    const outputConv = new GemConv({ in: this.nodes[x]!.shape, out: outputShape, rings: a.rings, radius: a.outputRadius, bias: true, normalise: true });
    x = add('mesh', outputShape, [x], { kind: 'conv', layer: outputConv }, outputConv.parameterCount);
    x = nonlinear('mesh', x);
    self('mesh', x, { channels: a.classes, maxOrder: 0 });
    this.parameterCount = parameters;
  }

  /** Fills `parameters` with a seeded initialisation. */
  initialise(parameters: Float32Array, random: () => number): void {
    this.checkParameters(parameters);
    for (const node of this.nodes) {
      if (node.parameterCount === 0) continue;
      const slice = parameters.subarray(node.parameterOffset, node.parameterOffset + node.parameterCount);
      (node.op as { layer: GemConv | SelfInteraction }).layer.initialise(slice, random);
    }
  }

  /** Class logits of every mesh vertex, keeping the activations for {@link backward}. */
  forward(parameters: Float32Array, input: NetworkInput, options: ForwardOptions = {}): ForwardPass {
    this.checkParameters(parameters);
    this.checkInput(input);
    const training = options.training ?? false;
    if (training && this.architecture.dropout > 0 && !options.random) throw new Error('Network.forward: training with dropout needs a random function.');
    const pools = this.poolingsOf(input);
    const values: Float32Array[] = [];
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      const out = i === 0 ? input.features : new Float32Array(this.countAt(node.site, input) * fieldWidth(node.shape));
      const x = values[node.inputs[0]!]!;
      const params = parameters.subarray(node.parameterOffset, node.parameterOffset + node.parameterCount);
      const op = node.op;
      switch (op.kind) {
        case 'input': break;
        case 'conv': op.layer.forward(params, this.neighbourhoodAt(node.site, input), x, out); break;
        case 'self': op.layer.forward(params, x, out); break;
        case 'nonlinearity': op.layer.forward(x, out); break;
        case 'dropout': op.layer.forward(x, out, options.random ?? Math.random, training); break;
        case 'add': addInto(x, values[node.inputs[1]!]!, out); break;
        case 'concat': concatInto(x, values[node.inputs[1]!]!, this.nodes[node.inputs[0]!]!.shape, this.nodes[node.inputs[1]!]!.shape, out); break;
        case 'pool': pools.pool[op.level]!.forward(node.shape, x, out); break;
        case 'unpool': pools.unpool[op.level]!.forward(node.shape, x, out); break;
      }
      values.push(out);
    }
    return { input, values, logits: values[values.length - 1]!, training };
  }

  /** Accumulates d loss / d parameters into `gradients`, given d loss / d logits. */
  backward(parameters: Float32Array, pass: ForwardPass, gradLogits: Float32Array, gradients: Float32Array): void {
    this.checkParameters(parameters);
    this.checkParameters(gradients);
    const { input, values } = pass;
    const pools = this.poolingsOf(input);
    const grads: (Float32Array | null)[] = values.map(() => null);
    grads[grads.length - 1] = gradLogits;
    const gradOf = (i: number): Float32Array => (grads[i] ??= new Float32Array(values[i]!.length));
    let scratch = new Float32Array(0);
    const scratchFor = (length: number): Float32Array => {
      if (scratch.length < length) scratch = new Float32Array(length);
      return scratch.subarray(0, length);
    };
    for (let i = this.nodes.length - 1; i > 0; i--) {
      const g = grads[i];
      if (!g) continue;
      const node = this.nodes[i]!;
      const [a, b] = node.inputs as [number, number | undefined];
      const x = values[a]!;
      const params = parameters.subarray(node.parameterOffset, node.parameterOffset + node.parameterCount);
      const gradParams = gradients.subarray(node.parameterOffset, node.parameterOffset + node.parameterCount);
      // Layers overwrite their input gradient; a node feeding several others needs the sum.
      const needInput = a > 0;
      const gx = needInput ? scratchFor(x.length) : null;
      const op = node.op;
      switch (op.kind) {
        case 'input': break;
        case 'conv': op.layer.backward(params, this.neighbourhoodAt(node.site, input), x, g, gx, gradParams); break;
        case 'self': op.layer.backward(params, x, g, gx, gradParams); break;
        case 'nonlinearity': if (gx) op.layer.backward(x, g, gx); break;
        case 'dropout': if (gx) op.layer.backward(g, gx); break;
        case 'add':
          if (gx) gx.set(g);
          accumulate(gradOf(b!), g);
          break;
        case 'concat':
          if (gx) splitGradient(g, this.nodes[a]!.shape, this.nodes[b!]!.shape, gx, gradOf(b!));
          break;
        case 'pool': if (gx) pools.pool[op.level]!.backward(node.shape, g, gx); break;
        case 'unpool': if (gx) pools.unpool[op.level]!.backward(node.shape, g, gx); break;
      }
      if (gx) accumulate(gradOf(a), gx);
    }
  }

  private countAt(site: Site, input: NetworkInput): number {
    return site === 'mesh' ? input.meshVertexCount : input.levels[site]!.vertices.length;
  }

  private neighbourhoodAt(site: Site, input: NetworkInput): ConvNeighbourhood {
    return site === 'mesh' ? input.output : input.levels[site]!.neighbourhood;
  }

  private poolingsOf(input: NetworkInput): { pool: Pooling[]; unpool: Unpooling[] } {
    let pools = this.poolings.get(input);
    if (!pools) {
      pools = {
        pool: input.pools.map((p) => new Pooling(p.parent, p.transport, p.coarseCount)),
        unpool: input.pools.map((p) => new Unpooling(p.parent, p.transport, p.coarseCount)),
      };
      this.poolings.set(input, pools);
    }
    return pools;
  }

  private checkParameters(parameters: Float32Array): void {
    if (parameters.length !== this.parameterCount) throw new Error(`Network: expected ${this.parameterCount} parameters, got ${parameters.length}.`);
  }

  private checkInput(input: NetworkInput): void {
    const levels = this.architecture.channels.length;
    if (input.levels.length < levels) throw new Error(`Network: the architecture needs ${levels} coarse levels, the input has ${input.levels.length}.`);
    if (input.featureShape.channels !== this.inputShape.channels || input.featureShape.maxOrder !== this.inputShape.maxOrder) {
      throw new Error(`Network: input features have ${input.featureShape.channels} channels of order ≤ ${input.featureShape.maxOrder}, the model expects ${this.inputShape.channels} of order ≤ ${this.inputShape.maxOrder}.`);
    }
  }
}

function addInto(x: Float32Array, y: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!;
}

function accumulate(target: Float32Array, g: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! += g[i]!;
}

/** Per vertex, x's channels then y's. */
function concatInto(x: Float32Array, y: Float32Array, xShape: FieldShape, yShape: FieldShape, out: Float32Array): void {
  const wx = fieldWidth(xShape);
  const wy = fieldWidth(yShape);
  const count = x.length / wx;
  for (let v = 0; v < count; v++) {
    out.set(x.subarray(v * wx, v * wx + wx), v * (wx + wy));
    out.set(y.subarray(v * wy, v * wy + wy), v * (wx + wy) + wx);
  }
}

/** Backward of concatInto: writes gx, accumulates into gy. */
function splitGradient(g: Float32Array, xShape: FieldShape, yShape: FieldShape, gx: Float32Array, gy: Float32Array): void {
  const wx = fieldWidth(xShape);
  const wy = fieldWidth(yShape);
  const count = gx.length / wx;
  for (let v = 0; v < count; v++) {
    const base = v * (wx + wy);
    for (let i = 0; i < wx; i++) gx[v * wx + i] = g[base + i]!;
    for (let i = 0; i < wy; i++) gy[v * wy + i]! += g[base + wx + i]!;
  }
}
