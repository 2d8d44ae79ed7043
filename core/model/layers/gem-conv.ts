import { convEntriesFor, type ConvEntries } from './conv-entry-cache.js';
import type { ConvNeighbourhood } from './conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from './feature-layout.js';
import { fillNormal } from './initialisation.js';
import { addProjectedOriginGradient, projectOriginKernel } from './origin-kernel.js';

/** Shape of a {@link GemConv}. */
export interface GemConvSpec {
  /** Input field shape. */
  readonly in: FieldShape;
  /** Output field shape. */
  readonly out: FieldShape;
  /** Number of radial hat functions K ≥ 1. */
  readonly rings: number;
  /** Normalised radius of the outermost ring centre (> 0). */
  readonly radius: number;
  /** Learned bias on the ρ0 coefficient of each output channel. */
  readonly bias: boolean;
  /** Divide each row's sum by max(1, Σ_q Σ_k w_k(r_pq)), a gauge-invariant scalar, so responses do not grow with the neighbour count. Default true. */
  readonly normalise?: boolean;
}

/** Rows aggregated before the weights are applied, so each W row is read once per block. */
const ROW_BLOCK = 4;

/**
 * Gauge-equivariant convolution (GEM-CNN) with an unconstrained dense matrix W_k per ring:
 *
 *   out_p = s_p · Σ_q Σ_k w_k(r_pq) · ρ_out(θ_pq) · W_k · ρ_in(g_{q→p} − θ_pq) · x_q  (+ bias on ρ0)
 *
 * where ρ(α) rotates every order-n pair by n·α and s_p is 1 or the row normaliser. Under a gauge
 * change x_q → ρ(−φ_q) x_q, θ → θ − φ_p, g → g + φ_q − φ_p the summand becomes ρ_out(−φ_p) times
 * itself, for any W. At r = 0 θ is undefined, so the kernel there is its average over θ,
 * avg_θ ρ_out(θ) W_0 ρ_in(−θ): blocks order 0 → 0 kept, order n → n reduced to a·I + b·J, others 0.
 * No self term: sources may be another vertex set; see SelfInteraction.
 *
 * Parameters, in order: W_k (outWidth × inWidth, row-major) for k = 0..K−1, then C_out biases.
 * Count: K · outWidth · inWidth + (bias ? C_out : 0).
 *
 * Evaluation aggregates per row, ring k and output order m the rotated inputs
 * z_q = ρ_in(g − θ) x_q as A^c = Σ w_k cos(mθ) z_q and A^s = Σ w_k sin(mθ) z_q, then the order-m
 * block of the output is W_k^(m) A^c + J W_k^(m) A^s with J(a, b) = (−b, a): one dense product per
 * row and ring instead of one per entry.
 */
export class GemConv {
  /** Floats of the parameter slice. */
  readonly parameterCount: number;
  readonly spec: Required<GemConvSpec>;
  private readonly inWidth: number;
  private readonly outWidth: number;
  private readonly slots: number;
  /** Floats of one row's aggregates: (K + 1) rings (the last a sink) × slots × inWidth. */
  private readonly rowStride: number;
  /** Aggregates A of ROW_BLOCK rows. */
  private readonly acc: Float64Array;
  /** d loss / d A of ROW_BLOCK rows. */
  private readonly gradAcc: Float64Array;
  private readonly z: Float64Array;
  private readonly gradZ: Float64Array;
  /** Σ over r = 0 entries of ρ_in(g) x_q, per row of the block. */
  private readonly originSum: Float64Array;
  private readonly gradOriginSum: Float64Array;
  private readonly rowHasOrigin: Uint8Array;
  /** Scaled output gradients of the block's rows. */
  private readonly gradRows: Float64Array;
  private readonly originKernel: Float64Array;
  private readonly gradOriginKernel: Float64Array;
  private readonly gradWeights: Float64Array;
  /** The W_k of the current call in float64: the hot loops then read no float32. */
  private readonly weights: Float64Array;
  private entries: ConvEntries | null = null;

