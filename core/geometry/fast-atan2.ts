/**
 * A polynomial atan2 for the geometry's inner loops, where `Math.atan2` (about 25 ns in V8)
 * would dominate: it runs twice per triangle and about one and a half times per 1-ring entry.
 *
 * Range reduction to t = min(|x|, |y|) / max(|x|, |y|) ∈ [0, 1], then atan(t) = t · P(t²) with a
 * degree-8 P fitted to minimise the largest error on [0, 1] (Lawson's iteration, our own fit),
 * evaluated in Estrin's scheme (shorter dependency chains than Horner's).
 *
 * Branch-free on purpose: the octant of a neighbour's direction is a coin toss for the branch
 * predictor, and a branchy version costs twice as much (17 against 8.5 ns on random directions).
 * The octant choices are made with comparisons turned into 0 or 1 and folded into arithmetic.
 */

/** Largest |fastAtan2(y, x) − Math.atan2(y, x)| over finite inputs of length above 1e-290, radians (measured 5.8e-9; bound with margin for rounding). */
export const FAST_ATAN2_MAX_ERROR = 1e-8;

// Minimax coefficients of atan(t) / t in powers of t², t ∈ [0, 1]; equioscillating error 5.76e-9.
const C0 = 0.99999988638285;
const C1 = -0.33332597026914096;
const C2 = 0.199859067436991;
const C3 = -0.14161229018796068;
const C4 = 0.10498945384736338;
const C5 = -0.07234855854160097;
const C6 = 0.039781205079912216;
const C7 = -0.014401346113505631;
const C8 = 0.002456721518165228;

const HALF_PI = Math.PI / 2;
const PI = Math.PI;
// Added to the divisor so that (0, 0) gives 0 instead of 0/0; it changes no quotient of vectors longer than 1e-290.
const TINY = 1e-300;

/**
 * The angle of (x, y) from the positive x axis, in (−π, π], within `FAST_ATAN2_MAX_ERROR` of
 * `Math.atan2(y, x)`. Unlike `Math.atan2`, it never returns −π (a y of −0, or so small that the
 * angle rounds to −π, gives +π), so the result always lies in the half-open interval the
 * Neighbourhood contract promises; (0, 0) gives 0; NaN gives NaN.
 */
export function fastAtan2(y: number, x: number): number {
  const ax = Math.abs(x), ay = Math.abs(y);
  // swap = 1 when |y| > |x|: then t = |x| / |y| and the angle is π/2 − atan(t).
  const swap = +(ay > ax);
  const d = swap * (ay - ax);
  const t = (ay - d) / (ax + d + TINY);
  const s = t * t, s2 = s * s, s4 = s2 * s2;
  let angle = t * ((C0 + C1 * s) + s2 * (C2 + C3 * s) + s4 * ((C4 + C5 * s) + s2 * (C6 + C7 * s) + s4 * C8));
  angle += swap * (HALF_PI - 2 * angle);
  angle += +(x < 0) * (PI - 2 * angle);
  angle *= 1 - 2 * +(y < 0);
  return angle === -PI ? PI : angle;
}
