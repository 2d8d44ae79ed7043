import { describe, expect, it } from 'vitest';
import type { Mesh } from '../../../../core/mesh/mesh.js';
import { computeInputFeatures } from '../../../../core/model/features/input-features.js';
import { graphDistances, heapDistances } from '../../../../core/model/features/graph-distances.js';
import { GRAPH_DISTANCES_KERNEL_BYTES } from '../../../../core/model/features/graph-distances-kernel.js';
import { levelGraph, type LevelGraph } from '../../../../core/model/features/level-graph.js';
import { entryHeights, fitShapeOperators } from '../../../../core/model/features/shape-operator-fit.js';
import { bumpySphere, icosphere, permuteVertices, randomSimilarity, seededRandom, torus } from '../../../fixtures/meshes.js';
import { featureAt, prepared } from './feature-helpers.js';

/** Raw shape operators of level 1 and its vertices, for checks against known curvature. */
function levelShape(mesh: Mesh) {
  const { geometry, hierarchy } = prepared(mesh);
  const level = hierarchy.levels[1]!;
  const n = level.neighbourhood!;
  const heights = entryHeights(mesh.positions, geometry.vertexNormals, level.vertices, n);
  return { geometry, level, shape: fitShapeOperators(n.offsets, n.logMapRadius, n.logMapAngle, heights) };
}

