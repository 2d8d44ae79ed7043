/**
 * The neighbourhood a convolution gathers over, in compressed sparse rows by output vertex
 * (target p). Sources index the input field, which may be another vertex set than the rows
 * (a convolution between hierarchy levels). Conventions as in core/geometry/neighbourhood.ts.
 * Layers treat it as immutable and cache per-entry trigonometry keyed on the object.
 */
export interface ConvNeighbourhood {
  /** Number of output vertices. */
  readonly rowCount: number;
  /** Row starts, length rowCount + 1: entries of p are offsets[p] .. offsets[p + 1] − 1. */
  readonly offsets: Uint32Array;
  /** Input-field vertex q of each entry. */
  readonly sources: Uint32Array;
  /** r_pq, normalised (dimensionless), ≥ 0; at r = 0 the angle θ is meaningless and ignored. */
  readonly radius: Float32Array;
  /** θ_pq in p's frame, radians (from e1_p towards e2_p). */
  readonly angle: Float32Array;
  /** g_{q→p}: transport angle of q's frame in p's frame, radians. */
  readonly transport: Float32Array;
}

/** Wraps an angle into (−π, π]. */
function wrapAngle(x: number): number {
  const twoPi = 2 * Math.PI;
  let y = x - twoPi * Math.round(x / twoPi);
  if (y <= -Math.PI) y += twoPi;
  return y;
}

/**
 * The same neighbourhood seen after a gauge change that rotates each target frame by
 * phiTarget[p] and each source frame by phiSource[q]: θ' = θ − φ_p, g' = g + φ_q − φ_p, both
 * wrapped into (−π, π]. Radii and topology are shared with the input (not copied).
 */
export function gaugeTransformNeighbourhood(
  nb: ConvNeighbourhood,
  phiTarget: ArrayLike<number>,
  phiSource: ArrayLike<number>,
): ConvNeighbourhood {
  const angle = new Float32Array(nb.angle.length);
  const transport = new Float32Array(nb.transport.length);
  for (let p = 0; p < nb.rowCount; p++) {
    const phiP = phiTarget[p]!;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      angle[e] = wrapAngle(nb.angle[e]! - phiP);
      transport[e] = wrapAngle(nb.transport[e]! + phiSource[nb.sources[e]!]! - phiP);
    }
  }
  return { rowCount: nb.rowCount, offsets: nb.offsets, sources: nb.sources, radius: nb.radius, angle, transport };
}