  constructor(spec: GemConvSpec) {
    if (!(spec.rings >= 1) || !(spec.radius > 0)) throw new Error('GemConv: rings must be ≥ 1 and radius > 0');
    this.spec = { ...spec, normalise: spec.normalise ?? true };
    this.inWidth = fieldWidth(spec.in);
    this.outWidth = fieldWidth(spec.out);
    this.slots = 2 * spec.out.maxOrder + 1;
    const weightCount = spec.rings * this.outWidth * this.inWidth;
    this.parameterCount = weightCount + (spec.bias ? spec.out.channels : 0);
    // One block per ring plus a sink for ring K, written when an entry's second ring does not exist.
    this.rowStride = (spec.rings + 1) * this.slots * this.inWidth;
    this.acc = new Float64Array(ROW_BLOCK * this.rowStride);
    this.gradAcc = new Float64Array(ROW_BLOCK * this.rowStride);
    this.z = new Float64Array(this.inWidth);
    this.gradZ = new Float64Array(this.inWidth);
    this.originSum = new Float64Array(ROW_BLOCK * this.inWidth);
    this.gradOriginSum = new Float64Array(this.inWidth);
    this.rowHasOrigin = new Uint8Array(ROW_BLOCK);
    this.gradRows = new Float64Array(ROW_BLOCK * this.outWidth);
    this.originKernel = new Float64Array(this.outWidth * this.inWidth);
    this.gradOriginKernel = new Float64Array(this.outWidth * this.inWidth);
    this.gradWeights = new Float64Array(weightCount);
    this.weights = new Float64Array(weightCount);
  }

  /** He initialisation: W ~ N(0, 2 / (K · inWidth)), biases 0. */
  initialise(params: Float32Array, random: () => number): void {
    const weightCount = this.gradWeights.length;
    fillNormal(params.subarray(0, weightCount), Math.sqrt(2 / (this.spec.rings * this.inWidth)), random);
    params.fill(0, weightCount, this.parameterCount);
  }

  /** Hat weights and harmonics of `nb`: kept for the last neighbourhood, shared between layers (convEntriesFor). */
  private entriesFor(nb: ConvNeighbourhood): ConvEntries {
    if (this.entries === null || this.entries.neighbourhood !== nb) {
      const { rings, radius, normalise } = this.spec;
      this.entries = convEntriesFor(nb, { rings, radius, normalise, inOrders: this.spec.in.maxOrder, outOrders: this.spec.out.maxOrder });
    }
    return this.entries;
  }

  /** Copies W_k to float64 and, when some entry has r = 0, projects W_0 onto the origin kernel. */
  private prepareWeights(params: Float32Array, entries: ConvEntries): void {
    const weights = this.weights;
    for (let i = 0; i < weights.length; i++) weights[i] = params[i]!;
    if (entries.hasOrigin) projectOriginKernel(params, this.spec.in, this.spec.out, this.originKernel);
  }

  /** Aggregates rows p0 .. p0 + count − 1 into the block buffers. */
  private aggregateBlock(entries: ConvEntries, p0: number, count: number, input: Float32Array): void {
    for (let b = 0; b < count; b++) {
      this.rowHasOrigin[b] = this.aggregateRow(entries, p0 + b, input, b * this.rowStride, b * this.inWidth) ? 1 : 0;
    }
  }

