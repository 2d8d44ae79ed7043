/**
 * Neighbourhoods of vertices in compressed sparse rows grouped by target: row p lists the
 * vertices q whose features are gathered at p, so a kernel sums one row per output vertex
 * with no atomics. Row p never contains p itself.
 *
 * Conventions, for every entry (p, q):
 * - `logMapRadius` r_pq ≥ 0 and `logMapAngle` θ_pq ∈ (−π, π] are q's polar coordinates in p's
 *   tangent frame: θ is measured from e1_p towards e2_p = n_p × e1_p. Rotating p's frame by φ
 *   (e1' = cos φ e1 + sin φ e2) changes θ_pq to θ_pq − φ.
 * - `transportAngle` g_{q→p} ∈ (−π, π] is the angle, in p's frame, of q's e1 carried to p by
 *   Levi-Civita transport (along the edge for a 1-ring, composed along the path for a patch).
 *   A vector at angle α in q's frame arrives at angle α + g_{q→p}; a feature of order n is
 *   rotated by n·g. Rotating the frames by φ_p and φ_q changes it to g + φ_q − φ_p.
 * - r is in the mesh's own units; a model normalises it by a resolution-independent length.
 * - Angles are stored as float32, where π is fround(π), the float32 nearest π (8.7e-8 above it);
 *   an angle that would round to −fround(π) is stored as fround(π), so none is below −π.
 */
export interface Neighbourhood {
  /** Row starts: entries of vertex p are offsets[p] .. offsets[p + 1] − 1. Length V + 1. */
  readonly offsets: Uint32Array;
  /** Source vertex q of each entry, ascending within a row. */
  readonly neighbours: Uint32Array;
  /** r_pq per entry, mesh units. */
  readonly logMapRadius: Float32Array;
  /** θ_pq per entry, radians. */
  readonly logMapAngle: Float32Array;
  /** g_{q→p} per entry, radians. */
  readonly transportAngle: Float32Array;
}

/** A square sparse matrix in compressed sparse rows, columns ascending within a row. */
export interface SparseMatrix {
  readonly size: number;
  readonly offsets: Uint32Array;
  readonly columns: Uint32Array;
  readonly values: Float64Array;
}
