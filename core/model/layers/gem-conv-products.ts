// The dense half of a GEM convolution: per row, ring k and output order m, the block of the output
// is W_k^(m) A^c + J W_k^(m) A^s (A the row's aggregates, J(a, b) = (−b, a)). Rows are taken in
// pairs so each load of W serves two rows, and all rings are summed in registers before one store.

/** A GEM convolution's block buffers: float64 for the JavaScript loops, float32 in the SIMD kernels' memory. */
export type BlockBuffer = Float32Array | Float64Array;

/** Sizes of the dense products of one GEM convolution. */
export interface ProductShape {
  /** Floats per input vertex. */
  readonly inWidth: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Output band limit M_out; slots = 2 M_out + 1. */
  readonly outOrders: number;
  /** Rings K. */
  readonly rings: number;
  /** Floats of one row's aggregates (≥ rings · slots · inWidth). */
  readonly rowStride: number;
}

/**
 * rows[b · outWidth + o] = Σ_k (W_k A_{b,k})_o for b < count, overwritten. `acc` must hold an even
 * number of rows ≥ count (the partner of a last odd row is computed and dropped).
 */
export function applyRingWeights(shape: ProductShape, weights: BlockBuffer, acc: BlockBuffer, count: number, rows: BlockBuffer): void {
  const { inWidth: inW, outChannels: C, outOrders: M, rings: K, rowStride: stride } = shape;
  const S = 2 * M + 1, outW = C * S, ringW = outW * inW, ringA = S * inW;
  for (let b = 0; b < count; b += 2) {
    const r0 = b * stride, r1 = r0 + stride, y0 = b * outW, y1 = y0 + outW, pair = b + 1 < count;
    for (let c = 0; c < C; c++) {
      const o = c * S;
      // Order 0: one row of W against A^c_0 of both rows.
      let s0 = 0, s1 = 0;
      for (let k = 0, w = o * inW, a = 0; k < K; k++, w += ringW, a += ringA) {
        for (let i = 0; i < inW; i++) {
          const x = weights[w + i]!;
          s0 += x * acc[r0 + a + i]!;
          s1 += x * acc[r1 + a + i]!;
        }
      }
      rows[y0 + o] = s0;
      if (pair) rows[y1 + o] = s1;
      for (let m = 1; m <= M; m++) {
        // out_a = Wa·Ac − Wb·As, out_b = Wb·Ac + Wa·As, for both rows.
        let aC0 = 0, bC0 = 0, aS0 = 0, bS0 = 0, aC1 = 0, bC1 = 0, aS1 = 0, bS1 = 0;
        for (let k = 0, wa = (o + 2 * m - 1) * inW, ac = (2 * m - 1) * inW; k < K; k++, wa += ringW, ac += ringA) {
          const wb = wa + inW, c0 = r0 + ac, c1 = r1 + ac;
          for (let i = 0; i < inW; i++) {
            const Wa = weights[wa + i]!, Wb = weights[wb + i]!;
            const Ac0 = acc[c0 + i]!, As0 = acc[c0 + inW + i]!, Ac1 = acc[c1 + i]!, As1 = acc[c1 + inW + i]!;
            aC0 += Wa * Ac0; bC0 += Wb * Ac0; aS0 += Wa * As0; bS0 += Wb * As0;
            aC1 += Wa * Ac1; bC1 += Wb * Ac1; aS1 += Wa * As1; bS1 += Wb * As1;
          }
        }
        const y = o + 2 * m - 1;
        rows[y0 + y] = aC0 - bS0;
        rows[y0 + y + 1] = bC0 + aS0;
        if (pair) {
          rows[y1 + y] = aC1 - bS1;
          rows[y1 + y + 1] = bC1 + aS1;
        }
      }
    }
  }
}

/** Adjoint of {@link applyRingWeights}: gradWeights += dW and, when gradAcc is given, gradAcc = dA, from the block's row gradients. */
export function applyRingWeightsBackward(
  shape: ProductShape, weights: BlockBuffer, acc: BlockBuffer, gradRows: BlockBuffer, count: number,
  gradWeights: BlockBuffer, gradAcc: BlockBuffer | null,
): void {
  const { inWidth: inW, outChannels: C, outOrders: Mout, rings: K, rowStride: stride } = shape;
  const S = 2 * Mout + 1, outW = C * S;
  if (gradAcc !== null) gradAcc.fill(0, 0, count * stride);
  for (let k = 0; k < K; k++) {
    const wk = k * outW * inW, ak = k * S * inW;
    for (let c = 0; c < C; c++) {
      const o = c * S, w = wk + o * inW;
      for (let b = 0; b < count; b++) {
        const g0 = gradRows[b * outW + o]!;
        if (g0 === 0) continue;
        const a = b * stride + ak;
        if (gradAcc !== null) {
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
          if (gradAcc !== null) {
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