  /**
   * Output field of nb.rowCount vertices from an input field indexed by nb.sources.
   * @param params this layer's parameter slice (parameterCount floats).
   */
  forward(params: Float32Array, nb: ConvNeighbourhood, input: Float32Array, output: Float32Array): void {
    const entries = this.entriesFor(nb);
    const { outWidth, inWidth, slots, originSum, originKernel } = this;
    this.prepareWeights(params, entries);
    const biasBase = this.gradWeights.length;
    const C = this.spec.out.channels, D = slots;
    for (let p0 = 0; p0 < nb.rowCount; p0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, nb.rowCount - p0);
      this.aggregateBlock(entries, p0, count, input);
      this.applyWeights(count, output, p0 * outWidth);
      for (let b = 0; b < count; b++) {
        const p = p0 + b, o0 = p * outWidth;
        if (this.rowHasOrigin[b] === 1) {
          for (let o = 0; o < outWidth; o++) {
            let s = 0;
            for (let i = 0, w = o * inWidth, z0 = b * inWidth; i < inWidth; i++) s += originKernel[w + i]! * originSum[z0 + i]!;
            output[o0 + o] += s;
          }
        }
        const scale = entries.rowScale[p]!;
        for (let o = 0; o < outWidth; o++) output[o0 + o] *= scale;
        if (this.spec.bias) for (let c = 0; c < C; c++) output[o0 + c * D] += params[biasBase + c]!;
      }
    }
  }

  /**
   * Accumulates d loss / d params into gradParams and overwrites gradInput (skipped when null)
   * with d loss / d input.
   */
  backward(
    params: Float32Array,
    nb: ConvNeighbourhood,
    input: Float32Array,
    gradOutput: Float32Array,
    gradInput: Float32Array | null,
    gradParams: Float32Array,
  ): void {
    const entries = this.entriesFor(nb);
    const { outWidth, inWidth, slots, gradRows, gradWeights, originSum, gradOriginSum, originKernel, gradOriginKernel } = this;
    const { cosIn, sinIn, cosOut, sinOut, ring, weight0, weight1, origin } = entries;
    const Min = this.spec.in.maxOrder, Cin = this.spec.in.channels, Din = 2 * Min + 1;
    const Mout = this.spec.out.maxOrder, C = this.spec.out.channels, D = slots;
    const K = this.spec.rings;
    this.prepareWeights(params, entries);
    if (entries.hasOrigin) gradOriginKernel.fill(0);
    gradWeights.fill(0);
    if (gradInput !== null) gradInput.fill(0);
    const biasBase = gradWeights.length;
    const gz = this.gradZ;
    for (let p0 = 0; p0 < nb.rowCount; p0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, nb.rowCount - p0);
      this.aggregateBlock(entries, p0, count, input);
      for (let b = 0; b < count; b++) {
        const o0 = (p0 + b) * outWidth, scale = entries.rowScale[p0 + b]!;
        for (let o = 0; o < outWidth; o++) gradRows[b * outWidth + o] = gradOutput[o0 + o]! * scale;
        if (this.spec.bias) for (let c = 0; c < C; c++) gradParams[biasBase + c] += gradOutput[o0 + c * D]!;
      }
      this.applyWeightsBackward(count, gradInput !== null);
      for (let b = 0; b < count; b++) {
        const p = p0 + b, g0 = b * outWidth, z0 = b * inWidth;
        if (this.rowHasOrigin[b] === 1) {
          gradOriginSum.fill(0);
          for (let o = 0; o < outWidth; o++) {
            const g = gradRows[g0 + o]!;
            if (g === 0) continue;
            for (let i = 0, w = o * inWidth; i < inWidth; i++) {
              gradOriginKernel[w + i] += g * originSum[z0 + i]!;
              gradOriginSum[i] += g * originKernel[w + i]!;
            }
          }
        }
        if (gradInput === null) continue;
        // Scatter: dz per entry from the ring/slot gradients, then dx_q += ρ_in(−(g − θ)) dz.
        const a0 = b * this.rowStride;
        for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
          const k = ring[e]!;
          if (k < 0) continue;
          if (origin[e] === 1) {
            for (let i = 0; i < inWidth; i++) gz[i] = weight0[e]! * gradOriginSum[i]!;
          } else {
            gz.fill(0);
            this.gatherRingGradient(a0, k, weight0[e]!, cosOut, sinOut, e * Mout, Mout);
            if (weight1[e]! > 0 && k + 1 < K) this.gatherRingGradient(a0, k + 1, weight1[e]!, cosOut, sinOut, e * Mout, Mout);
          }
          const x0 = nb.sources[e]! * inWidth;
          for (let c = 0; c < Cin; c++) gradInput[x0 + c * Din] += gz[c * Din]!;
          for (let n = 1; n <= Min; n++) {
            const cs = cosIn[e * Min + n - 1]!, sn = sinIn[e * Min + n - 1]!;
            for (let c = 0, i = 2 * n - 1; c < Cin; c++, i += Din) {
              const za = gz[i]!, zb = gz[i + 1]!;
              gradInput[x0 + i] += cs * za + sn * zb;
              gradInput[x0 + i + 1] += cs * zb - sn * za;
            }
          }
        }
      }
    }
    for (let i = 0; i < gradWeights.length; i++) gradParams[i] += gradWeights[i]!;
    if (entries.hasOrigin) addProjectedOriginGradient(gradOriginKernel, this.spec.in, this.spec.out, gradParams);
  }

  /** gz += w · (dA^c_{k,0} + Σ_m cos(mθ) dA^c_{k,m} + sin(mθ) dA^s_{k,m}) for the row whose aggregates start at a0. */
  private gatherRingGradient(a0: number, k: number, w: number, cosOut: Float64Array, sinOut: Float64Array, tb: number, Mout: number): void {
    const inW = this.inWidth, gz = this.gradZ, gradAcc = this.gradAcc;
    const base = a0 + k * this.slots * inW;
    for (let i = 0; i < inW; i++) gz[i] += w * gradAcc[base + i]!;
    for (let m = 1; m <= Mout; m++) {
      const wc = w * cosOut[tb + m - 1]!, ws = w * sinOut[tb + m - 1]!;
      const bc = base + (2 * m - 1) * inW, bs = bc + inW;
      for (let i = 0; i < inW; i++) gz[i] += wc * gradAcc[bc + i]! + ws * gradAcc[bs + i]!;
    }
  }

  /** Fills the aggregates of row p at acc[a0 …] (and originSum[z0 …]); returns whether the row has an r = 0 entry. */
  private aggregateRow(entries: ConvEntries, p: number, input: Float32Array, a0: number, z0: number): boolean {
    const nb = entries.neighbourhood;
    const { acc, z, originSum, inWidth, slots } = this;
    const { cosIn, sinIn, cosOut, sinOut, ring, weight0, weight1, origin } = entries;
    const Min = this.spec.in.maxOrder, Cin = this.spec.in.channels, Din = 2 * Min + 1;
    const Mout = this.spec.out.maxOrder;
    acc.fill(0, a0, a0 + this.rowStride);
    let hasOrigin = false;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const k = ring[e]!;
      if (k < 0) continue;
      // z = ρ_in(g − θ) x_q
      const x0 = nb.sources[e]! * inWidth;
      for (let c = 0; c < Cin; c++) z[c * Din] = input[x0 + c * Din]!;
      for (let n = 1; n <= Min; n++) {
        const cs = cosIn[e * Min + n - 1]!, sn = sinIn[e * Min + n - 1]!;
        for (let c = 0, i = 2 * n - 1; c < Cin; c++, i += Din) {
          const a = input[x0 + i]!, b = input[x0 + i + 1]!;
          z[i] = cs * a - sn * b;
          z[i + 1] = sn * a + cs * b;
        }
      }
      if (origin[e] === 1) {
        if (!hasOrigin) originSum.fill(0, z0, z0 + inWidth);
        hasOrigin = true;
        const w = weight0[e]!;
        for (let i = 0; i < inWidth; i++) originSum[z0 + i] += w * z[i]!;
        continue;
      }
      // Rings k and k + 1 in one pass per slot (ring K is a sink block whose contents are never read).
      const w0 = weight0[e]!, w1 = weight1[e]!;
      const b0 = a0 + k * slots * inWidth, b1 = b0 + slots * inWidth;
      for (let i = 0; i < inWidth; i++) {
        const zi = z[i]!;
        acc[b0 + i] += w0 * zi;
        acc[b1 + i] += w1 * zi;
      }
      const tb = e * Mout;
      for (let m = 1; m <= Mout; m++) {
        const cs = cosOut[tb + m - 1]!, sn = sinOut[tb + m - 1]!;
        const c0 = w0 * cs, s0 = w0 * sn, c1 = w1 * cs, s1 = w1 * sn;
        const bc0 = b0 + (2 * m - 1) * inWidth, bc1 = bc0 + slots * inWidth;
        for (let i = 0; i < inWidth; i++) {
          const zi = z[i]!;
          acc[bc0 + i] += c0 * zi;
          acc[bc0 + inWidth + i] += s0 * zi;
          acc[bc1 + i] += c1 * zi;
          acc[bc1 + inWidth + i] += s1 * zi;
        }
      }
    }
    return hasOrigin;
  }

  /**
   * Output rows of the block (starting at output[o0]) = Σ_k per order m: W_k^(m) A^c + J W_k^(m) A^s,
   * overwritten. Rows are the inner loop so each pair of W rows is read from memory once per block.
   */
  private applyWeights(count: number, output: Float32Array, o0: number): void {
    const inW = this.inWidth, outW = this.outWidth, S = this.slots, stride = this.rowStride;
    const C = this.spec.out.channels, Mout = this.spec.out.maxOrder, K = this.spec.rings;
    const { weights, acc } = this;
    output.fill(0, o0, o0 + count * outW);
    for (let k = 0; k < K; k++) {
      const wk = k * outW * inW, ak = k * S * inW;
      // Order 0 two channels at a time: each load of A^c serves two rows of W.
      for (let c = 0; c < C; c += 2) {
        const o = c * S, w0 = wk + o * inW, w1 = w0 + S * inW, both = c + 1 < C;
        for (let b = 0; b < count; b++) {
          const a = b * stride + ak, y = o0 + b * outW + o;
          let s0 = 0, s1 = 0;
          if (both) {
            for (let i = 0; i < inW; i++) {
              const x = acc[a + i]!;
              s0 += weights[w0 + i]! * x;
              s1 += weights[w1 + i]! * x;
            }
            output[y + S] += s1;
          } else {
            for (let i = 0; i < inW; i++) s0 += weights[w0 + i]! * acc[a + i]!;
          }
          output[y] += s0;
        }
      }
      for (let c = 0; c < C; c++) {
        for (let m = 1; m <= Mout; m++) {
          const oa = c * S + 2 * m - 1;
          const wa = wk + oa * inW, wb = wa + inW;
          for (let b = 0; b < count; b++) {
            const bc = b * stride + ak + (2 * m - 1) * inW, bs = bc + inW;
            let aC = 0, bC = 0, aS = 0, bS = 0;
            for (let i = 0; i < inW; i++) {
              const Wa = weights[wa + i]!, Wb = weights[wb + i]!, Ac = acc[bc + i]!, As = acc[bs + i]!;
              aC += Wa * Ac; bC += Wb * Ac; aS += Wa * As; bS += Wb * As;
            }
            const y = o0 + b * outW + oa;
            output[y] += aC - bS;
            output[y + 1] += bC + aS;
          }
        }
      }
    }
  }

  /** From gradRows of the block: gradWeights += dW, and (when wanted) gradAcc = dA. */
  private applyWeightsBackward(count: number, wantInput: boolean): void {
    const inW = this.inWidth, outW = this.outWidth, S = this.slots, stride = this.rowStride;
    const C = this.spec.out.channels, Mout = this.spec.out.maxOrder, K = this.spec.rings;
    const { acc, gradAcc, gradRows, gradWeights, weights } = this;
    if (wantInput) gradAcc.fill(0, 0, count * stride);
    for (let k = 0; k < K; k++) {
      const wk = k * outW * inW, ak = k * S * inW;
      for (let c = 0; c < C; c++) {
        const o = c * S, w = wk + o * inW;
        for (let b = 0; b < count; b++) {
          const g0 = gradRows[b * outW + o]!;
          if (g0 === 0) continue;
          const a = b * stride + ak;
          if (wantInput) {
            for (let i = 0; i < inW; i++) {
              gradWeights[w + i] += g0 * acc[a + i]!;
              gradAcc[a + i] += g0 * weights[w + i]!;
            }
          } else {
            for (let i = 0; i < inW; i++) gradWeights[w + i] += g0 * acc[a + i]!;
          }
        }
        for (let m = 1; m <= Mout; m++) {
          const oa = o + 2 * m - 1;
          const wa = wk + oa * inW, wb = wa + inW;
          for (let b = 0; b < count; b++) {
            const ga = gradRows[b * outW + oa]!, gb = gradRows[b * outW + oa + 1]!;
            if (ga === 0 && gb === 0) continue;
            const bc = b * stride + ak + (2 * m - 1) * inW, bs = bc + inW;
            // out_a = Wa·Ac − Wb·As, out_b = Wb·Ac + Wa·As; one pass reads each operand once.
            if (wantInput) {
              for (let i = 0; i < inW; i++) {
                const Ac = acc[bc + i]!, As = acc[bs + i]!, Wa = weights[wa + i]!, Wb = weights[wb + i]!;
                gradWeights[wa + i] += ga * Ac + gb * As;
                gradWeights[wb + i] += gb * Ac - ga * As;
                gradAcc[bc + i] += ga * Wa + gb * Wb;
                gradAcc[bs + i] += gb * Wa - ga * Wb;
              }
            } else {
              for (let i = 0; i < inW; i++) {
                const Ac = acc[bc + i]!, As = acc[bs + i]!;
                gradWeights[wa + i] += ga * Ac + gb * As;
                gradWeights[wb + i] += gb * Ac - ga * As;
              }
            }
          }
        }
      }
    }
  }
}
