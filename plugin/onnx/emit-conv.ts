import { fieldWidth } from '../../core/model/layers/feature-layout.js';
import type { GemConvSpec } from '../../core/model/layers/gem-conv.js';
import type { OnnxGraphBuilder } from './graph-builder.js';
import { biasVector, foldInputRotation, gemConvMatrix } from './layer-matrices.js';
import type { PlanSite } from './network-plan.js';
import { siteInputs } from './onnx-inputs.js';

/** TensorProto.DataType FLOAT, for Cast. */
const FLOAT = 1;

/** Per slot of a channel [a0, a1, b1, …]: its order n, the sign of sin(nα) in a rotation, and the partner it swaps with. */
export function channelPattern(maxOrder: number): { order: number[]; sinSign: number[]; swap: number[] } {
  const order = [0], sinSign = [0], swap = [0];
  for (let n = 1; n <= maxOrder; n++) {
    order.push(n, n);
    sinSign.push(-1, 1);
    swap.push(2 * n, 2 * n - 1);
  }
  return { order, sinSign, swap };
}

/**
 * Rotates every order-n pair of a field [..., C, D] by n·α, with cos(nα) and ±sin(nα) laid out
 * per slot (from {@link channelPattern}): y = x ⊙ cos + swap(x) ⊙ sin.
 */
export function rotatePairs(g: OnnxGraphBuilder, field: string, cos: string, signedSin: string, maxOrder: number, axis: number): string {
  const swapped = g.op('Gather', [field, g.int64s(channelPattern(maxOrder).swap)], { axis: { i: axis } });
  return g.op('Add', [g.op('Mul', [field, cos]), g.op('Mul', [swapped, signedSin])], {}, 'rotated');
}

/**
 * Emits GEM convolutions (gem-conv.ts) over the padded neighbourhoods of sites. The per-slot
 * quantities that depend only on the geometry (hat weights, harmonics of θ and of g − θ, row
 * normalisers) are emitted once per site and shared by every convolution there.
 */
export class ConvEmitter {
  private readonly cache = new Map<string, string | { coefficients: string; scale: string }>();

  constructor(private readonly g: OnnxGraphBuilder) {}

  private cached<T extends string | { coefficients: string; scale: string }>(key: string, make: () => T): T {
    let value = this.cache.get(key) as T | undefined;
    if (value === undefined) {
      value = make();
      this.cache.set(key, value);
    }
    return value;
  }

  /** [rows, degree] 1 where r = 0 (θ undefined: the θ-averaged kernel applies), else 0. */
  private originMask(site: PlanSite): string {
    return this.cached(`origin/${site}`, () => {
      const { radius } = siteInputs(site);
      return this.g.op('Cast', [this.g.op('Equal', [radius, this.g.floats([0], [])])], { to: { i: FLOAT } }, 'origin_mask');
    });
  }

  /** [rows, degree] 1 − originMask. */
  private notOrigin(site: PlanSite): string {
    return this.cached(`not-origin/${site}`, () => this.g.op('Sub', [this.g.floats([1], []), this.originMask(site)], {}, 'not_origin'));
  }

  /** θ with 0 at r = 0, as the cpu takes it there. */
  private angle(site: PlanSite): string {
    return this.cached(`theta/${site}`, () => this.g.op('Mul', [siteInputs(site).angle, this.notOrigin(site)], {}, 'theta'));
  }

  /** [rows, degree, 2M + 1]: 1, cos(nβ), sin(nβ) per slot of a channel of order ≤ M. */
  private harmonics(beta: string, maxOrder: number): string {
    const g = this.g;
    const { order } = channelPattern(maxOrder);
    const angles = g.op('Mul', [g.op('Unsqueeze', [beta, g.int64s([2])]), g.floats(order)]);
    // Slot 0 and the a-slots (odd) take cos(nβ), the b-slots (even, > 0) sin(nβ).
    const cosMask = order.map((_, s) => (s === 0 || s % 2 === 1 ? 1 : 0)), sinMask = cosMask.map((c) => 1 - c);
    return g.op('Add', [g.op('Mul', [g.op('Cos', [angles]), g.floats(cosMask)]), g.op('Mul', [g.op('Sin', [angles]), g.floats(sinMask)])], {}, 'harmonics');
  }

  /** [rows, degree, P] ⊗ [rows, degree, Q] → [rows, degree, P·Q] (index p·Q + q). */
  private outer(p: string, q: string, size: number): string {
    const g = this.g;
    const product = g.op('Mul', [g.op('Unsqueeze', [p, g.int64s([3])]), g.op('Unsqueeze', [q, g.int64s([2])])]);
    return g.op('Reshape', [product, g.int64s([0, 0, size])]);
  }

