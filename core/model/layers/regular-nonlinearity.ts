import type { FieldShape } from './feature-layout.js';

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
  /** cos(n t_j) at [j · M + n − 1]. */
  private readonly cos: Float64Array;
  /** sin(n t_j), same layout. */
  private readonly sin: Float64Array;
  private readonly values: Float64Array;
  private readonly grads: Float64Array;

  constructor(spec: RegularNonlinearitySpec) {
    this.shape = spec.shape;
    const M = spec.shape.maxOrder;
    this.samples = spec.samples ?? defaultSamples(M);
    if (this.samples <= 2 * M) throw new Error(`RegularNonlinearity: ${this.samples} samples cannot represent order ${M}; use more than ${2 * M}`);
    this.kind = spec.kind ?? 'relu';
    this.cos = new Float64Array(this.samples * M);
    this.sin = new Float64Array(this.samples * M);
    for (let j = 0; j < this.samples; j++) {
      for (let n = 1; n <= M; n++) {
        const t = (2 * Math.PI * n * j) / this.samples;
        this.cos[j * M + n - 1] = Math.cos(t);
        this.sin[j * M + n - 1] = Math.sin(t);
      }
    }
    this.values = new Float64Array(this.samples);
    this.grads = new Float64Array(this.samples);
  }

  /** No parameters to initialise. */
  initialise(_params: Float32Array, _random: () => number): void {}

  /** Samples channel at `base` of `input` into this.values. */
  private sample(input: Float32Array, base: number): void {
    const M = this.shape.maxOrder, N = this.samples, { cos, sin, values } = this;
    const a0 = input[base]!;
    for (let j = 0; j < N; j++) {
      let f = a0;
      for (let n = 1; n <= M; n++) f += input[base + 2 * n - 1]! * cos[j * M + n - 1]! + input[base + 2 * n]! * sin[j * M + n - 1]!;
      values[j] = f;
    }
  }

  /** output = nonlinearity(input), both V · fieldWidth(shape). */
  forward(input: Float32Array, output: Float32Array): void {
    const M = this.shape.maxOrder, N = this.samples, D = 2 * M + 1, { cos, sin, values } = this;
    const slope = this.kind === 'leaky' ? LEAKY_SLOPE : 0;
    const silu = this.kind === 'silu';
    const channels = input.length / D;
    if (M === 0) {
      // Invariant channels sample to N equal values: the layer is f itself, without the N samples.
      for (let ch = 0; ch < channels; ch++) {
        const f = input[ch]!;
        output[ch] = activate(f, silu, slope);
      }
      return;
    }
    for (let ch = 0; ch < channels; ch++) {
      const base = ch * D;
      this.sample(input, base);
      let s0 = 0;
      for (let j = 0; j < N; j++) {
        const f = values[j]!;
        const y = activate(f, silu, slope);
        values[j] = y;
        s0 += y;
      }
      output[base] = s0 / N;
      for (let n = 1; n <= M; n++) {
        let sa = 0, sb = 0;
        for (let j = 0; j < N; j++) {
          sa += values[j]! * cos[j * M + n - 1]!;
          sb += values[j]! * sin[j * M + n - 1]!;
        }
        output[base + 2 * n - 1] = (2 / N) * sa;
        output[base + 2 * n] = (2 / N) * sb;
      }
    }
  }

  /** Overwrites gradInput with d loss / d input (the subgradient of ReLU at 0 is taken as 0). */
  backward(input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array): void {
    const M = this.shape.maxOrder, N = this.samples, D = 2 * M + 1, { cos, sin, values, grads } = this;
    const slope = this.kind === 'leaky' ? LEAKY_SLOPE : 0;
    const silu = this.kind === 'silu';
    const channels = input.length / D;
    if (M === 0) {
      for (let ch = 0; ch < channels; ch++) {
        gradInput[ch] = gradOutput[ch]! * derivative(input[ch]!, silu, slope);
      }
      return;
    }
    for (let ch = 0; ch < channels; ch++) {
      const base = ch * D;
      this.sample(input, base);
      const g0 = gradOutput[base]! / N;
      for (let j = 0; j < N; j++) {
        let g = g0;
        for (let n = 1; n <= M; n++) g += (2 / N) * (gradOutput[base + 2 * n - 1]! * cos[j * M + n - 1]! + gradOutput[base + 2 * n]! * sin[j * M + n - 1]!);
        grads[j] = g * derivative(values[j]!, silu, slope);
      }
      let s0 = 0;
      for (let j = 0; j < N; j++) s0 += grads[j]!;
      gradInput[base] = s0;
      for (let n = 1; n <= M; n++) {
        let sa = 0, sb = 0;
        for (let j = 0; j < N; j++) {
          sa += grads[j]! * cos[j * M + n - 1]!;
          sb += grads[j]! * sin[j * M + n - 1]!;
        }
        gradInput[base + 2 * n - 1] = sa;
        gradInput[base + 2 * n] = sb;
      }
    }
  }
}


/** SiLU, x·σ(x), or (leaky) ReLU with the given slope below 0. */
function activate(x: number, silu: boolean, slope: number): number {
  return silu ? x / (1 + Math.exp(-x)) : x > 0 ? x : slope * x;
}

/** The derivative of {@link activate} (ReLU's subgradient at 0 taken as the slope). */
function derivative(x: number, silu: boolean, slope: number): number {
  if (!silu) return x > 0 ? 1 : slope;
  const sigmoid = 1 / (1 + Math.exp(-x));
  return sigmoid * (1 + x * (1 - sigmoid));
}
