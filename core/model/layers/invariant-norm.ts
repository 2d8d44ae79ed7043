import { fieldWidth, type FieldShape } from './feature-layout.js';

/** Options of an {@link InvariantNorm}. */
export interface InvariantNormSpec {
  /** Field shape (input = output). */
  readonly shape: FieldShape;
  /** Added to the mean square before the square root. Default 1e-5. */
  readonly epsilon?: number;
}

/**
 * Equivariant instance normalisation over the vertices of one mesh, per channel c and order n:
 * - n = 0: y = γ_{c,0} (x − μ) / sqrt(mean (x − μ)² + ε) + β_c (a shift is allowed only on ρ0);
 * - n > 0: y = γ_{c,n} x / sqrt(mean (a² + b²) + ε), so pairs are only scaled, never rotated.
 * Statistics are those of the current mesh (training and inference alike); every term is
 * gauge-invariant, so the layer is exactly equivariant. Backward is exact, including the
 * coupling of all vertices through the means.
 *
 * Parameters, in order: γ at [c · (M + 1) + n], then β_c. Count: C · (M + 2). Initialised γ = 1, β = 0.
 */
export class InvariantNorm {
  /** Floats of the parameter slice. */
  readonly parameterCount: number;
  readonly shape: FieldShape;
  readonly epsilon: number;
  /** Per (channel, order): mean, then 1 / sqrt(mean square + ε), of the last forward or backward. */
  private readonly mean: Float64Array;
  private readonly inverseScale: Float64Array;
  /** Per (channel, order): Σ_v g·x̂ and Σ_v g for the backward pass. */
  private readonly sumGradNormalised: Float64Array;
  private readonly sumGrad: Float64Array;

  constructor(spec: InvariantNormSpec) {
    this.shape = spec.shape;
    this.epsilon = spec.epsilon ?? 1e-5;
    const slots = spec.shape.channels * (spec.shape.maxOrder + 1);
    this.parameterCount = slots + spec.shape.channels;
    this.mean = new Float64Array(slots);
    this.inverseScale = new Float64Array(slots);
    this.sumGradNormalised = new Float64Array(slots);
    this.sumGrad = new Float64Array(slots);
  }

  /** γ = 1, β = 0. */
  initialise(params: Float32Array, _random: () => number): void {
    const slots = this.shape.channels * (this.shape.maxOrder + 1);
    params.fill(1, 0, slots);
    params.fill(0, slots, this.parameterCount);
  }

  /** Means and inverse scales of `input` per (channel, order). */
  private statistics(input: Float32Array): number {
    const { channels: C, maxOrder: M } = this.shape, D = 2 * M + 1, W = fieldWidth(this.shape);
    const V = input.length / W, { mean, inverseScale } = this;
    mean.fill(0);
    inverseScale.fill(0);
    for (let v = 0; v < V; v++) for (let c = 0; c < C; c++) mean[c * (M + 1)] += input[v * W + c * D]!;
    for (let c = 0; c < C; c++) mean[c * (M + 1)] /= V;
    for (let v = 0; v < V; v++) {
      for (let c = 0; c < C; c++) {
        const b = v * W + c * D, s = c * (M + 1);
        const x0 = input[b]! - mean[s]!;
        inverseScale[s] += x0 * x0;
        for (let n = 1; n <= M; n++) inverseScale[s + n] += input[b + 2 * n - 1]! ** 2 + input[b + 2 * n]! ** 2;
      }
    }
    for (let s = 0; s < inverseScale.length; s++) inverseScale[s] = 1 / Math.sqrt(inverseScale[s]! / V + this.epsilon);
    return V;
  }

  /** output = normalised input, both V · width with V ≥ 1. */
  forward(params: Float32Array, input: Float32Array, output: Float32Array): void {
    const { channels: C, maxOrder: M } = this.shape, D = 2 * M + 1, W = fieldWidth(this.shape);
    const V = this.statistics(input), { mean, inverseScale } = this, betaBase = C * (M + 1);
    for (let v = 0; v < V; v++) {
      for (let c = 0; c < C; c++) {
        const b = v * W + c * D, s = c * (M + 1);
        output[b] = params[s]! * (input[b]! - mean[s]!) * inverseScale[s]! + params[betaBase + c]!;
        for (let n = 1; n <= M; n++) {
          const k = params[s + n]! * inverseScale[s + n]!;
          output[b + 2 * n - 1] = k * input[b + 2 * n - 1]!;
          output[b + 2 * n] = k * input[b + 2 * n]!;
        }
      }
    }
  }

  /**
   * Accumulates dγ, dβ; overwrites gradInput (skipped when null). With x̂ the normalised input
   * and σ the scale: n = 0: dx = γ/σ (g − mean g − x̂ mean(g x̂)); n > 0: dx = γ/σ (g − x̂ mean(g·x̂)),
   * the means taken over vertices (and over both coefficients of a pair for g·x̂).
   */
  backward(params: Float32Array, input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array | null, gradParams: Float32Array): void {
    const { channels: C, maxOrder: M } = this.shape, D = 2 * M + 1, W = fieldWidth(this.shape);
    const V = this.statistics(input), { mean, inverseScale, sumGradNormalised, sumGrad } = this, betaBase = C * (M + 1);
    sumGradNormalised.fill(0);
    sumGrad.fill(0);
    for (let v = 0; v < V; v++) {
      for (let c = 0; c < C; c++) {
        const b = v * W + c * D, s = c * (M + 1);
        const g0 = gradOutput[b]!;
        sumGrad[s] += g0;
        sumGradNormalised[s] += g0 * (input[b]! - mean[s]!) * inverseScale[s]!;
        for (let n = 1; n <= M; n++) {
          const i = b + 2 * n - 1;
          sumGradNormalised[s + n] += (gradOutput[i]! * input[i]! + gradOutput[i + 1]! * input[i + 1]!) * inverseScale[s + n]!;
        }
      }
    }
    for (let c = 0; c < C; c++) {
      gradParams[betaBase + c] += sumGrad[c * (M + 1)]!;
      for (let n = 0; n <= M; n++) gradParams[c * (M + 1) + n] += sumGradNormalised[c * (M + 1) + n]!;
    }
    if (gradInput === null) return;
    for (let v = 0; v < V; v++) {
      for (let c = 0; c < C; c++) {
        const b = v * W + c * D, s = c * (M + 1);
        const r0 = inverseScale[s]!, xh = (input[b]! - mean[s]!) * r0;
        gradInput[b] = params[s]! * r0 * (gradOutput[b]! - sumGrad[s]! / V - xh * sumGradNormalised[s]! / V);
        for (let n = 1; n <= M; n++) {
          const i = b + 2 * n - 1, r = inverseScale[s + n]!, k = sumGradNormalised[s + n]! / V;
          gradInput[i] = params[s + n]! * r * (gradOutput[i]! - input[i]! * r * k);
          gradInput[i + 1] = params[s + n]! * r * (gradOutput[i + 1]! - input[i + 1]! * r * k);
        }
      }
    }
  }
}
