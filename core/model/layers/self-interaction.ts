import { fieldWidth, type FieldShape } from './feature-layout.js';
import { fillNormal } from './initialisation.js';
import { SimdSelfInteraction } from './self-interaction-simd.js';

/** Shape of a {@link SelfInteraction}. */
export interface SelfInteractionSpec {
  /** Input field shape. */
  readonly in: FieldShape;
  /** Output field shape. */
  readonly out: FieldShape;
  /** Learned bias on the ρ0 coefficient of each output channel. */
  readonly bias: boolean;
}

/**
 * Per-vertex linear map that commutes with rotations (Schur): order 0 is a dense C_out × C_in
 * matrix; for each order n ≤ min(M_in, M_out) every (out, in) channel pair maps the order-n
 * pair by a·I + b·J, J(x, y) = (−y, x). Output orders above M_in are 0 (plus nothing).
 *
 * Parameters, in order: W0 (C_out × C_in, row-major); for n = 1..min(M_in, M_out) the pairs
 * (a, b) at [(n − 1) · C_out · C_in + co · C_in + ci] · 2; then C_out biases.
 * Count: C_out · C_in · (1 + 2 · min(M_in, M_out)) + (bias ? C_out : 0).
 *
 * Where WebAssembly SIMD is available and both channel counts are multiples of 4, both passes run
 * as four-lane float32 kernels (self-interaction-simd.ts); otherwise as the loops below.
 */
export class SelfInteraction {
  /** Floats of the parameter slice. */
  readonly parameterCount: number;
  readonly spec: SelfInteractionSpec;
  private readonly orders: number;
  private readonly simd: SimdSelfInteraction | null;

  constructor(spec: SelfInteractionSpec) {
    this.spec = spec;
    this.orders = Math.min(spec.in.maxOrder, spec.out.maxOrder);
    this.simd = SimdSelfInteraction.create(spec);
    const pairs = spec.out.channels * spec.in.channels;
    this.parameterCount = pairs * (1 + 2 * this.orders) + (spec.bias ? spec.out.channels : 0);
  }

  /** He initialisation: W0 ~ N(0, 2 / C_in), a and b ~ N(0, 1 / C_in) (so a·I + b·J has the gain of W0), biases 0. */
  initialise(params: Float32Array, random: () => number): void {
    const pairs = this.spec.out.channels * this.spec.in.channels;
    fillNormal(params.subarray(0, pairs), Math.sqrt(2 / this.spec.in.channels), random);
    fillNormal(params.subarray(pairs, pairs * (1 + 2 * this.orders)), Math.sqrt(1 / this.spec.in.channels), random);
    params.fill(0, pairs * (1 + 2 * this.orders), this.parameterCount);
  }

  /** output (V · outWidth) from input (V · inWidth). */
  forward(params: Float32Array, input: Float32Array, output: Float32Array): void {
    if (this.simd !== null) return this.simd.forward(params, input, output);
    const Cin = this.spec.in.channels, Cout = this.spec.out.channels;
    const Din = 2 * this.spec.in.maxOrder + 1, Dout = 2 * this.spec.out.maxOrder + 1;
    const inW = fieldWidth(this.spec.in), outW = fieldWidth(this.spec.out);
    const V = input.length / inW, pairs = Cout * Cin, biasBase = pairs * (1 + 2 * this.orders);
    output.fill(0, 0, V * outW);
    for (let v = 0; v < V; v++) {
      const x0 = v * inW, y0 = v * outW;
      for (let co = 0; co < Cout; co++) {
        const y = y0 + co * Dout;
        let s = this.spec.bias ? params[biasBase + co]! : 0;
        for (let ci = 0; ci < Cin; ci++) s += params[co * Cin + ci]! * input[x0 + ci * Din]!;
        output[y] = s;
        for (let n = 1; n <= this.orders; n++) {
          const pb = pairs + ((n - 1) * pairs + co * Cin) * 2;
          let sa = 0, sb = 0;
          for (let ci = 0; ci < Cin; ci++) {
            const a = params[pb + 2 * ci]!, b = params[pb + 2 * ci + 1]!;
            const xa = input[x0 + ci * Din + 2 * n - 1]!, xb = input[x0 + ci * Din + 2 * n]!;
            sa += a * xa - b * xb;
            sb += b * xa + a * xb;
          }
          output[y + 2 * n - 1] = sa;
          output[y + 2 * n] = sb;
        }
      }
    }
  }

  /** Accumulates d loss / d params; overwrites gradInput (skipped when null). */
  backward(params: Float32Array, input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array | null, gradParams: Float32Array): void {
    if (this.simd !== null) return this.simd.backward(params, input, gradOutput, gradInput, gradParams);
    const Cin = this.spec.in.channels, Cout = this.spec.out.channels;
    const Din = 2 * this.spec.in.maxOrder + 1, Dout = 2 * this.spec.out.maxOrder + 1;
    const inW = fieldWidth(this.spec.in), outW = fieldWidth(this.spec.out);
    const V = input.length / inW, pairs = Cout * Cin, biasBase = pairs * (1 + 2 * this.orders);
    if (gradInput !== null) gradInput.fill(0, 0, V * inW);
    for (let v = 0; v < V; v++) {
      const x0 = v * inW, y0 = v * outW;
      for (let co = 0; co < Cout; co++) {
        const y = y0 + co * Dout;
        const g0 = gradOutput[y]!;
        if (this.spec.bias) gradParams[biasBase + co] += g0;
        for (let ci = 0; ci < Cin; ci++) {
          gradParams[co * Cin + ci] += g0 * input[x0 + ci * Din]!;
          if (gradInput !== null) gradInput[x0 + ci * Din] += g0 * params[co * Cin + ci]!;
        }
        for (let n = 1; n <= this.orders; n++) {
          const pb = pairs + ((n - 1) * pairs + co * Cin) * 2;
          const ga = gradOutput[y + 2 * n - 1]!, gb = gradOutput[y + 2 * n]!;
          for (let ci = 0; ci < Cin; ci++) {
            const i = x0 + ci * Din + 2 * n - 1;
            const xa = input[i]!, xb = input[i + 1]!;
            // out = (a xa − b xb, b xa + a xb)
            gradParams[pb + 2 * ci] += ga * xa + gb * xb;
            gradParams[pb + 2 * ci + 1] += gb * xa - ga * xb;
            if (gradInput !== null) {
              const a = params[pb + 2 * ci]!, b = params[pb + 2 * ci + 1]!;
              gradInput[i] += a * ga + b * gb;
              gradInput[i + 1] += a * gb - b * ga;
            }
          }
        }
      }
    }
  }
}
