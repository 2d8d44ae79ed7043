import type { Mesh, SourceMesh } from '../../../core/mesh/mesh.js';
import { NO_VERTEX } from '../../../core/mesh/mesh.js';

/** A SourceMesh of one primitive from plain arrays. */
export function sourceOf(positions: ArrayLike<number>, triangles: ArrayLike<number>, file = 'test'): SourceMesh {
  const vertexCount = positions.length / 3;
  return {
    file,
    positions: Float32Array.from(positions),
    triangles: Uint32Array.from(triangles),
    primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount }],
  };
}

/**
 * What a repaired mesh must satisfy, as a list of violations (empty when valid): indices in range,
 * no degenerate or duplicate faces, every edge in at most two faces, every vertex used and with
 * its faces forming one fan (connected through edges it shares with exactly two faces), and every
 * source vertex mapped to NO_VERTEX or to a vertex at exactly its position.
 */
export function meshViolations(mesh: Mesh, source?: SourceMesh): string[] {
  const problems: string[] = [];
  const T = mesh.triangles, n = mesh.positions.length / 3, m = T.length / 3;
  const edges = new Map<string, number>(), faces = new Set<string>(), used = new Uint8Array(n);
  const around = new Map<number, number[]>();
  for (let f = 0; f < m; f++) {
    const t = [T[3 * f]!, T[3 * f + 1]!, T[3 * f + 2]!];
    if (t.some((v) => v >= n)) problems.push(`face ${f} has an index out of range`);
    if (new Set(t).size < 3) problems.push(`face ${f} repeats a vertex`);
    const key = [...t].sort((a, b) => a - b).join(',');
    if (faces.has(key)) problems.push(`face ${f} duplicates an earlier one`);
    faces.add(key);
    for (let k = 0; k < 3; k++) {
      const a = t[k]!, b = t[(k + 1) % 3]!;
      used[a] = 1;
      const edge = a < b ? `${a},${b}` : `${b},${a}`;
      edges.set(edge, (edges.get(edge) ?? 0) + 1);
      if (!around.has(a)) around.set(a, []);
      around.get(a)!.push(f);
    }
  }
  for (const [edge, count] of edges) if (count > 2) problems.push(`edge ${edge} is in ${count} faces`);
  for (let v = 0; v < n; v++) if (!used[v]) problems.push(`vertex ${v} is unused`);
  for (const [v, list] of around) {
    const parent = new Map(list.map((f) => [f, f]));
    const find = (f: number): number => (parent.get(f) === f ? f : find(parent.get(f)!));
    const byNeighbour = new Map<number, number[]>();
    for (const f of list) {
      for (let k = 0; k < 3; k++) {
        const w = T[3 * f + k]!;
        if (w === v) continue;
        if (!byNeighbour.has(w)) byNeighbour.set(w, []);
        byNeighbour.get(w)!.push(f);
      }
    }
    for (const shared of byNeighbour.values()) if (shared.length === 2) parent.set(find(shared[0]!), find(shared[1]!));
    const fans = new Set(list.map(find)).size;
    if (fans > 1) problems.push(`vertex ${v} has ${fans} fans`);
  }
  if (source) {
    for (let s = 0; s < source.positions.length / 3; s++) {
      const v = mesh.sourceToMesh[s]!;
      if (v === NO_VERTEX) continue;
      if (v >= n) problems.push(`source vertex ${s} maps out of range`);
      else if ([0, 1, 2].some((k) => mesh.positions[3 * v + k] !== source.positions[3 * s + k])) problems.push(`source vertex ${s} maps elsewhere`);
    }
  }
  return problems;
}
