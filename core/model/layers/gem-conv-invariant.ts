import type { ConvEntries } from './conv-entry-cache.js';
import type { BlockBuffer } from './gem-conv-products.js';

// A GEM convolution whose output is invariant (M_out = 0, as in the output layer to the mesh) needs
// no ρ_out(θ): out_c = Σ_q Σ_k w_k W_k[c] ρ_in(α) x_q with α = g − θ, and for one order-n pair
// [Wa Wb] ρ(nα) (xa, xb) = cos(nα)(Wa xa + Wb xb) + sin(nα)(Wb xa − Wa xb). So W_k is applied once
// per source vertex, giving the harmonic terms U[q, k, h, c] for h over (1, cos α, sin α, cos 2α, …),
// and each entry only takes U's dot product with those. When rows outnumber sources (mesh
// vertices gathering level-1 features) this is several times fewer operations than aggregating per
// row and applying W_k per row.

/** Sizes of an invariant-output GEM convolution. */
export interface InvariantConvShape {
  readonly inChannels: number;
  /** Input band limit M_in; D_in = 2 M_in + 1 harmonic terms per (source, ring, out channel). */
  readonly inOrders: number;
  readonly outChannels: number;
  readonly rings: number;
}

/** Floats of the harmonic terms U of `sources` input vertices. */
export function sourceTermCount(shape: InvariantConvShape, sources: number): number {
  return sources * shape.rings * shape.outChannels * (2 * shape.inOrders + 1);
}

/** U[((q · K + k) · D + h) · C + c] from W_k (row-major outChannels × inWidth, per ring) and the input field. */
export function computeSourceTerms(shape: InvariantConvShape, weights: BlockBuffer, input: Float32Array, sources: number, terms: BlockBuffer): void {
  const { inChannels: Cin, inOrders: M, outChannels: C, rings: K } = shape;
  const D = 2 * M + 1, inW = Cin * D;
  for (let q = 0; q < sources; q++) {
    const x0 = q * inW;
    for (let k = 0; k < K; k++) {
      const u = (q * K + k) * D * C;
      for (let c = 0; c < C; c++) {
        const w0 = (k * C + c) * inW;
        if (M === 2) {
          writeOrder2Terms(inW, weights, input, x0, w0, terms, u, C, c);
          continue;
        }
        let s0 = 0;
        for (let ci = 0, i = 0; ci < Cin; ci++, i += D) s0 += weights[w0 + i]! * input[x0 + i]!;
        terms[u + c] = s0;
        for (let n = 1; n <= M; n++) {
          let sc = 0, ss = 0;
          for (let ci = 0, i = 2 * n - 1; ci < Cin; ci++, i += D) {
            const Wa = weights[w0 + i]!, Wb = weights[w0 + i + 1]!, xa = input[x0 + i]!, xb = input[x0 + i + 1]!;
            sc += Wa * xa + Wb * xb;
            ss += Wb * xa - Wa * xb;
          }
          terms[u + (2 * n - 1) * C + c] = sc;
          terms[u + 2 * n * C + c] = ss;
        }
      }
    }
  }
}

/**
 * computeSourceTerms' five sums of one (q, k, c) at M_in = 2 (the default band limit) in one pass
 * over the input channels, each added in the same order as the generic loop, so the same terms
 * bit for bit; 1.4× on the SMPL body's output layer.
 */
function writeOrder2Terms(inW: number, weights: BlockBuffer, input: Float32Array, x0: number, w0: number, terms: BlockBuffer, u: number, C: number, c: number): void {
  let s0 = 0, c1 = 0, s1 = 0, c2 = 0, s2 = 0;
  for (let i = 0; i < inW; i += 5) {
    const w = w0 + i, x = x0 + i;
    s0 += weights[w]! * input[x]!;
    const Wa = weights[w + 1]!, Wb = weights[w + 2]!, xa = input[x + 1]!, xb = input[x + 2]!;
    c1 += Wa * xa + Wb * xb;
    s1 += Wb * xa - Wa * xb;
    const Wc = weights[w + 3]!, Wd = weights[w + 4]!, xc = input[x + 3]!, xd = input[x + 4]!;
    c2 += Wc * xc + Wd * xd;
    s2 += Wd * xc - Wc * xd;
  }
  terms[u + c] = s0;
  terms[u + C + c] = c1;
  terms[u + 2 * C + c] = s1;
  terms[u + 3 * C + c] = c2;
  terms[u + 4 * C + c] = s2;
}