  /**
   * [rows, (K·S + 1)·B, degree]: per slot, hat weight w_k(r) times 1, cos(mθ), sin(mθ) for the
   * rings (0 at r = 0), then w_0(0) = 1 at r = 0 for the origin sum; when inOrder > 0, each
   * times the B = 2·inOrder + 1 harmonics of g − θ (see foldInputRotation). And the row normaliser [rows, 1].
   */
  private coefficients(site: PlanSite, rings: number, radius: number, outOrder: number, inOrder: number): { coefficients: string; scale: string } {
    return this.cached(`coefficients/${site}/${rings}/${radius}/${outOrder}/${inOrder}`, () => {
      const g = this.g;
      const half = rings === 1 ? radius : radius / (rings - 1);
      const t = g.op('Unsqueeze', [g.op('Mul', [siteInputs(site).radius, g.floats([1 / half], [])]), g.int64s([2])]);
      const centres = g.floats(Array.from({ length: rings }, (_, k) => k));
      // w_k(r) = max(0, 1 − |r/h − k|); +∞ (padding) and r ≥ K·h give 0, as the cpu's ring −1.
      const hat = g.op('Relu', [g.op('Sub', [g.floats([1], []), g.op('Abs', [g.op('Sub', [t, centres])])])], {}, 'hat');
      const total = g.op('ReduceSum', [g.op('Reshape', [hat, g.int64s([0, -1])]), g.int64s([1])], { keepdims: { i: 1 } }, 'ring_total');
      const scale = g.op('Reciprocal', [g.op('Max', [total, g.floats([1], [])])], {}, 'row_scale');
      let ring = g.op('Mul', [hat, g.op('Unsqueeze', [this.notOrigin(site), g.int64s([2])])], {}, 'ring_weight');
      const outSlots = 2 * outOrder + 1, inSlots = 2 * inOrder + 1;
      if (outOrder > 0) ring = this.outer(ring, this.harmonics(this.angle(site), outOrder), rings * outSlots);
      const originColumn = g.op('Unsqueeze', [this.originMask(site), g.int64s([2])]);
      let all = g.op('Concat', [ring, originColumn], { axis: { i: 2 } });
      if (inOrder > 0) {
        const alpha = g.op('Sub', [siteInputs(site).transport, this.angle(site)], {}, 'alpha');
        all = this.outer(all, this.harmonics(alpha, inOrder), (rings * outSlots + 1) * inSlots);
      }
      return { coefficients: g.op('Transpose', [all], { perm: { ints: [0, 2, 1] } }, 'coefficients'), scale };
    });
  }

  /** [rows, degree, 1, D] cos(n(g − θ)) and signed sin(n(g − θ)) per slot of an input channel, to rotate gathered features. */
  private inputRotation(site: PlanSite, inOrder: number): { cos: string; sin: string } {
    const cos = this.cached(`rotation/${site}/${inOrder}/cos`, () => {
      const g = this.g;
      const alpha = g.op('Sub', [siteInputs(site).transport, this.angle(site)], {}, 'alpha');
      const { order, sinSign } = channelPattern(inOrder);
      const angles = g.op('Mul', [g.op('Unsqueeze', [alpha, g.int64s([2])]), g.floats(order)]);
      this.cache.set(`rotation/${site}/${inOrder}/sin`, g.op('Unsqueeze', [g.op('Mul', [g.op('Sin', [angles]), g.floats(sinSign)]), g.int64s([2])], {}, 'in_sin'));
      return g.op('Unsqueeze', [g.op('Cos', [angles]), g.int64s([2])], {}, 'in_cos');
    });
    return { cos, sin: this.cache.get(`rotation/${site}/${inOrder}/sin`) as string };
  }

  /**
   * out [rows, outWidth] of a GemConv with parameter slice `params` on field `x` [sources, inWidth].
   * Two exact forms: rotate the gathered features by ρ_in(g − θ) then aggregate (fewer products),
   * or fold the rotation into the weights (no elementwise passes over the gathered features, which
   * onnxruntime runs slowly, but B = 2M_in + 1 times the products); the fold pays off only when the
   * output is invariant (few output slots) and the rows are many: the convolution onto the mesh.
   */
  conv(site: PlanSite, spec: Required<GemConvSpec>, params: Float32Array, x: string): string {
    const g = this.g;
    const inW = fieldWidth(spec.in), outW = fieldWidth(spec.out), Din = 2 * spec.in.maxOrder + 1;
    const fold = spec.out.maxOrder === 0 && spec.in.maxOrder > 0;
    const slots = spec.rings * (2 * spec.out.maxOrder + 1) + 1, bases = fold ? Din : 1;
    let gathered = g.op('Gather', [x, siteInputs(site).neighbours], { axis: { i: 0 } }, 'neighbour_features');
    if (!fold && spec.in.maxOrder > 0) {
      const { cos, sin } = this.inputRotation(site, spec.in.maxOrder);
      const perChannel = g.op('Reshape', [gathered, g.int64s([0, 0, spec.in.channels, Din])]);
      gathered = g.op('Reshape', [rotatePairs(g, perChannel, cos, sin, spec.in.maxOrder, 3), g.int64s([0, 0, inW])]);
    }
    const { coefficients, scale } = this.coefficients(site, spec.rings, spec.radius, spec.out.maxOrder, fold ? spec.in.maxOrder : 0);
    const aggregates = g.op('Reshape', [g.op('MatMul', [coefficients, gathered]), g.int64s([0, slots * bases * inW])], {}, 'aggregates');
    const dense = gemConvMatrix(params, spec);
    const weights = fold ? foldInputRotation(dense, slots, spec.in, outW) : dense;
    const matrix = g.constant('gem_conv_weights', weights, [slots * bases * inW, outW]);
    const out = g.op('Mul', [g.op('MatMul', [aggregates, matrix]), scale], {}, 'gem_conv');
    if (!spec.bias) return out;
    const bias = biasVector(params, spec.rings * outW * inW, spec.out);
    return g.op('Add', [out, g.constant('gem_conv_bias', bias, [bias.length])], {}, 'gem_conv');
  }
}
