const NAME = 'nearestVertices';

// About four grid cells per point: few points per occupied cell on a surface, memory linear in n.
const CELLS_PER_POINT = 4;

/** A dense uniform grid over a point set: points bucketed by cell with a counting sort. */
interface PointGrid {
  readonly min: Float64Array;
  /** Cell edge length, the same along every axis. */
  readonly cell: number;
  /** Cells along x, y, z (at least 1 each). */
  readonly dims: Uint32Array;
  /** Cell c holds points order[start[c]], …, order[start[c + 1] − 1]; cell index x + dx·(y + dy·z). */
  readonly start: Uint32Array;
  readonly order: Uint32Array;
}

/**
 * The nearest point of `positions` (xyz per point) to each query (xyz per query), exact by
 * Euclidean distance, ties going to the lower index. A uniform grid over the points' bounding box
 * is searched in growing shells of cells around the query's cell until no unvisited cell can be
 * nearer: O(points + queries) for queries near the points (on the same surface), slower only for
 * queries far from every point. Throws when `positions` is empty or not finite.
 */
export function nearestVertices(positions: Float64Array | Float32Array, queries: Float64Array | Float32Array): Uint32Array {
  const n = positions.length / 3;
  if (n < 1 || !Number.isInteger(n)) throw new RangeError(`${NAME}: positions must hold at least one xyz triple, got ${positions.length} numbers`);
  if (queries.length % 3 !== 0) throw new RangeError(`${NAME}: queries must hold xyz triples, got ${queries.length} numbers`);
  const grid = buildPointGrid(positions);
  const { min, cell, dims, start, order } = grid;
  const dx = dims[0]!, dy = dims[1]!, dz = dims[2]!;
  const result = new Uint32Array(queries.length / 3);
  // One closure per call, its state in these locals: no allocation per query.
  let qx = 0, qy = 0, qz = 0, best = -1, bestDistance = Infinity;
  const visit = (c: number) => {
    for (let s = start[c]!, e = start[c + 1]!; s < e; s++) {
      const p = order[s]!;
      const ex = positions[3 * p]! - qx, ey = positions[3 * p + 1]! - qy, ez = positions[3 * p + 2]! - qz;
      const d = ex * ex + ey * ey + ez * ez;
      if (d < bestDistance || (d === bestDistance && p < best)) bestDistance = d, best = p;
    }
  };
  for (let q = 0; q < result.length; q++) {
    qx = queries[3 * q]!, qy = queries[3 * q + 1]!, qz = queries[3 * q + 2]!;
    best = -1, bestDistance = Infinity;
    const cx = clampCell((qx - min[0]!) / cell, dx), cy = clampCell((qy - min[1]!) / cell, dy), cz = clampCell((qz - min[2]!) / cell, dz);
    const maxShell = Math.max(dx, dy, dz);
    for (let k = 0; k <= maxShell; k++) {
      // Cells at Chebyshev distance k from the query's cell: the full shell faces on x and y, caps on z.
      const x0 = Math.max(cx - k, 0), x1 = Math.min(cx + k, dx - 1), y0 = Math.max(cy - k, 0), y1 = Math.min(cy + k, dy - 1);
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const onSide = Math.abs(x - cx) === k || Math.abs(y - cy) === k;
          const row = x + dx * y;
          if (onSide) {
            for (let z = Math.max(cz - k, 0), z1 = Math.min(cz + k, dz - 1); z <= z1; z++) visit(row + dx * dy * z);
          } else {
            if (cz - k >= 0) visit(row + dx * dy * (cz - k));
            if (cz + k < dz) visit(row + dx * dy * (cz + k));
          }
        }
      }
      // Cells k + 1 away are at least k cells from the query (also when it lies outside the box).
      if (best >= 0 && bestDistance <= (k * cell) ** 2) break;
    }
    result[q] = best;
  }
  return result;
}

function clampCell(t: number, cells: number): number {
  return t < 0 ? 0 : t >= cells ? cells - 1 : Math.floor(t);
}

function buildPointGrid(positions: Float64Array | Float32Array): PointGrid {
  const n = positions.length / 3;
  const min = new Float64Array([Infinity, Infinity, Infinity]), max = new Float64Array([-Infinity, -Infinity, -Infinity]);
  for (let i = 0; i < positions.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i + a]!;
      if (!Number.isFinite(v)) throw new RangeError(`${NAME}: point ${i / 3} has a non-finite coordinate`);
      if (v < min[a]!) min[a] = v;
      if (v > max[a]!) max[a] = v;
    }
  }
  const extent = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
  const target = CELLS_PER_POINT * n;
  // Flat axes (a plane, a line) get one cell and the cell size is solved over the other axes.
  const wide = extent.map((e) => e > 0);
  let cell = 1;
  for (let pass = 0; pass < 3; pass++) {
    const axes = extent.filter((_, a) => wide[a]);
    if (axes.length === 0) break;
    cell = Math.pow(axes.reduce((p, e) => p * e, 1) / target, 1 / axes.length);
    let changed = false;
    for (let a = 0; a < 3; a++) if (wide[a] && extent[a]! < cell) wide[a] = false, changed = true;
    if (!changed) break;
  }
  if (!(cell > 0)) cell = 1;
  const dims = new Uint32Array(extent.map((e) => Math.min(Math.max(1, Math.ceil(e / cell)), target)));
  const cellCount = dims[0]! * dims[1]! * dims[2]!;
  const cellOf = new Uint32Array(n);
  const start = new Uint32Array(cellCount + 1);
  for (let p = 0; p < n; p++) {
    const x = clampCell((positions[3 * p]! - min[0]!) / cell, dims[0]!);
    const y = clampCell((positions[3 * p + 1]! - min[1]!) / cell, dims[1]!);
    const z = clampCell((positions[3 * p + 2]! - min[2]!) / cell, dims[2]!);
    const c = x + dims[0]! * (y + dims[1]! * z);
    cellOf[p] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < cellCount; c++) start[c + 1] += start[c]!;
  const order = new Uint32Array(n);
  const fill = start.slice(0, cellCount);
  for (let p = 0; p < n; p++) order[fill[cellOf[p]!]!++] = p;
  return { min, cell, dims, start, order };
}