/**
 * out[p · C + c] = rowScale_p · Σ_e Σ_{k = ring, ring + 1} w_k Σ_h U[q_e, k, h, c] · (1, cos α_e, sin α_e, …)_h
 * (+ bias_c). An r = 0 entry takes only u_0 (the θ-average of the kernel keeps order 0 → 0 alone).
 */
export function gatherInvariantRows(shape: InvariantConvShape, entries: ConvEntries, terms: BlockBuffer, bias: Float32Array | null, output: Float32Array, sums: BlockBuffer): void {
  const { inOrders: M, outChannels: C, rings: K } = shape;
  const D = 2 * M + 1, ringStride = D * C, sourceStride = K * ringStride;
  const nb = entries.neighbourhood;
  const { ring, weight0, weight1, origin, cosIn, sinIn, rowScale } = entries;
  for (let p = 0; p < nb.rowCount; p++) {
    sums.fill(0, 0, C);
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const k = ring[e]!;
      if (k < 0) continue;
      const u0 = nb.sources[e]! * sourceStride + k * ringStride;
      const w0 = weight0[e]!, w1 = k + 1 < K ? weight1[e]! : 0;
      for (let c = 0; c < C; c++) sums[c] += w0 * terms[u0 + c]! + (w1 === 0 ? 0 : w1 * terms[u0 + ringStride + c]!);
      if (origin[e] === 1) continue;
      for (let n = 1; n <= M; n++) {
        const cs = cosIn[e * M + n - 1]!, sn = sinIn[e * M + n - 1]!, uc = u0 + (2 * n - 1) * C, us = uc + C;
        const c0 = w0 * cs, s0 = w0 * sn, c1 = w1 * cs, s1 = w1 * sn;
        for (let c = 0; c < C; c++) {
          sums[c] += c0 * terms[uc + c]! + s0 * terms[us + c]!;
          if (w1 !== 0) sums[c] += c1 * terms[uc + ringStride + c]! + s1 * terms[us + ringStride + c]!;
        }
      }
    }
    const scale = rowScale[p]!;
    for (let c = 0; c < C; c++) output[p * C + c] = sums[c]! * scale + (bias === null ? 0 : bias[c]!);
  }
}

/** Adjoint of {@link gatherInvariantRows}: gradTerms (overwritten) = d loss / d U from d loss / d out. */
export function scatterInvariantRows(shape: InvariantConvShape, entries: ConvEntries, gradOutput: Float32Array, gradTerms: BlockBuffer): void {
  const { inOrders: M, outChannels: C, rings: K } = shape;
  const D = 2 * M + 1, ringStride = D * C, sourceStride = K * ringStride;
  const nb = entries.neighbourhood;
  const { ring, weight0, weight1, origin, cosIn, sinIn, rowScale } = entries;
  gradTerms.fill(0);
  for (let p = 0; p < nb.rowCount; p++) {
    const scale = rowScale[p]!, g0 = p * C;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const k = ring[e]!;
      if (k < 0) continue;
      const u0 = nb.sources[e]! * sourceStride + k * ringStride;
      const w0 = weight0[e]! * scale, w1 = k + 1 < K ? weight1[e]! * scale : 0;
      for (let c = 0; c < C; c++) gradTerms[u0 + c] += w0 * gradOutput[g0 + c]!;
      if (w1 !== 0) for (let c = 0; c < C; c++) gradTerms[u0 + ringStride + c] += w1 * gradOutput[g0 + c]!;
      if (origin[e] === 1) continue;
      for (let n = 1; n <= M; n++) {
        const cs = cosIn[e * M + n - 1]!, sn = sinIn[e * M + n - 1]!, uc = u0 + (2 * n - 1) * C, us = uc + C;
        const c0 = w0 * cs, s0 = w0 * sn, c1 = w1 * cs, s1 = w1 * sn;
        for (let c = 0; c < C; c++) {
          const g = gradOutput[g0 + c]!;
          gradTerms[uc + c] += c0 * g;
          gradTerms[us + c] += s0 * g;
          if (w1 !== 0) {
            gradTerms[uc + ringStride + c] += c1 * g;
            gradTerms[us + ringStride + c] += s1 * g;
          }
        }
      }
    }
  }
}

