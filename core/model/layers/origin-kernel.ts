import { fieldWidth, type FieldShape } from './feature-layout.js';

// The kernel of a GEM convolution at r = 0, where θ is undefined: only its average over θ,
// avg_θ ρ_out(θ) W ρ_in(−θ), is gauge-equivariant. It keeps order 0 → 0 and reduces each
// order n → n block to a·I + b·J (the part commuting with rotations); other blocks average to 0.

/** Visits the blocks of the θ-average at r = 0: order-0 entries and order-n 2×2 blocks of equal order. */
function forEachOriginBlock(
  inShape: FieldShape,
  outShape: FieldShape,
  visit: (row: number, col: number, order: number) => void,
): void {
  const Din = 2 * inShape.maxOrder + 1, Dout = 2 * outShape.maxOrder + 1;
  const orders = Math.min(inShape.maxOrder, outShape.maxOrder);
  for (let co = 0; co < outShape.channels; co++) {
    for (let ci = 0; ci < inShape.channels; ci++) {
      for (let n = 0; n <= orders; n++) visit(co * Dout + Math.max(0, 2 * n - 1), ci * Din + Math.max(0, 2 * n - 1), n);
    }
  }
}

/** kernel = avg_θ ρ_out(θ) W_0 ρ_in(−θ) as a dense outWidth × inWidth matrix. */
export function projectOriginKernel(params: Float32Array, inShape: FieldShape, outShape: FieldShape, kernel: Float64Array): void {
  const inW = fieldWidth(inShape);
  kernel.fill(0);
  forEachOriginBlock(inShape, outShape, (row, col, order) => {
    const i = row * inW + col;
    if (order === 0) {
      kernel[i] = params[i]!;
      return;
    }
    // [[p, q], [r, s]] → a·I + b·J, a = (p + s)/2, b = (r − q)/2: the part commuting with rotations.
    const a = (params[i]! + params[i + inW + 1]!) / 2, b = (params[i + inW]! - params[i + 1]!) / 2;
    kernel[i] = a; kernel[i + 1] = -b; kernel[i + inW] = b; kernel[i + inW + 1] = a;
  });
}

/** gradParams(W_0) += P(grad): the projection is an orthogonal projection, so its adjoint is itself. */
export function addProjectedOriginGradient(grad: Float64Array, inShape: FieldShape, outShape: FieldShape, gradParams: Float32Array): void {
  const inW = fieldWidth(inShape);
  forEachOriginBlock(inShape, outShape, (row, col, order) => {
    const i = row * inW + col;
    if (order === 0) {
      gradParams[i] += grad[i]!;
      return;
    }
    const a = (grad[i]! + grad[i + inW + 1]!) / 2, b = (grad[i + inW]! - grad[i + 1]!) / 2;
    gradParams[i] += a; gradParams[i + 1] -= b; gradParams[i + inW] += b; gradParams[i + inW + 1] += a;
  });
}