describe('computeInputFeatures', () => {
  it('lays channels out as ρ0 ⊕ … ⊕ ρM, leaving out orders above M', () => {
    const { mesh, geometry, hierarchy } = prepared(bumpySphere(3));
    const f = computeInputFeatures(mesh, geometry, hierarchy);
    expect(f.vertexCount).toBe(hierarchy.levels[1]!.vertices.length);
    expect(f.channels).toBe(f.names.length);
    expect(f.names.slice(0, 3)).toEqual(['geodesic-mean', 'geodesic-deviation', 'geodesic-maximum']);
    expect(f.names.slice(-2)).toEqual(['geodesic-mean-gradient', 'curvature-anisotropy']);
    expect(f.orders.slice(-3)).toEqual([0, 1, 2]);
    expect(f.names).toContain('mean-curvature-smoothed');
    expect(f.field.length).toBe(f.vertexCount * f.channels * 5);
    // Each channel uses only the slots of its order.
    for (let v = 0; v < f.vertexCount; v++) {
      f.orders.forEach((order, c) => {
        for (let slot = 0; slot < 5; slot++) {
          const used = order === 0 ? slot === 0 : slot === 2 * order - 1 || slot === 2 * order;
          if (!used) expect(featureAt(f, v, c, slot)).toBe(0);
        }
      });
    }
    expect(f.field.every((x) => Number.isFinite(x))).toBe(true);
    const invariant = computeInputFeatures(mesh, geometry, hierarchy, { maxOrder: 0, level: 2 });
    expect(invariant.orders.every((o) => o === 0)).toBe(true);
    expect(invariant.field.length).toBe(invariant.vertexCount * invariant.channels);
    expect(computeInputFeatures(mesh, geometry, hierarchy, { maxOrder: 3 }).field.length).toBe(f.vertexCount * f.channels * 7);
    expect(() => computeInputFeatures(mesh, geometry, hierarchy, { level: 0 })).toThrow(/computeInputFeatures: level/);
    expect(() => computeInputFeatures(mesh, geometry, hierarchy, { bins: 1 })).toThrow(/computeInputFeatures: bins/);
  });

  it('measures H·R ≈ 1, K·R² ≈ 1 and no anisotropy on a sphere, and a constant AGD', () => {
    const R = 3;
    const { level, shape } = levelShape(icosphere(4, R));
    let worstH = 0, worstK = 0, worstAnisotropy = 0;
    for (let p = 0; p < level.vertices.length; p++) {
      const s11 = shape[3 * p]!, s12 = shape[3 * p + 1]!, s22 = shape[3 * p + 2]!;
      worstH = Math.max(worstH, Math.abs(0.5 * (s11 + s22) * R - 1));
      worstK = Math.max(worstK, Math.abs((s11 * s22 - s12 * s12) * R * R - 1));
      worstAnisotropy = Math.max(worstAnisotropy, Math.hypot(s11 - s22, 2 * s12) * R);
    }
    console.log(`sphere: |H·R − 1| ≤ ${worstH.toFixed(4)}, |K·R² − 1| ≤ ${worstK.toFixed(4)}, |k1 − k2|·R ≤ ${worstAnisotropy.toFixed(4)}`);
    // Heights along a 0.18 R patch of a 0.077 R-edge icosphere: a few percent of discretisation error.
    expect(worstH).toBeLessThan(0.05);
    expect(worstK).toBeLessThan(0.1);
    expect(worstAnisotropy).toBeLessThan(0.1);
    const mesh = icosphere(4, R);
    const { geometry, hierarchy } = prepared(mesh);
    const f = computeInputFeatures(mesh, geometry, hierarchy);
    let lo = Infinity, hi = -Infinity;
    for (let v = 0; v < f.vertexCount; v++) {
      lo = Math.min(lo, featureAt(f, v, 0));
      hi = Math.max(hi, featureAt(f, v, 0));
    }
    console.log(`sphere: geodesic-mean within [${lo.toFixed(4)}, ${hi.toFixed(4)}] (standardised; raw ±${((0.25 * (hi - lo)) / 2).toFixed(4)})`);
    // In raw units of the mean distance: within ±1.5% of 1 (graph paths on the FPS samples).
    expect(0.25 * (hi - lo)).toBeLessThan(0.03);
  });

  it('finds the larger principal curvature around the tube on a torus', () => {
    const mesh = torus(160, 60, 1, 0.35);
    const { geometry, level, shape } = levelShape(mesh);
    const x = mesh.positions;
    let checked = 0, worst = 0;
    for (let p = 0; p < level.vertices.length; p++) {
      const m = level.vertices[p]!;
      const px = x[3 * m]!, py = x[3 * m + 1]!, pz = x[3 * m + 2]!;
      if (Math.abs(pz) > 0.05 || Math.hypot(px, py) < 1) continue; // outer equator: k1 = 1/r around the tube, along z
      const s11 = shape[3 * p]!, s12 = shape[3 * p + 1]!, s22 = shape[3 * p + 2]!;
      const alpha = 0.5 * Math.atan2(2 * s12, s11 - s22);
      const dz = Math.cos(alpha) * geometry.frameX[3 * m + 2]! + Math.sin(alpha) * geometry.frameY[3 * m + 2]!;
      worst = Math.max(worst, Math.acos(Math.min(1, Math.abs(dz))));
      const k1k2 = Math.hypot(s11 - s22, 2 * s12);
      expect(k1k2).toBeGreaterThan(0.8 * (1 / 0.35 - 1 / 1.35));
      checked++;
    }
    console.log(`torus: ${checked} outer-equator vertices, principal direction within ${worst.toFixed(3)} rad of the tube's circle`);
    expect(checked).toBeGreaterThan(5);
    // Measured 0.105 rad: the torus's random diagonals tilt the discrete exponential map a little.
    expect(worst).toBeLessThan(0.15);
  });

  it('is unchanged by a rigid motion with uniform scaling', () => {
    const mesh = bumpySphere(4, 2, 0.3);
    const a = prepared(mesh);
    const moved = randomSimilarity(7).apply(mesh);
    const b = prepared(moved);
    expect(b.hierarchy.levels[1]!.vertices).toEqual(a.hierarchy.levels[1]!.vertices);
    const fa = computeInputFeatures(a.mesh, a.geometry, a.hierarchy), fb = computeInputFeatures(b.mesh, b.geometry, b.hierarchy);
    let worst = 0;
    for (let i = 0; i < fa.field.length; i++) worst = Math.max(worst, Math.abs(fa.field[i]! - fb.field[i]!));
    console.log(`similarity: largest feature change ${worst.toExponential(2)}`);
    // Frames move with the surface, so ρ1 and ρ2 agree too; float32 geometry rounds at 1e-6, curvature fits amplify it.
    expect(worst).toBeLessThan(1e-3);
  });

  it('permutes with the vertices', () => {
    const mesh = bumpySphere(4, 3, 0.3);
    const a = prepared(mesh);
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 4);
    const b = prepared(permuted);
    const fa = computeInputFeatures(a.mesh, a.geometry, a.hierarchy), fb = computeInputFeatures(b.mesh, b.geometry, b.hierarchy);
    const va = a.hierarchy.levels[1]!.vertices, vb = b.hierarchy.levels[1]!.vertices;
    const indexB = new Map(Array.from(vb, (v, i) => [v, i]));
    const width = fa.channels * 5;
    let worst = 0;
    for (let i = 0; i < va.length; i++) {
      const j = indexB.get(newIndexOf[va[i]!]!)!;
      for (let k = 0; k < width; k++) worst = Math.max(worst, Math.abs(fa.field[i * width + k]! - fb.field[j * width + k]!));
    }
    console.log(`permutation: largest feature change ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('levelGraph and graphDistances', () => {
  it('make a symmetric metric out of directed patches', () => {
    const { hierarchy } = prepared(bumpySphere(3));
    const graph = levelGraph(hierarchy.levels[2]!.neighbourhood!);
    for (let p = 0; p < graph.vertexCount; p++) {
      for (let e = graph.offsets[p]!; e < graph.offsets[p + 1]!; e++) {
        const q = graph.neighbours[e]!;
        let back = -1;
        for (let f = graph.offsets[q]!; f < graph.offsets[q + 1]!; f++) if (graph.neighbours[f] === p) back = f;
        expect(back).toBeGreaterThanOrEqual(0);
        expect(graph.weights[back]).toBe(graph.weights[e]);
        if (e > graph.offsets[p]!) expect(q).toBeGreaterThan(graph.neighbours[e - 1]!);
      }
    }
    const n = graph.vertexCount;
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    const d = graphDistances(graph, all);
    for (let i = 0; i < n; i++) {
      expect(d[i * n + i]).toBe(0);
      for (let j = 0; j < i; j++) expect(d[i * n + j]).toBeCloseTo(d[j * n + i]!, 12);
    }
  });
});

describe('graphDistances', () => {
  /** A connected random graph: a ring plus chords, symmetric weights between `shortest` and `shortest · spread`. */
  function randomGraph(n: number, chords: number, shortest: number, spread: number, seed: number): LevelGraph {
    const random = seededRandom(seed);
    const edges = new Map<string, number>();
    const add = (a: number, b: number) => {
      if (a !== b) edges.set(a < b ? `${a},${b}` : `${b},${a}`, shortest * (1 + (spread - 1) * random()));
    };
    for (let i = 0; i < n; i++) add(i, (i + 1) % n);
    for (let c = 0; c < chords; c++) add(Math.floor(random() * n), Math.floor(random() * n));
    const rows: [number, number][][] = Array.from({ length: n }, () => []);
    for (const [key, w] of edges) {
      const [a, b] = key.split(',').map(Number) as [number, number];
      rows[a]!.push([b, w]);
      rows[b]!.push([a, w]);
    }
    for (const row of rows) row.sort((x, y) => x[0] - y[0]);
    const offsets = new Uint32Array(n + 1);
    rows.forEach((row, i) => (offsets[i + 1] = offsets[i]! + row.length));
    return { vertexCount: n, offsets, neighbours: Uint32Array.from(rows.flat(), ([q]) => q), weights: Float64Array.from(rows.flat(), ([, w]) => w) };
  }

  it('equals a heap Dijkstra bit for bit, on level graphs and on random ones, in WebAssembly and in JavaScript', () => {
    const { hierarchy } = prepared(bumpySphere(3));
    const graphs = [
      // Long edges first: 40 buckets wide, so the kernel's pool (64 entries at first) must grow, rerunning the source.
      randomGraph(300, 200, 1e-3, 40, 5),
      levelGraph(hierarchy.levels[1]!.neighbourhood!),
      levelGraph(hierarchy.levels[2]!.neighbourhood!),
      randomGraph(500, 900, 0.01, 3, 4),
    ];
    for (const graph of graphs) {
      const sources = Uint32Array.from({ length: 25 }, (_, i) => (i * 37) % graph.vertexCount);
      const heap = heapDistances(graph, sources);
      expect(graphDistances(graph, sources)).toEqual(heap);
      expect(graphDistances(graph, sources, { webAssembly: false })).toEqual(heap);
    }
    // Chrome refuses synchronous compiles over 4 KiB on the main thread (the kernel would fall back to JavaScript there).
    expect(GRAPH_DISTANCES_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('falls back to the heap on a zero-length edge, and leaves other components at Infinity', () => {
    const graph = randomGraph(50, 30, 0.1, 2, 6);
    // The ring edge 0–1 made zero-length both ways, as two vertices at one position would make it.
    const entryOf = (p: number, q: number) => graph.offsets[p]! + Array.from(graph.neighbours.subarray(graph.offsets[p]!, graph.offsets[p + 1]!)).indexOf(q);
    const weights = graph.weights.slice();
    weights[entryOf(0, 1)] = 0;
    weights[entryOf(1, 0)] = 0;
    const zero = { ...graph, weights };
    expect(graphDistances(zero, Uint32Array.of(0, 7))).toEqual(heapDistances(zero, Uint32Array.of(0, 7)));
    expect(graphDistances(zero, Uint32Array.of(0))[1]).toBe(0);
    // Two copies side by side, unconnected.
    const n = graph.vertexCount;
    const twice: LevelGraph = {
      vertexCount: 2 * n,
      offsets: Uint32Array.from([...graph.offsets, ...Array.from(graph.offsets.subarray(1), (o) => o + graph.neighbours.length)]),
      neighbours: Uint32Array.from([...graph.neighbours, ...Array.from(graph.neighbours, (q) => q + n)]),
      weights: Float64Array.from([...graph.weights, ...graph.weights]),
    };
    for (const webAssembly of [true, false]) {
      const d = graphDistances(twice, Uint32Array.of(3, n + 5), { webAssembly });
      expect(d.subarray(n, 2 * n).every((x) => x === Infinity)).toBe(true);
      expect(d.subarray(0, n).every((x) => Number.isFinite(x))).toBe(true);
      expect(d.subarray(2 * n, 3 * n).every((x) => x === Infinity)).toBe(true);
      expect(d.subarray(3 * n).every((x) => Number.isFinite(x))).toBe(true);
    }
  });
});
