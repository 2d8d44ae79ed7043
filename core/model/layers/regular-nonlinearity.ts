import type { FieldShape } from './feature-layout.js';
import { activate, derivative } from './pointwise-activation.js';
import { backwardOrder2, forwardOrder2, halfPeriodTable } from './regular-nonlinearity-order2.js';
import { SimdSiluOrder2 } from './regular-nonlinearity-simd.js';

/** Pointwise function applied to the angular samples. */
export type RegularNonlinearityKind = 'relu' | 'leaky' | 'silu';

/** Options of a {@link RegularNonlinearity}. */
export interface RegularNonlinearitySpec {
  /** Field shape (input = output). */
  readonly shape: FieldShape;
  /** Angular samples N (> 2M so the DFT round trip is exact); default {@link defaultSamples}. */
  readonly samples?: number;
  /** 'relu' (default), 'leaky' (slope {@link LEAKY_SLOPE} below 0) or 'silu' (x·σ(x): smooth, so its harmonics fall off fast and sampling aliases far less). */
  readonly kind?: RegularNonlinearityKind;
}

/** Slope of the leaky variant for negative samples. */
export const LEAKY_SLOPE = 0.1;

/** Default N = 4M + 4 (12 for M = 2): about twice the Nyquist count 2M + 1, so aliasing of the ReLU's harmonics stays small. */
export function defaultSamples(maxOrder: number): number {
  return 4 * maxOrder + 4;
}

/**
 * Regular nonlinearity: per vertex and channel, sample f(t_j) = a0 + Σ_n a_n cos(n t_j) + b_n sin(n t_j)
 * at t_j = 2πj / N, apply ReLU (or leaky ReLU) to each sample, and project back to orders 0..M
 * (a0 = mean, a_n = (2/N) Σ f cos, b_n = (2/N) Σ f sin). A rotation by a multiple of 2π/N permutes
 * the samples, so it commutes exactly; other rotations only approximately (error shrinks as N grows).
 * No parameters.
 */
export class RegularNonlinearity {
  /** Floats of the parameter slice: none. */
  readonly parameterCount = 0;
  readonly shape: FieldShape;
  /** N. */
  readonly samples: number;
  readonly kind: RegularNonlinearityKind;
  /** Synthesis table: basis function d (1, cos t, sin t, cos 2t, …) at sample j, at [d · N + j]. */
  private readonly synthesis: Float64Array;
  /** Analysis table: the DFT weights (1/N, (2/N) cos(n t_j), (2/N) sin(n t_j)) at [d · N + j]. */
  private readonly analysis: Float64Array;
  private readonly values: Float64Array;
  private readonly grads: Float64Array;
  /** Half-period table of the unrolled M = 2, even-N kernels (regular-nonlinearity-order2); null otherwise. */
  private readonly order2: Float64Array | null;
  /** The SiLU forward and backward of that case as WebAssembly SIMD (N a multiple of 4), where available. */
  private readonly simdSilu: SimdSiluOrder2 | null;

  constructor(spec: RegularNonlinearitySpec) {
    this.shape = spec.shape;
    const M = spec.shape.maxOrder;
    this.samples = spec.samples ?? defaultSamples(M);
    if (this.samples <= 2 * M) throw new Error(`RegularNonlinearity: ${this.samples} samples cannot represent order ${M}; use more than ${2 * M}`);
    this.kind = spec.kind ?? 'relu';
    const N = this.samples, D = 2 * M + 1;
    this.synthesis = new Float64Array(D * N);
    this.analysis = new Float64Array(D * N);
    for (let j = 0; j < N; j++) {
      this.synthesis[j] = 1;
      this.analysis[j] = 1 / N;
      for (let n = 1; n <= M; n++) {
        const t = (2 * Math.PI * n * j) / N;
        this.synthesis[(2 * n - 1) * N + j] = Math.cos(t);
        this.synthesis[2 * n * N + j] = Math.sin(t);
        this.analysis[(2 * n - 1) * N + j] = (2 / N) * Math.cos(t);
        this.analysis[2 * n * N + j] = (2 / N) * Math.sin(t);
      }
    }
    this.values = new Float64Array(N);
    this.grads = new Float64Array(N);
    this.order2 = M === 2 && N % 2 === 0 ? halfPeriodTable(N) : null;
    this.simdSilu = this.order2 !== null && this.kind === 'silu' ? SimdSiluOrder2.create(N, this.order2) : null;
  }

