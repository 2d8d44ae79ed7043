import { fieldWidth, type FieldShape } from './feature-layout.js';

/** Writes the ρ0 coefficient of every channel of `field` into `out` as V × C (the gauge-invariant part). */
export function invariantPart(field: Float32Array, shape: FieldShape, out: Float32Array): void {
  const W = fieldWidth(shape), D = 2 * shape.maxOrder + 1, C = shape.channels, V = field.length / W;
  for (let v = 0; v < V; v++) for (let c = 0; c < C; c++) out[v * C + c] = field[v * W + c * D]!;
}

/** Backward of {@link invariantPart}: overwrites gradField with gradOut at the ρ0 slots and 0 elsewhere. */
export function invariantPartBackward(gradOut: Float32Array, shape: FieldShape, gradField: Float32Array): void {
  const W = fieldWidth(shape), D = 2 * shape.maxOrder + 1, C = shape.channels, V = gradOut.length / C;
  gradField.fill(0, 0, V * W);
  for (let v = 0; v < V; v++) for (let c = 0; c < C; c++) gradField[v * W + c * D] = gradOut[v * C + c]!;
}
