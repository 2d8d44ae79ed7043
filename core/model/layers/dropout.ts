import type { FieldShape } from './feature-layout.js';

/** Options of a {@link ChannelDropout}. */
export interface ChannelDropoutSpec {
  /** Field shape (input = output). */
  readonly shape: FieldShape;
  /** Probability of dropping a channel at a vertex, in [0, 1). */
  readonly probability: number;
}

/**
 * Dropout of whole channels per vertex: all 2M + 1 coefficients of a channel at a vertex are
 * zeroed together (dropping single coefficients of a pair would break equivariance), kept ones
 * scaled by 1 / (1 − p). The mask of the last training forward is kept for backward.
 */
export class ChannelDropout {
  /** Floats of the parameter slice: none. */
  readonly parameterCount = 0;
  readonly shape: FieldShape;
  readonly probability: number;
  /** Per (vertex, channel) of the last training forward: 1 / (1 − p) when kept, 0 when dropped. */
  private mask = new Float64Array(0);
  private training = false;

  constructor(spec: ChannelDropoutSpec) {
    if (!(spec.probability >= 0 && spec.probability < 1)) throw new Error(`ChannelDropout: probability ${spec.probability} is not in [0, 1)`);
    this.shape = spec.shape;
    this.probability = spec.probability;
  }

  /** Copies input to output, dropping channels when `training` (mask drawn from `random`, one draw per vertex and channel). */
  forward(input: Float32Array, output: Float32Array, random: () => number, training: boolean): void {
    const D = 2 * this.shape.maxOrder + 1, count = input.length / D;
    this.training = training && this.probability > 0;
    if (!this.training) {
      output.set(input.subarray(0, count * D));
      return;
    }
    if (this.mask.length < count) this.mask = new Float64Array(count);
    const keep = 1 / (1 - this.probability);
    for (let ch = 0; ch < count; ch++) {
      const m = random() < this.probability ? 0 : keep;
      this.mask[ch] = m;
      for (let i = ch * D; i < (ch + 1) * D; i++) output[i] = m * input[i]!;
    }
  }

  /** Overwrites gradInput with the mask of the last forward applied to gradOutput. */
  backward(gradOutput: Float32Array, gradInput: Float32Array): void {
    const D = 2 * this.shape.maxOrder + 1, count = gradOutput.length / D;
    if (!this.training) {
      gradInput.set(gradOutput.subarray(0, count * D));
      return;
    }
    for (let ch = 0; ch < count; ch++) {
      const m = this.mask[ch]!;
      for (let i = ch * D; i < (ch + 1) * D; i++) gradInput[i] = m * gradOutput[i]!;
    }
  }
}
