import type { Architecture } from '../../core/model/architecture.js';
import { fieldWidth, type FieldShape } from '../../core/model/layers/feature-layout.js';
import type { SelfInteractionSpec } from '../../core/model/layers/self-interaction.js';
import { channelPattern, rotatePairs } from './emit-conv.js';
import type { OnnxGraphBuilder } from './graph-builder.js';
import { biasVector, harmonicAnalysis, harmonicSynthesis, selfInteractionMatrix } from './layer-matrices.js';
import { poolInputs } from './onnx-inputs.js';

/**
 * Emits the per-vertex layers: self-interaction (one MatMul), regular nonlinearity (inverse DFT,
 * pointwise function, DFT as MatMuls), and parallel-transport pooling / unpooling (pooling.ts)
 * over the padded child lists and parent maps of the pooling inputs.
 */
export class FieldOpEmitter {
  private readonly rotations = new Map<string, { cos: string; sin: string }>();

  constructor(private readonly g: OnnxGraphBuilder) {}

  /** x @ W + bias of a SelfInteraction. */
  selfInteraction(spec: SelfInteractionSpec, params: Float32Array, x: string): string {
    const g = this.g;
    const matrix = g.constant('self_weights', selfInteractionMatrix(params, spec), [fieldWidth(spec.in), fieldWidth(spec.out)]);
    const orders = Math.min(spec.in.maxOrder, spec.out.maxOrder);
    const biasOffset = spec.out.channels * spec.in.channels * (1 + 2 * orders);
    const bias = biasVector(params, biasOffset, spec.out);
    const product = g.op('MatMul', [x, matrix]);
    return spec.bias ? g.op('Add', [product, g.constant('self_bias', bias, [bias.length])], {}, 'self_interaction') : product;
  }

  /** The pointwise function of the architecture on every sample. */
  private activate(kind: Architecture['nonlinearity'], x: string): string {
    if (kind === 'relu') return this.g.op('Relu', [x]);
    return this.g.op('Mul', [x, this.g.op('Sigmoid', [x])], {}, 'silu');
  }

  /** Regular nonlinearity on a field of `shape` with `samples` angular samples. */
  nonlinearity(shape: FieldShape, samples: number, kind: Architecture['nonlinearity'], x: string): string {
    const g = this.g, M = shape.maxOrder, D = 2 * M + 1;
    // Invariant channels sample to N equal values: the layer is the function itself (as on the cpu).
    if (M === 0) return this.activate(kind, x);
    const perChannel = g.op('Reshape', [x, g.int64s([0, shape.channels, D])]);
    const values = g.op('MatMul', [perChannel, g.constant('synthesis', harmonicSynthesis(M, samples), [D, samples])], {}, 'samples');
    const coefficients = g.op('MatMul', [this.activate(kind, values), g.constant('analysis', harmonicAnalysis(M, samples), [samples, D])]);
    return g.op('Reshape', [coefficients, g.int64s([0, fieldWidth(shape)])], {}, 'nonlinearity');
  }

  /** [fine, 1, D] cos(n g_f) and sign · sin(n g_f) per slot, for pooling k. */
  private rotation(pool: number, maxOrder: number, sign: number): { cos: string; sin: string } {
    const key = `${pool}/${maxOrder}/${sign}`;
    let rotation = this.rotations.get(key);
    if (rotation === undefined) {
      const g = this.g;
      const { order, sinSign } = channelPattern(maxOrder);
      const angles = g.op('Mul', [g.op('Unsqueeze', [poolInputs(pool).transport, g.int64s([1])]), g.floats(order)], {}, 'pool_angles');
      const cos = g.op('Unsqueeze', [g.op('Cos', [angles]), g.int64s([1])], {}, 'pool_cos');
      const sin = g.op('Unsqueeze', [g.op('Mul', [g.op('Sin', [angles]), g.floats(sinSign.map((s) => sign * s))]), g.int64s([1])], {}, 'pool_sin');
      rotation = { cos, sin };
      this.rotations.set(key, rotation);
    }
    return rotation;
  }

  /** Rotates each level-k vertex's pairs of `x` [fine, width] by sign · n · g_{f→parent}. */
  private transport(pool: number, shape: FieldShape, x: string, sign: number): string {
    if (shape.maxOrder === 0) return x;
    const g = this.g;
    const { cos, sin } = this.rotation(pool, shape.maxOrder, sign);
    const perChannel = g.op('Reshape', [x, g.int64s([0, shape.channels, 2 * shape.maxOrder + 1])]);
    return g.op('Reshape', [rotatePairs(g, perChannel, cos, sin, shape.maxOrder, 2), g.int64s([0, fieldWidth(shape)])], {}, 'transported');
  }

  /** Pooling k: each coarse vertex gets the mean of its children's transported features (0 without children). */
  pool(pool: number, shape: FieldShape, x: string): string {
    const g = this.g, names = poolInputs(pool);
    const children = g.op('Gather', [this.transport(pool, shape, x, 1), names.children], { axis: { i: 0 } }, 'children');
    const weights = g.op('Unsqueeze', [names.childWeights, g.int64s([1])]);
    return g.op('Reshape', [g.op('MatMul', [weights, children]), g.int64s([0, fieldWidth(shape)])], {}, 'pooled');
  }

  /** Unpooling k: each level-k vertex gets its parent's features carried back, ρ(−g) x_parent. */
  unpool(pool: number, shape: FieldShape, x: string): string {
    const parents = this.g.op('Gather', [x, poolInputs(pool).parent], { axis: { i: 0 } }, 'parents');
    return this.transport(pool, shape, parents, -1);
  }
}
