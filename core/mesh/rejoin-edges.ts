import type { VertexFans } from './vertex-fans.js';

// Beyond this many non-manifold edges at one end, faces simply stay detached (bounds the checks).
const MAX_RUNS_AT_VERTEX = 64;

/**
 * The fan walk treats every face of a non-manifold edge as detached there, so each fan is a path
 * or a cycle and no edge keeps more than two faces; faces that still share both ends (a disk with
 * a fin keeps its disk) stay together. This re-joins, on each such edge, pairs of faces left alone
 * (see choosePair) by giving them the same copies of both ends again, unless a non-manifold edge
 * at those ends would then hold more than two faces. `runs` are `[count, half-edges…]` from
 * pairHalfedges, first face first.
 */
export function rejoinNonManifoldEdges(triangles: Uint32Array, runs: Uint32Array, fans: VertexFans): void {
  const cornerVertex = (fans.cornerVertex ??= triangles.slice());
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    for (let p = parent.get(root); p !== undefined; p = parent.get(root)) root = p;
    return root;
  };
  const next = (h: number) => (h % 3 === 2 ? h - 2 : h + 1);
  const starts: number[] = [];
  const runsAt = new Map<number, number[]>();
  for (let r = 0; r < runs.length; r += 1 + runs[r]!) {
    starts.push(r);
    const h = runs[r + 1]!;
    for (const v of [triangles[h]!, triangles[next(h)]!]) {
      const list = runsAt.get(v);
      if (list) list.push(r);
      else runsAt.set(v, [r]);
    }
  }
  // Copies of the run's smaller and larger end vertex at half-edge h, after pending merges `merge`.
  const ends = (h: number, low: number, merge: (x: number) => number): [number, number] => {
    const [at, to] = triangles[h] === low ? [h, next(h)] : [next(h), h];
    return [merge(find(cornerVertex[at]!)), merge(find(cornerVertex[to]!))];
  };
  // True when every edge of the runs at `vertices` keeps at most two faces under `merge`.
  const fits = (vertices: number[], merge: (x: number) => number): boolean => {
    for (const v of vertices) {
      for (const r of runsAt.get(v)!) {
        const k = runs[r]!, h0 = runs[r + 1]!;
        const low = Math.min(triangles[h0]!, triangles[next(h0)]!);
        const keys = Array.from({ length: k }, (_, i) => ends(runs[r + 1 + i]!, low, merge));
        for (let i = 0; i < k; i++) {
          let same = 0;
          for (let j = 0; j < k; j++) if (keys[j]![0] === keys[i]![0] && keys[j]![1] === keys[i]![1]) same++;
          if (same > 2) return false;
        }
      }
    }
    return true;
  };

  for (const r of starts) {
    const k = runs[r]!, h0 = runs[r + 1]!;
    const u = triangles[h0]!, w = triangles[next(h0)]!, low = Math.min(u, w);
    if (runsAt.get(u)!.length > MAX_RUNS_AT_VERTEX || runsAt.get(w)!.length > MAX_RUNS_AT_VERTEX) continue;
    const half = Array.from({ length: k }, (_, i) => runs[r + 1 + i]!);
    const key = (h: number) => ends(h, low, (x) => x).join(',');
    const alone = half.filter((h) => half.filter((g) => key(g) === key(h)).length === 1);
    while (alone.length >= 2) {
      const [i, j] = choosePair(alone, (h) => ends(h, low, (x) => x), (h) => triangles[h]!);
      const first = alone[i]!, partner = alone[j]!;
      const [a1, b1] = ends(first, low, (x) => x), [a2, b2] = ends(partner, low, (x) => x);
      // The smaller id survives, so a vertex keeps its own id over a copy's.
      const merge = (x: number) => (x === a1 || x === a2 ? Math.min(a1, a2) : x === b1 || x === b2 ? Math.min(b1, b2) : x);
      if (fits([u, w], merge)) {
        if (a1 !== a2) parent.set(Math.max(a1, a2), Math.min(a1, a2));
        if (b1 !== b2) parent.set(Math.max(b1, b2), Math.min(b1, b2));
        alone.splice(j, 1);
      }
      alone.splice(i, 1);
    }
  }
  if (parent.size === 0) return;
  for (let c = 0; c < cornerVertex.length; c++) {
    const v = cornerVertex[c]!;
    if (parent.has(v)) cornerVertex[c] = find(v);
  }
}

/**
 * Which two of the lone faces on an edge to join: a pair already in one fan at either end (two
 * faces of one surface that only this edge had torn apart), else the first face and the first
 * later one running the other way, else the first two.
 */
function choosePair(alone: number[], ends: (h: number) => [number, number], from: (h: number) => number): [number, number] {
  for (let i = 0; i < alone.length; i++) {
    const [a, b] = ends(alone[i]!);
    for (let j = i + 1; j < alone.length; j++) {
      const [c, d] = ends(alone[j]!);
      if (a === c || b === d) return [i, j];
    }
  }
  const j = alone.findIndex((h, k) => k > 0 && from(h) !== from(alone[0]!));
  return [0, j < 0 ? 1 : j];
}
