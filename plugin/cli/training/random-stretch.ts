import { randomRotation } from '../../../core/geometry/random-rotation.js';

/** A linear map of positions, row-major 3×3. */
export type Stretch = readonly number[];

/**
 * R · diag(s) · Rᵀ with R a uniformly random rotation and each s log-uniform in
 * [1 / largest, largest]: the same body with other proportions (longer limbs, a wider torso), which
 * the network's invariance to rigid motion and uniform scale does not cover.
 */
export function randomStretch(random: () => number, largest: number): Stretch {
  const r = randomRotation(random);
  const s = [0, 1, 2].map(() => Math.exp(Math.log(largest) * (2 * random() - 1)));
  const m = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) m[3 * i + j]! += r[3 * i + k]! * s[k]! * r[3 * j + k]!;
    }
  }
  return m;
}

/** `stretch` applied to every xyz triple of `positions`, as a new array. */
export function stretchPositions(positions: Float64Array, stretch: Stretch): Float64Array {
  const a = stretch;
  const out = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i]!, y = positions[i + 1]!, z = positions[i + 2]!;
    out[i] = a[0]! * x + a[1]! * y + a[2]! * z;
    out[i + 1] = a[3]! * x + a[4]! * y + a[5]! * z;
    out[i + 2] = a[6]! * x + a[7]! * y + a[8]! * z;
  }
  return out;
}
