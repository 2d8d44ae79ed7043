import { activate, derivative } from './pointwise-activation.js';

// The regular nonlinearity for band limit M = 2 and an even sample count N, the default
// architecture's case, unrolled over the 5 coefficients of a channel. Sample j + N/2 sits at
// t_j + π, where order n turns by (−1)^n: f_j = E_j + O_j and f_{j+N/2} = E_j − O_j with E the
// orders 0 and 2 and O order 1, so each half-table entry serves two samples.

/** cos t_j, sin t_j, cos 2t_j, sin 2t_j for j < N/2, at [d · N/2 + j] with d = 0..3. */
export function halfPeriodTable(samples: number): Float64Array {
  const H = samples / 2, table = new Float64Array(4 * H);
  for (let j = 0; j < H; j++) {
    const t = (2 * Math.PI * j) / samples;
    table[j] = Math.cos(t);
    table[H + j] = Math.sin(t);
    table[2 * H + j] = Math.cos(2 * t);
    table[3 * H + j] = Math.sin(2 * t);
  }
  return table;
}

/** output = nonlinearity(input) for M = 2, channel by channel (5 floats each). */
export function forwardOrder2(input: Float32Array, output: Float32Array, samples: number, table: Float64Array, silu: boolean, slope: number): void {
  const H = samples / 2, channels = input.length / 5, a0 = 1 / samples, a = 2 / samples;
  for (let ch = 0, b = 0; ch < channels; ch++, b += 5) {
    const x0 = input[b]!, x1 = input[b + 1]!, x2 = input[b + 2]!, x3 = input[b + 3]!, x4 = input[b + 4]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    for (let j = 0; j < H; j++) {
      const c1 = table[j]!, n1 = table[H + j]!, c2 = table[2 * H + j]!, n2 = table[3 * H + j]!;
      const even = x0 + x3 * c2 + x4 * n2, odd = x1 * c1 + x2 * n1;
      const y0 = activate(even + odd, silu, slope), y1 = activate(even - odd, silu, slope);
      const sum = y0 + y1, diff = y0 - y1;
      s0 += sum; s1 += diff * c1; s2 += diff * n1; s3 += sum * c2; s4 += sum * n2;
    }
    output[b] = a0 * s0; output[b + 1] = a * s1; output[b + 2] = a * s2; output[b + 3] = a * s3; output[b + 4] = a * s4;
  }
}

/** Overwrites gradInput with d loss / d input for M = 2: the adjoint DFT, the pointwise derivative, the adjoint sampling. */
export function backwardOrder2(input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array, samples: number, table: Float64Array, silu: boolean, slope: number): void {
  const H = samples / 2, channels = input.length / 5, a0 = 1 / samples, a = 2 / samples;
  for (let ch = 0, b = 0; ch < channels; ch++, b += 5) {
    const x0 = input[b]!, x1 = input[b + 1]!, x2 = input[b + 2]!, x3 = input[b + 3]!, x4 = input[b + 4]!;
    const g0 = a0 * gradOutput[b]!, g1 = a * gradOutput[b + 1]!, g2 = a * gradOutput[b + 2]!, g3 = a * gradOutput[b + 3]!, g4 = a * gradOutput[b + 4]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    for (let j = 0; j < H; j++) {
      const c1 = table[j]!, n1 = table[H + j]!, c2 = table[2 * H + j]!, n2 = table[3 * H + j]!;
      const even = x0 + x3 * c2 + x4 * n2, odd = x1 * c1 + x2 * n1;
      const gEven = g0 + g3 * c2 + g4 * n2, gOdd = g1 * c1 + g2 * n1;
      const h0 = (gEven + gOdd) * derivative(even + odd, silu, slope), h1 = (gEven - gOdd) * derivative(even - odd, silu, slope);
      const sum = h0 + h1, diff = h0 - h1;
      s0 += sum; s1 += diff * c1; s2 += diff * n1; s3 += sum * c2; s4 += sum * n2;
    }
    gradInput[b] = s0; gradInput[b + 1] = s1; gradInput[b + 2] = s2; gradInput[b + 3] = s3; gradInput[b + 4] = s4;
  }
}
