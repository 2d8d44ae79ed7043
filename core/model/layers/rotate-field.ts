import { fieldWidth, type FieldShape } from './feature-layout.js';

/**
 * Rotates, in place, every order-n pair of vertex v by sign · n · angles[v] (see feature-layout
 * for the convention). A gauge change rotating vertex v's frame by φ_v is
 * `rotateField(field, shape, phi, -1)`.
 *
 * @param field V · fieldWidth(shape) floats, changed in place and returned.
 * @param angles one angle per vertex, radians.
 * @param sign +1 or −1 (any factor is allowed).
 */
export function rotateField(field: Float32Array, shape: FieldShape, angles: ArrayLike<number>, sign: number): Float32Array {
  const width = fieldWidth(shape);
  const D = 2 * shape.maxOrder + 1;
  const vertexCount = angles.length;
  for (let v = 0; v < vertexCount; v++) {
    const alpha = sign * angles[v]!;
    const c1 = Math.cos(alpha), s1 = Math.sin(alpha);
    // cos(nα), sin(nα) by the angle-addition recurrence: no trig per order.
    let cn = 1, sn = 0;
    for (let n = 1; n <= shape.maxOrder; n++) {
      const c = cn * c1 - sn * s1;
      sn = sn * c1 + cn * s1;
      cn = c;
      for (let ch = 0; ch < shape.channels; ch++) {
        const i = v * width + ch * D + 2 * n - 1;
        const a = field[i]!, b = field[i + 1]!;
        field[i] = cn * a - sn * b;
        field[i + 1] = sn * a + cn * b;
      }
    }
  }
  return field;
}
