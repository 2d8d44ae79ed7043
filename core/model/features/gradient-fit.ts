/**
 * Gradient of a scalar field per row by least squares over the row's neighbours:
 * f_q − f_p ≈ ∇f · u_pq with u_pq = r (cos θ, sin θ) the log-map position of q in p's frame.
 * Returns (∂f/∂e1, ∂f/∂e2) per row, in f's units per mesh unit; rotating the frame by φ
 * rotates the pair by −φ. Rows whose neighbours do not span the plane get zeros.
 */
export function fitGradients(
  offsets: Uint32Array,
  neighbours: Uint32Array,
  logMapRadius: ArrayLike<number>,
  logMapAngle: ArrayLike<number>,
  values: ArrayLike<number>,
): Float64Array {
  const rows = offsets.length - 1;
  const out = new Float64Array(2 * rows);
  for (let p = 0; p < rows; p++) {
    let suu = 0, suv = 0, svv = 0, su = 0, sv = 0;
    const fp = values[p]!;
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) {
      const r = logMapRadius[e]!, a = logMapAngle[e]!;
      const u = r * Math.cos(a), v = r * Math.sin(a);
      const df = values[neighbours[e]!]! - fp;
      suu += u * u;
      suv += u * v;
      svv += v * v;
      su += u * df;
      sv += v * df;
    }
    const det = suu * svv - suv * suv;
    // Collinear or missing neighbours leave the gradient undetermined.
    if (!(det > 1e-12 * (suu + svv) * (suu + svv))) continue;
    out[2 * p] = (svv * su - suv * sv) / det;
    out[2 * p + 1] = (suu * sv - suv * su) / det;
  }
  return out;
}
