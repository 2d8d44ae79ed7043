/**
 * One step of midpoint subdivision (each triangle into four, shared edge midpoints), used to
 * grow a bundled scan into a benchmark-sized mesh with the scan's shape and irregularity.
 */
export function subdivideMidpoint(positions: Float32Array, triangles: Uint32Array): { positions: Float32Array; triangles: Uint32Array } {
  const vertexCount = positions.length / 3;
  const triangleCount = triangles.length / 3;
  // Edge midpoints keyed by (min, max) vertex pair; a bench-only helper, so a Map is fine here.
  const midpointOf = new Map<number, number>();
  const out: number[] = Array.from(positions);
  const midpoint = (a: number, b: number): number => {
    const key = Math.min(a, b) * vertexCount + Math.max(a, b);
    let m = midpointOf.get(key);
    if (m === undefined) {
      m = out.length / 3;
      out.push((positions[3 * a]! + positions[3 * b]!) / 2, (positions[3 * a + 1]! + positions[3 * b + 1]!) / 2, (positions[3 * a + 2]! + positions[3 * b + 2]!) / 2);
      midpointOf.set(key, m);
    }
    return m;
  };
  const result = new Uint32Array(triangleCount * 12);
  for (let t = 0; t < triangleCount; t++) {
    const a = triangles[3 * t]!, b = triangles[3 * t + 1]!, c = triangles[3 * t + 2]!;
    const ab = midpoint(a, b), bc = midpoint(b, c), ca = midpoint(c, a);
    result.set([a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca], 12 * t);
  }
  return { positions: Float32Array.from(out), triangles: result };
}