  /** No parameters to initialise. */
  initialise(_params: Float32Array, _random: () => number): void {}

  /** out[j] = Σ_d field[base + d] · table[d · N + j]: the N samples of one channel (or, with the analysis table, the adjoint of the projection). */
  private synthesise(field: Float32Array, base: number, table: Float64Array, out: Float64Array): void {
    const N = this.samples, D = 2 * this.shape.maxOrder + 1;
    const x0 = field[base]!;
    for (let j = 0; j < N; j++) out[j] = x0 * table[j]!;
    for (let d = 1; d < D; d++) {
      const x = field[base + d]!;
      if (x === 0) continue;
      for (let j = 0, t = d * N; j < N; j++, t++) out[j] += x * table[t]!;
    }
  }

  /** field[base + d] = Σ_j values[j] · table[d · N + j]. */
  private project(values: Float64Array, table: Float64Array, field: Float32Array, base: number): void {
    const N = this.samples, D = 2 * this.shape.maxOrder + 1;
    for (let d = 0, t = 0; d < D; d++) {
      let s = 0;
      for (let j = 0; j < N; j++, t++) s += values[j]! * table[t]!;
      field[base + d] = s;
    }
  }

  /** output = nonlinearity(input), both V · fieldWidth(shape). */
  forward(input: Float32Array, output: Float32Array): void {
    const M = this.shape.maxOrder, N = this.samples, D = 2 * M + 1, { synthesis, analysis, values } = this;
    const slope = this.kind === 'leaky' ? LEAKY_SLOPE : 0;
    const silu = this.kind === 'silu';
    const channels = input.length / D;
    if (M === 0) {
      // Invariant channels sample to N equal values: the layer is f itself, without the N samples.
      for (let ch = 0; ch < channels; ch++) output[ch] = activate(input[ch]!, silu, slope);
      return;
    }
    if (this.simdSilu !== null) {
      this.simdSilu.forward(input, output);
      return;
    }
    if (this.order2 !== null) {
      forwardOrder2(input, output, N, this.order2, silu, slope);
      return;
    }
    for (let ch = 0; ch < channels; ch++) {
      const base = ch * D;
      this.synthesise(input, base, synthesis, values);
      if (silu) {
        for (let j = 0; j < N; j++) { const f = values[j]!; values[j] = f / (1 + Math.exp(-f)); }
      } else {
        for (let j = 0; j < N; j++) { const f = values[j]!; values[j] = f > 0 ? f : slope * f; }
      }
      this.project(values, analysis, output, base);
    }
  }

  /** Overwrites gradInput with d loss / d input (the subgradient of ReLU at 0 is taken as 0). */
  backward(input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array): void {
    const M = this.shape.maxOrder, N = this.samples, D = 2 * M + 1, { synthesis, analysis, values, grads } = this;
    const slope = this.kind === 'leaky' ? LEAKY_SLOPE : 0;
    const silu = this.kind === 'silu';
    const channels = input.length / D;
    if (M === 0) {
      for (let ch = 0; ch < channels; ch++) gradInput[ch] = gradOutput[ch]! * derivative(input[ch]!, silu, slope);
      return;
    }
    if (this.simdSilu !== null) {
      this.simdSilu.backward(input, gradOutput, gradInput);
      return;
    }
    if (this.order2 !== null) {
      backwardOrder2(input, gradOutput, gradInput, N, this.order2, silu, slope);
      return;
    }
    for (let ch = 0; ch < channels; ch++) {
      const base = ch * D;
      this.synthesise(input, base, synthesis, values);
      // d loss / d sample j = Σ_d gradOutput_d · analysis[d][j], times the pointwise derivative.
      this.synthesise(gradOutput, base, analysis, grads);
      for (let j = 0; j < N; j++) grads[j] = grads[j]! * derivative(values[j]!, silu, slope);
      this.project(grads, synthesis, gradInput, base);
    }
  }
}

