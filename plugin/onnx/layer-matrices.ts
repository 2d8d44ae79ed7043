import { fieldWidth, type FieldShape } from '../../core/model/layers/feature-layout.js';
import type { GemConvSpec } from '../../core/model/layers/gem-conv.js';
import { projectOriginKernel } from '../../core/model/layers/origin-kernel.js';
import type { SelfInteractionSpec } from '../../core/model/layers/self-interaction.js';

/**
 * The weights of a GemConv as one dense matrix for `A @ matrix`, where A holds a row's
 * aggregates in the order (ring k, slot s, input i) followed by the r = 0 sum (i):
 * rows (k · S + s) · inWidth + i for the rings, K · S · inWidth + i for the origin, and outWidth
 * columns. Slot 0 aggregates with weight 1, slots 2m − 1 and 2m with cos(mθ) and sin(mθ); the
 * order-m block of the output is W_k^(m) A^c + J W_k^(m) A^s (gem-conv.ts), and the origin rows
 * hold the θ-averaged kernel of W_0 (origin-kernel.ts).
 */
export function gemConvMatrix(params: Float32Array, spec: Required<GemConvSpec>): Float32Array {
  const inW = fieldWidth(spec.in), outW = fieldWidth(spec.out);
  const S = 2 * spec.out.maxOrder + 1, K = spec.rings, C = spec.out.channels;
  const matrix = new Float32Array((K * S + 1) * inW * outW);
  const at = (row: number, column: number): number => row * outW + column;
  for (let k = 0; k < K; k++) {
    const wk = k * outW * inW;
    const slotRow = (s: number, i: number): number => (k * S + s) * inW + i;
    for (let c = 0; c < C; c++) {
      const o = c * S;
      for (let i = 0; i < inW; i++) matrix[at(slotRow(0, i), o)] = params[wk + o * inW + i]!;
      for (let m = 1; m <= spec.out.maxOrder; m++) {
        const oa = o + 2 * m - 1, ob = oa + 1;
        for (let i = 0; i < inW; i++) {
          const wa = params[wk + oa * inW + i]!, wb = params[wk + ob * inW + i]!;
          // out_a = Wa·A^c − Wb·A^s, out_b = Wb·A^c + Wa·A^s.
          matrix[at(slotRow(2 * m - 1, i), oa)] = wa;
          matrix[at(slotRow(2 * m, i), oa)] = -wb;
          matrix[at(slotRow(2 * m - 1, i), ob)] = wb;
          matrix[at(slotRow(2 * m, i), ob)] = wa;
        }
      }
    }
  }
  const origin = new Float64Array(outW * inW);
  projectOriginKernel(params, spec.in, spec.out, origin);
  const originRow = K * S * inW;
  for (let o = 0; o < outW; o++) for (let i = 0; i < inW; i++) matrix[at(originRow + i, o)] = origin[o * inW + i]!;
  return matrix;
}

/** The bias of a GemConv or SelfInteraction as a row vector over outWidth (zero off the ρ0 coefficients). */
export function biasVector(params: Float32Array, biasOffset: number, out: FieldShape): Float32Array {
  const D = 2 * out.maxOrder + 1;
  const bias = new Float32Array(fieldWidth(out));
  for (let c = 0; c < out.channels; c++) bias[c * D] = params[biasOffset + c]!;
  return bias;
}

