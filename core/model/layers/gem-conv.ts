import { convEntriesFor, type ConvEntries } from './conv-entry-cache.js';
import type { ConvNeighbourhood } from './conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from './feature-layout.js';
import { fillNormal } from './initialisation.js';
import { applyRingWeights, applyRingWeightsBackward, type BlockBuffer, type ProductShape } from './gem-conv-products.js';
import { SimdProducts } from './gem-conv-simd.js';
import { InvariantSimd } from './gem-conv-invariant-simd.js';
import { computeSourceTerms, gatherInvariantRows, scatterInvariantRows, sourceTermCount, sourceTermsBackward, type InvariantConvShape } from './gem-conv-invariant.js';
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
const ROW_BLOCK = 4; // even: applyRingWeights takes rows in pairs

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
 * row and ring instead of one per entry. An invariant output (M_out = 0, the layer to the mesh)
 * applies W_k once per source vertex instead (gem-conv-invariant.ts). Where WebAssembly SIMD is
 * available and inWidth is a multiple of 4, the per-entry loops of a block of rows (gem-conv-simd-rows.ts)
 * and the dense products run as four-lane kernels over float32 buffers (gem-conv-simd.ts);
 * otherwise as JavaScript loops. r = 0 entries are always summed in JavaScript.
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
  // The block buffers: float32 in the WebAssembly memory where SIMD is used (re-taken after it grows, bindSimd), else float64.
  /** Aggregates A of ROW_BLOCK rows. */
  private acc: BlockBuffer;
  /** d loss / d A of ROW_BLOCK rows. */
  private gradAcc: BlockBuffer;
  private z: BlockBuffer;
  private gradZ: BlockBuffer;
  /** Σ over r = 0 entries of ρ_in(g) x_q, per row of the block. */
  private readonly originSum: Float64Array;
  private readonly gradOriginSum: Float64Array;
  private readonly rowHasOrigin: Uint8Array;
  /** Scaled output gradients of the block's rows. */
  private gradRows: BlockBuffer;
  private readonly originKernel: Float64Array;
  private readonly gradOriginKernel: Float64Array;
  private gradWeights: BlockBuffer;
  /** The W_k of the current call in the block buffers' precision. */
  private weights: BlockBuffer;
  private entries: ConvEntries | null = null;
  /** Output rows of the block before scaling. */
  private rows: BlockBuffer;
  private readonly products: ProductShape;
  /** Set when the output is invariant (M_out = 0): W_k is then applied per source vertex (gem-conv-invariant). */
  private readonly invariant: InvariantConvShape | null;
  /** The per-row kernels as WebAssembly SIMD over buffers in its memory; null for an invariant output or where unavailable (JavaScript loops instead). */
  private readonly simd: SimdProducts | null;
  /** The invariant path's row loops as WebAssembly SIMD; null where unavailable or C_out is not a multiple of 4. */
  private readonly invariantSimd: InvariantSimd | null;
  /** Harmonic terms U per source vertex (invariant output only, JavaScript loops), grown to the largest input seen. */
  private terms = new Float64Array(0);

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
    this.originSum = new Float64Array(ROW_BLOCK * this.inWidth);
    this.gradOriginSum = new Float64Array(this.inWidth);
    this.rowHasOrigin = new Uint8Array(ROW_BLOCK);
    this.originKernel = new Float64Array(this.outWidth * this.inWidth);
    this.gradOriginKernel = new Float64Array(this.outWidth * this.inWidth);
    this.invariant = spec.out.maxOrder === 0 ? { inChannels: spec.in.channels, inOrders: spec.in.maxOrder, outChannels: spec.out.channels, rings: spec.rings } : null;
    this.products = { inWidth: this.inWidth, outChannels: spec.out.channels, outOrders: spec.out.maxOrder, rings: spec.rings, rowStride: this.rowStride };
    // The invariant-output path has no per-row products; the others run them as WebAssembly SIMD where available.
    this.simd = this.invariant === null ? SimdProducts.create(this.products, ROW_BLOCK, spec.in.maxOrder) : null;
    this.invariantSimd = this.invariant === null ? null : InvariantSimd.create(this.invariant);
    this.acc = this.simd?.acc ?? new Float64Array(ROW_BLOCK * this.rowStride);
    this.gradAcc = this.simd?.gradAcc ?? new Float64Array(ROW_BLOCK * this.rowStride);
    this.gradRows = this.simd?.gradRows ?? new Float64Array(ROW_BLOCK * this.outWidth);
    this.gradWeights = this.simd?.gradWeights ?? new Float64Array(weightCount);
    this.weights = this.simd?.weights ?? new Float64Array(weightCount);
    this.rows = this.simd?.rows ?? new Float64Array(ROW_BLOCK * this.outWidth);
    this.z = this.simd?.z ?? new Float64Array(this.inWidth);
    this.gradZ = this.simd?.gradZ ?? new Float64Array(this.inWidth);
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

  /** The harmonic-term buffer, at least large enough for `sources` input vertices. */
  private termsFor(sources: number): Float64Array {
    const count = sourceTermCount(this.invariant!, sources);
    if (this.terms.length < count) this.terms = new Float64Array(count);
    return this.terms.subarray(0, count);
  }

  /** Copies W_k into the block buffers and, when some entry has r = 0, projects W_0 onto the origin kernel. */
  private prepareWeights(params: Float32Array, entries: ConvEntries): void {
    const weights = this.weights;
    for (let i = 0; i < weights.length; i++) weights[i] = params[i]!;
    if (entries.hasOrigin) projectOriginKernel(params, this.spec.in, this.spec.out, this.originKernel);
  }

  /** Puts the entries and room for the input field in the SIMD memory, re-taking the buffers if it grew. */
  private bindSimd(simd: SimdProducts, entries: ConvEntries, input: Float32Array): void {
    simd.bind(entries, input.length / this.inWidth);
    ({ acc: this.acc, gradAcc: this.gradAcc, z: this.z, gradZ: this.gradZ, gradRows: this.gradRows, gradWeights: this.gradWeights, weights: this.weights, rows: this.rows } = simd);
    simd.input.set(input);
  }

  /** Aggregates rows p0 .. p0 + count − 1 into the block buffers. */
  private aggregateBlock(entries: ConvEntries, p0: number, count: number, input: Float32Array): void {
    if (this.simd !== null) this.simd.aggregate(p0, count);
    else for (let b = 0; b < count; b++) this.aggregateRow(entries, p0 + b, input, b * this.rowStride);
    for (let b = 0; b < count; b++) this.rowHasOrigin[b] = entries.hasOrigin && this.aggregateOrigin(entries, p0 + b, input, b * this.inWidth) ? 1 : 0;
  }

  /**
   * Output field of nb.rowCount vertices from an input field indexed by nb.sources.
   * @param params this layer's parameter slice (parameterCount floats).
   */
  forward(params: Float32Array, nb: ConvNeighbourhood, input: Float32Array, output: Float32Array): void {
    const entries = this.entriesFor(nb);
    if (this.simd !== null) this.bindSimd(this.simd, entries, input);
    const { outWidth, inWidth, slots, originSum, originKernel } = this;
    this.prepareWeights(params, entries);
    if (this.invariant !== null) {
      const sources = input.length / inWidth, simd = this.invariantSimd;
      const bias = this.spec.bias ? params.subarray(this.weights.length, this.parameterCount) : null;
      if (simd === null) {
        const terms = this.termsFor(sources);
        computeSourceTerms(this.invariant, this.weights, input, sources, terms);
        gatherInvariantRows(this.invariant, entries, terms, bias, output, this.rows);
        return;
      }
      simd.bind(entries, sources);
      computeSourceTerms(this.invariant, this.weights, input, sources, simd.terms);
      if (bias === null) simd.bias.fill(0);
      else simd.bias.set(bias);
      simd.gather();
      output.set(simd.field);
      return;
    }
    const biasBase = this.gradWeights.length;
    const C = this.spec.out.channels, D = slots;
    const rows = this.rows;
    for (let p0 = 0; p0 < nb.rowCount; p0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, nb.rowCount - p0);
      this.aggregateBlock(entries, p0, count, input);
      if (this.simd !== null) this.simd.forward(count);
      else applyRingWeights(this.products, this.weights, this.acc, count, rows);
      for (let b = 0; b < count; b++) {
        const p = p0 + b, o0 = p * outWidth, y0 = b * outWidth;
        if (this.rowHasOrigin[b] === 1) {
          for (let o = 0; o < outWidth; o++) {
            let s = 0;
            for (let i = 0, w = o * inWidth, z0 = b * inWidth; i < inWidth; i++) s += originKernel[w + i]! * originSum[z0 + i]!;
            rows[y0 + o] += s;
          }
        }
        const scale = entries.rowScale[p]!;
        for (let o = 0; o < outWidth; o++) output[o0 + o] = rows[y0 + o]! * scale;
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
    const simd = this.simd;
    if (simd !== null) this.bindSimd(simd, entries, input);
    const { outWidth, inWidth, slots, gradRows, gradWeights, originSum, gradOriginSum, originKernel, gradOriginKernel } = this;
    const { cosOut, sinOut, ring, weight0, weight1, origin } = entries;
    const Mout = this.spec.out.maxOrder, C = this.spec.out.channels, D = slots;
    const K = this.spec.rings;
    this.prepareWeights(params, entries);
    gradWeights.fill(0);
    const biasBase = gradWeights.length;
    if (this.invariant !== null) {
      const sources = input.length / inWidth, simd = this.invariantSimd;
      let gradTerms: BlockBuffer;
      if (simd === null) {
        gradTerms = this.termsFor(sources);
        scatterInvariantRows(this.invariant, entries, gradOutput, gradTerms);
      } else {
        simd.bind(entries, sources);
        simd.field.set(gradOutput);
        simd.scatter();
        gradTerms = simd.gradTerms;
      }
      sourceTermsBackward(this.invariant, this.weights, input, sources, gradTerms, gradWeights, gradInput);
      for (let i = 0; i < gradWeights.length; i++) gradParams[i] += gradWeights[i]!;
      if (this.spec.bias) for (let p = 0; p < nb.rowCount; p++) for (let c = 0; c < C; c++) gradParams[biasBase + c] += gradOutput[p * C + c]!;
      return;
    }
    if (entries.hasOrigin) gradOriginKernel.fill(0);
    // With SIMD the input gradient is summed in its memory and copied out at the end.
    const gradField = simd !== null && gradInput !== null ? simd.gradInput : gradInput;
    if (gradField !== null) gradField.fill(0);
    const gz = this.gradZ;
    for (let p0 = 0; p0 < nb.rowCount; p0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, nb.rowCount - p0);
      this.aggregateBlock(entries, p0, count, input);
      for (let b = 0; b < count; b++) {
        const o0 = (p0 + b) * outWidth, scale = entries.rowScale[p0 + b]!;
        for (let o = 0; o < outWidth; o++) gradRows[b * outWidth + o] = gradOutput[o0 + o]! * scale;
        if (this.spec.bias) for (let c = 0; c < C; c++) gradParams[biasBase + c] += gradOutput[o0 + c * D]!;
      }
      if (this.simd !== null) this.simd.backward(count);
      else applyRingWeightsBackward(this.products, this.weights, this.acc, this.gradRows, count, this.gradWeights, gradInput !== null ? this.gradAcc : null);
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
        if (gradField === null) continue;
        // Scatter: dz per entry from the ring/slot gradients, then dx_q += ρ_in(−(g − θ)) dz; with SIMD only r = 0 entries here.
        const a0 = b * this.rowStride;
        for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
          const k = ring[e]!;
          if (k < 0) continue;
          if (origin[e] === 1) {
            for (let i = 0; i < inWidth; i++) gz[i] = weight0[e]! * gradOriginSum[i]!;
          } else if (simd !== null) {
            continue;
          } else {
            gz.fill(0);
            this.gatherRingGradient(a0, k, weight0[e]!, cosOut, sinOut, e * Mout, Mout);
            if (weight1[e]! > 0 && k + 1 < K) this.gatherRingGradient(a0, k + 1, weight1[e]!, cosOut, sinOut, e * Mout, Mout);
          }
          this.scatterEntry(entries, e, gradField);
        }
      }
      if (simd !== null && gradField !== null) simd.scatter(p0, count);
    }
    if (simd !== null && gradInput !== null) gradInput.set(simd.gradInput);
    for (let i = 0; i < gradWeights.length; i++) gradParams[i] += gradWeights[i]!;
    if (entries.hasOrigin) addProjectedOriginGradient(gradOriginKernel, this.spec.in, this.spec.out, gradParams);
  }

  /** gradField[q] += ρ_in(−(g − θ)) gradZ for entry e from q. */
  private scatterEntry(entries: ConvEntries, e: number, gradField: Float32Array): void {
    const { cosIn, sinIn } = entries, gz = this.gradZ;
    const Min = this.spec.in.maxOrder, Cin = this.spec.in.channels, Din = 2 * Min + 1;
    const x0 = entries.neighbourhood.sources[e]! * this.inWidth;
    for (let c = 0; c < Cin; c++) gradField[x0 + c * Din] += gz[c * Din]!;
    for (let n = 1; n <= Min; n++) {
      const cs = cosIn[e * Min + n - 1]!, sn = sinIn[e * Min + n - 1]!;
      for (let c = 0, i = 2 * n - 1; c < Cin; c++, i += Din) {
        const za = gz[i]!, zb = gz[i + 1]!;
        gradField[x0 + i] += cs * za + sn * zb;
        gradField[x0 + i + 1] += cs * zb - sn * za;
      }
    }
  }

  /** z = ρ_in(g − θ) x_q for entry e from q. */
  private rotateInto(entries: ConvEntries, e: number, input: Float32Array): void {
    const { cosIn, sinIn } = entries, z = this.z;
    const Min = this.spec.in.maxOrder, Cin = this.spec.in.channels, Din = 2 * Min + 1;
    const x0 = entries.neighbourhood.sources[e]! * this.inWidth;
    for (let c = 0; c < Cin; c++) z[c * Din] = input[x0 + c * Din]!;
    for (let n = 1; n <= Min; n++) {
      const cs = cosIn[e * Min + n - 1]!, sn = sinIn[e * Min + n - 1]!;
      for (let c = 0, i = 2 * n - 1; c < Cin; c++, i += Din) {
        const a = input[x0 + i]!, b = input[x0 + i + 1]!;
        z[i] = cs * a - sn * b;
        z[i + 1] = sn * a + cs * b;
      }
    }
  }

  /** originSum[z0 …] = Σ over row p's r = 0 entries of w · z; returns whether it has one. */
  private aggregateOrigin(entries: ConvEntries, p: number, input: Float32Array, z0: number): boolean {
    const nb = entries.neighbourhood, { originSum, z, inWidth } = this;
    let hasOrigin = false;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      if (entries.origin[e] !== 1 || entries.ring[e]! < 0) continue;
      if (!hasOrigin) originSum.fill(0, z0, z0 + inWidth);
      hasOrigin = true;
      this.rotateInto(entries, e, input);
      const w = entries.weight0[e]!;
      for (let i = 0; i < inWidth; i++) originSum[z0 + i] += w * z[i]!;
    }
    return hasOrigin;
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

  /** Fills the aggregates of row p at acc[a0 …] from its entries with r > 0. */
  private aggregateRow(entries: ConvEntries, p: number, input: Float32Array, a0: number): void {
    const nb = entries.neighbourhood;
    const { acc, z, inWidth, slots } = this;
    const { cosOut, sinOut, ring, weight0, weight1, origin } = entries;
    const Mout = this.spec.out.maxOrder;
    acc.fill(0, a0, a0 + this.rowStride);
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const k = ring[e]!;
      if (k < 0 || origin[e] === 1) continue;
      this.rotateInto(entries, e, input);
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
  }
}
