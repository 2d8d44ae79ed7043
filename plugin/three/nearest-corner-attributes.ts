/** Marks a corner without a label (its vertex was dropped, or labels are not set yet): the overlay leaves it clear. */
export const UNLABELLED = -1;

/** Per-corner arrays of the overlay geometry: three corners per triangle, drawn without an index. */
export interface NearestCornerAttributes {
  /** xyz per corner. */
  readonly positions: Float32Array;
  /** (1,0,0), (0,1,0), (0,0,1) for a triangle's corners 0, 1, 2, as bytes (normalised to 0..1 in the shader). */
  readonly barycentric: Uint8Array;
}

/**
 * Expands an indexed (or non-indexed) triangle geometry into one vertex per triangle corner with
 * barycentric weights, so a fragment can find its nearest corner: the largest weight.
 * `positions` is flat xyz, three per vertex (a three.js attribute's `array` may be interleaved or
 * normalized integers: read it with `vertexPositions` first); `index` holds vertex numbers.
 */
export function nearestCornerAttributes(positions: ArrayLike<number>, index: ArrayLike<number> | null): NearestCornerAttributes {
  const cornerCount = index ? index.length : positions.length / 3;
  const out = new Float32Array(3 * cornerCount);
  const barycentric = new Uint8Array(3 * cornerCount);
  for (let c = 0; c < cornerCount; c++) {
    const v = index ? index[c]! : c;
    out[3 * c] = positions[3 * v]!;
    out[3 * c + 1] = positions[3 * v + 1]!;
    out[3 * c + 2] = positions[3 * v + 2]!;
    barycentric[3 * c + (c % 3)] = 255;
  }
  return { positions: out, barycentric };
}

/**
 * The three corner values of each triangle, repeated at each of its corners: corner c of triangle
 * t holds (value[a], value[b], value[c]) of t's vertices a, b, c. Interpolating a value that is the
 * same at all three corners gives it back exactly, so the fragment shader sees all three labels
 * and picks the nearest corner's: sharp boundaries inside triangles, as Polyscope draws them.
 * Labels equal to `missing` become {@link UNLABELLED}.
 */
export function cornerValues(values: ArrayLike<number>, index: ArrayLike<number> | null, cornerCount: number, missing = 0xffffffff, target?: Float32Array): Float32Array {
  const out = target ?? new Float32Array(3 * cornerCount);
  for (let t = 0; t < cornerCount; t += 3) {
    const a = index ? index[t]! : t, b = index ? index[t + 1]! : t + 1, c = index ? index[t + 2]! : t + 2;
    const va = a < values.length && values[a] !== missing ? values[a]! : UNLABELLED;
    const vb = b < values.length && values[b] !== missing ? values[b]! : UNLABELLED;
    const vc = c < values.length && values[c] !== missing ? values[c]! : UNLABELLED;
    for (let k = 0; k < 3; k++) {
      const base = 3 * (t + k);
      out[base] = va;
      out[base + 1] = vb;
      out[base + 2] = vc;
    }
  }
  return out;
}

/** Which corner (0, 1, 2) of a triangle is nearest a point with barycentric weights (u, v, w): the largest weight, ties to the lower corner. */
export function nearestCorner(u: number, v: number, w: number): 0 | 1 | 2 {
  if (u >= v && u >= w) return 0;
  return v >= w ? 1 : 2;
}