/** Adjoint of {@link computeSourceTerms}: gradWeights += d loss / d W_k; gradInput (when given) overwritten with d loss / d x. */
export function sourceTermsBackward(
  shape: InvariantConvShape, weights: BlockBuffer, input: Float32Array, sources: number,
  gradTerms: BlockBuffer, gradWeights: BlockBuffer, gradInput: Float32Array | null,
): void {
  const { inChannels: Cin, inOrders: M, outChannels: C, rings: K } = shape;
  const D = 2 * M + 1, inW = Cin * D;
  if (gradInput !== null) gradInput.fill(0, 0, sources * inW);
  for (let q = 0; q < sources; q++) {
    const x0 = q * inW;
    for (let k = 0; k < K; k++) {
      const u = (q * K + k) * D * C;
      for (let c = 0; c < C; c++) {
        const w0 = (k * C + c) * inW;
        if (M === 2 && addOrder2Gradients(inW, weights, input, x0, w0, gradTerms, u, C, c, gradWeights, gradInput)) continue;
        const g0 = gradTerms[u + c]!;
        if (g0 !== 0) {
          for (let ci = 0, i = 0; ci < Cin; ci++, i += D) {
            gradWeights[w0 + i] += g0 * input[x0 + i]!;
            if (gradInput !== null) gradInput[x0 + i] += g0 * weights[w0 + i]!;
          }
        }
        for (let n = 1; n <= M; n++) {
          const gc = gradTerms[u + (2 * n - 1) * C + c]!, gs = gradTerms[u + 2 * n * C + c]!;
          if (gc === 0 && gs === 0) continue;
          for (let ci = 0, i = 2 * n - 1; ci < Cin; ci++, i += D) {
            // sc = Wa xa + Wb xb, ss = Wb xa − Wa xb.
            const xa = input[x0 + i]!, xb = input[x0 + i + 1]!;
            gradWeights[w0 + i] += gc * xa - gs * xb;
            gradWeights[w0 + i + 1] += gc * xb + gs * xa;
            if (gradInput !== null) {
              const Wa = weights[w0 + i]!, Wb = weights[w0 + i + 1]!;
              gradInput[x0 + i] += gc * Wa + gs * Wb;
              gradInput[x0 + i + 1] += gc * Wb - gs * Wa;
            }
          }
        }
      }
    }
  }
}

/**
 * sourceTermsBackward's step for one (q, k, c) at M_in = 2 in one pass over the input channels, taken
 * when all five term gradients are nonzero (so the generic loop would skip none of them): each
 * gradient element gets the same additions in the same order. Returns false when it did nothing.
 */
function addOrder2Gradients(
  inW: number, weights: BlockBuffer, input: Float32Array, x0: number, w0: number,
  gradTerms: BlockBuffer, u: number, C: number, c: number, gradWeights: BlockBuffer, gradInput: Float32Array | null,
): boolean {
  const g0 = gradTerms[u + c]!, gc1 = gradTerms[u + C + c]!, gs1 = gradTerms[u + 2 * C + c]!;
  const gc2 = gradTerms[u + 3 * C + c]!, gs2 = gradTerms[u + 4 * C + c]!;
  if (g0 === 0 || gc1 === 0 || gs1 === 0 || gc2 === 0 || gs2 === 0) return false;
  for (let i = 0; i < inW; i += 5) {
    const w = w0 + i, x = x0 + i;
    const xr = input[x]!, xa = input[x + 1]!, xb = input[x + 2]!, xc = input[x + 3]!, xd = input[x + 4]!;
    gradWeights[w] += g0 * xr;
    gradWeights[w + 1] += gc1 * xa - gs1 * xb;
    gradWeights[w + 2] += gc1 * xb + gs1 * xa;
    gradWeights[w + 3] += gc2 * xc - gs2 * xd;
    gradWeights[w + 4] += gc2 * xd + gs2 * xc;
    if (gradInput === null) continue;
    const Wr = weights[w]!, Wa = weights[w + 1]!, Wb = weights[w + 2]!, Wc = weights[w + 3]!, Wd = weights[w + 4]!;
    gradInput[x] += g0 * Wr;
    gradInput[x + 1] += gc1 * Wa + gs1 * Wb;
    gradInput[x + 2] += gc1 * Wb - gs1 * Wa;
    gradInput[x + 3] += gc2 * Wc + gs2 * Wd;
    gradInput[x + 4] += gc2 * Wd - gs2 * Wc;
  }
  return true;
}
