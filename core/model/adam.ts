/** Options of {@link AdamW}. */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay per unit learning rate (Loshchilov & Hutter). */
  weightDecay?: number;
}

/** Defaults of {@link AdamWOptions}. */
export const ADAMW_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 } as const;

/** Adam with decoupled weight decay over one flat parameter vector; its moments are part of a checkpoint. */
export class AdamW {
  readonly firstMoment: Float32Array;
  readonly secondMoment: Float32Array;
  step = 0;
  private readonly options: Required<AdamWOptions>;

  constructor(parameterCount: number, options: AdamWOptions = {}) {
    this.firstMoment = new Float32Array(parameterCount);
    this.secondMoment = new Float32Array(parameterCount);
    this.options = { ...ADAMW_DEFAULTS, ...options };
  }

  /** One update of `parameters` in place with the learning rate `rate`. */
  update(parameters: Float32Array, gradients: Float32Array, rate: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    this.step++;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = 1 - beta2 ** this.step;
    const m = this.firstMoment;
    const v = this.secondMoment;
    for (let i = 0; i < parameters.length; i++) {
      const g = gradients[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      const update = m[i]! / correction1 / (Math.sqrt(v[i]! / correction2) + epsilon);
      parameters[i] = parameters[i]! - rate * (update + weightDecay * parameters[i]!);
    }
  }
}

/** Learning rate at `progress` ∈ [0, 1] of training: linear warm-up over the first `warmup`, then cosine decay to `floor`·peak. */
export function learningRate(peak: number, progress: number, warmup = 0.03, floor = 0.02): number {
  if (progress < warmup) return peak * (progress + 1e-3) / warmup;
  const t = (progress - warmup) / (1 - warmup);
  return peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
}