/** A SelfInteraction as a dense inWidth × outWidth matrix for `x @ matrix` (self-interaction.ts's parameter layout). */
export function selfInteractionMatrix(params: Float32Array, spec: SelfInteractionSpec): Float32Array {
  const Cin = spec.in.channels, Cout = spec.out.channels;
  const Din = 2 * spec.in.maxOrder + 1, Dout = 2 * spec.out.maxOrder + 1;
  const outW = fieldWidth(spec.out), pairs = Cout * Cin;
  const orders = Math.min(spec.in.maxOrder, spec.out.maxOrder);
  const matrix = new Float32Array(fieldWidth(spec.in) * outW);
  const at = (row: number, column: number): number => row * outW + column;
  for (let co = 0; co < Cout; co++) {
    for (let ci = 0; ci < Cin; ci++) {
      matrix[at(ci * Din, co * Dout)] = params[co * Cin + ci]!;
      for (let n = 1; n <= orders; n++) {
        const pb = pairs + ((n - 1) * pairs + co * Cin + ci) * 2;
        const a = params[pb]!, b = params[pb + 1]!;
        const xa = ci * Din + 2 * n - 1, ya = co * Dout + 2 * n - 1;
        // (ya, yb) = (a·xa − b·xb, b·xa + a·xb)
        matrix[at(xa, ya)] = a;
        matrix[at(xa + 1, ya)] = -b;
        matrix[at(xa, ya + 1)] = b;
        matrix[at(xa + 1, ya + 1)] = a;
      }
    }
  }
  return matrix;
}

/** (2M + 1) × N: coefficients [a0, a1, b1, …] of one channel @ this = its values at t_j = 2πj / N. */
export function harmonicSynthesis(maxOrder: number, samples: number): Float32Array {
  const D = 2 * maxOrder + 1;
  const matrix = new Float32Array(D * samples);
  for (let j = 0; j < samples; j++) {
    matrix[j] = 1;
    for (let n = 1; n <= maxOrder; n++) {
      const t = (2 * Math.PI * n * j) / samples;
      matrix[(2 * n - 1) * samples + j] = Math.cos(t);
      matrix[2 * n * samples + j] = Math.sin(t);
    }
  }
  return matrix;
}

/** N × (2M + 1): samples @ this = the coefficients (mean, (2/N) Σ f cos, (2/N) Σ f sin), the inverse of {@link harmonicSynthesis}. */
export function harmonicAnalysis(maxOrder: number, samples: number): Float32Array {
  const D = 2 * maxOrder + 1;
  const matrix = new Float32Array(samples * D);
  for (let j = 0; j < samples; j++) {
    matrix[j * D] = 1 / samples;
    for (let n = 1; n <= maxOrder; n++) {
      const t = (2 * Math.PI * n * j) / samples;
      matrix[j * D + 2 * n - 1] = (2 / samples) * Math.cos(t);
      matrix[j * D + 2 * n] = (2 / samples) * Math.sin(t);
    }
  }
  return matrix;
}

/**
 * Folds the input rotation ρ_in(α) into a GemConv matrix: ρ_in(α) x = Σ_b h_b(α) L_b x with
 * h = [1, cos α, sin α, cos 2α, sin 2α, …] and L_b constant (keep order 0; keep order n; turn
 * order n by 90°), so aggregating h_b(α)·x per basis b and multiplying by L_b W gives the same
 * sum without rotating any gathered feature. Rows (slot · B + b) · inWidth + j, B = 2·M_in + 1.
 */
export function foldInputRotation(matrix: Float32Array, slots: number, inShape: FieldShape, outWidth: number): Float32Array {
  const inW = fieldWidth(inShape), Din = 2 * inShape.maxOrder + 1, B = Din;
  const folded = new Float32Array(slots * B * inW * outWidth);
  const copyRow = (slot: number, b: number, j: number, source: number, sign: number): void => {
    const to = ((slot * B + b) * inW + j) * outWidth, from = (slot * inW + source) * outWidth;
    for (let o = 0; o < outWidth; o++) folded[to + o] = sign * matrix[from + o]!;
  };
  for (let slot = 0; slot < slots; slot++) {
    for (let c = 0; c < inShape.channels; c++) {
      const base = c * Din;
      copyRow(slot, 0, base, base, 1);
      for (let n = 1; n <= inShape.maxOrder; n++) {
        const a = base + 2 * n - 1, bIndex = a + 1;
        // cos(nα) keeps the pair; sin(nα) maps (x_a, x_b) to (−x_b, x_a).
        copyRow(slot, 2 * n - 1, a, a, 1);
        copyRow(slot, 2 * n - 1, bIndex, bIndex, 1);
        copyRow(slot, 2 * n, a, bIndex, 1);
        copyRow(slot, 2 * n, bIndex, a, -1);
      }
    }
  }
  return folded;
}
