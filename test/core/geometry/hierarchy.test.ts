import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import type { GaugeGeometry } from '../../../core/geometry/gauge-geometry.js';
import { geodesicPatches } from '../../../core/geometry/geodesic-patches.js';
import { buildHierarchy, type Hierarchy, type HierarchyLevel, type HierarchyOptions } from '../../../core/geometry/hierarchy.js';
import type { Neighbourhood } from '../../../core/geometry/neighbourhood.js';
import { levelSurface, type LevelSurface } from '../../../core/geometry/level-surface.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { bumpySphere, permuteVertices, randomSimilarity, planeWithDuplicateAndIsolatedVertex } from '../../fixtures/meshes.js';

/** Two meshes as one, the second after the first. */
function union(a: Mesh, b: Mesh): Mesh {
  const n = a.positions.length / 3;
  const positions = new Float64Array(a.positions.length + b.positions.length);
  positions.set(a.positions);
  positions.set(b.positions, a.positions.length);
  const triangles = new Uint32Array(a.triangles.length + b.triangles.length);
  triangles.set(a.triangles);
  triangles.set(b.triangles.map((v) => v + n), a.triangles.length);
  return { ...a, positions, triangles, sourceToMesh: Uint32Array.from({ length: positions.length / 3 }, (_, i) => i) };
}

function angleDifference(a: number, b: number): number {
  const d = (a - b) % (2 * Math.PI);
  return d > Math.PI ? d - 2 * Math.PI : d <= -Math.PI ? d + 2 * Math.PI : d;
}

/** Multi-source path distances and nearest source, by a plain O(V²) Dijkstra written independently of the library. */
function plainNearest(
  n: number,
  offsets: Uint32Array,
  neighbours: Uint32Array,
  length: (v: number, e: number) => number,
  sources: Uint32Array,
): { distance: Float64Array; source: Int32Array } {
  const distance = new Float64Array(n).fill(Infinity);
  const source = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  for (const s of sources) {
    distance[s] = 0;
    source[s] = s;
  }
  for (;;) {
    let v = -1;
    for (let u = 0; u < n; u++) if (!done[u] && distance[u]! < Infinity && (v < 0 || distance[u]! < distance[v]!)) v = u;
    if (v < 0) break;
    done[v] = 1;
    for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
      const q = neighbours[e]!;
      const d = distance[v]! + length(v, e);
      if (d < distance[q]!) {
        distance[q] = d;
        source[q] = source[v]!;
      }
    }
  }
  return { distance, source };
}

/** Nearest source along mesh edges, their lengths from the positions. */
function nearestSource(mesh: Mesh, geometry: GaugeGeometry, sources: Uint32Array): { distance: Float64Array; source: Int32Array } {
  const { offsets, neighbours } = geometry.oneRing;
  const x = mesh.positions;
  const length = (v: number, e: number) => {
    const q = neighbours[e]!;
    return Math.hypot(x[3 * q]! - x[3 * v]!, x[3 * q + 1]! - x[3 * v + 1]!, x[3 * q + 2]! - x[3 * v + 2]!);
  };
  return plainNearest(geometry.vertexCount, offsets, neighbours, length, sources);
}

/**
 * Each fine vertex's parent log map and transport equal the entry of its parent's row in `patches`
 * (the same settling of the same vertices in the same order: equal, not just close); `fine` and
 * `centres` index the patches' rows. Returns how many entries were compared.
 */
function expectParentEntriesOf(level: HierarchyLevel, fine: Uint32Array, centres: Uint32Array, patches: Neighbourhood): number {
  let compared = 0;
  for (let i = 0; i < fine.length; i++) {
    const v = fine[i]!, c = centres[level.parent[i]!]!;
    if (v === c) continue;
    let e = patches.offsets[c]!;
    while (e < patches.offsets[c + 1]! && patches.neighbours[e] !== v) e++;
    expect(e).toBeLessThan(patches.offsets[c + 1]!); // a fine vertex lies within its parent's patch
    expect([level.parentLogMapRadius[i], level.parentLogMapAngle[i], level.parentTransportAngle[i]]).toEqual([patches.logMapRadius[e], patches.logMapAngle[e], patches.transportAngle[e]]);
    compared++;
  }
  return compared;
}

/** Levels `from` and up of `b` (built on the permuted mesh) are those of `a`, mapped by newIndexOf. */
function expectPermutedAlike(a: Hierarchy, b: Hierarchy, newIndexOf: Uint32Array, from: number): void {
  for (let k = from; k < a.levels.length; k++) {
    const la = a.levels[k]!, lb = b.levels[k]!;
    expect(lb.vertices).toEqual(Uint32Array.from(la.vertices, (v) => newIndexOf[v]!).sort());
    const finerA = a.levels[k - 1]!.vertices, finerB = b.levels[k - 1]!.vertices;
    const indexB = new Map(Array.from(finerB, (v, i) => [v, i]));
    for (let i = 0; i < finerA.length; i++) {
      const j = indexB.get(newIndexOf[finerA[i]!]!)!;
      expect(lb.vertices[lb.parent[j]!]).toBe(newIndexOf[la.vertices[la.parent[i]!]!]);
      // Frames follow the vertices here (no ties on the bumpy sphere), so the values agree up to the order of float sums.
      expect(Math.abs(lb.parentLogMapRadius[j]! - la.parentLogMapRadius[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(angleDifference(lb.parentLogMapAngle[j]!, la.parentLogMapAngle[i]!))).toBeLessThan(1e-5);
      expect(Math.abs(angleDifference(lb.parentTransportAngle[j]!, la.parentTransportAngle[i]!))).toBeLessThan(1e-5);
    }
  }
}

/** Two bumpy spheres side by side: levels `from` and up of the second are what it gets alone. */
function expectComponentsSampledAlone(options: HierarchyOptions, from: number): void {
  const a = bumpySphere(3, 2);
  const b = bumpySphere(3, 3);
  const shifted = { ...b, positions: b.positions.map((c, i) => (i % 3 === 0 ? c + 5 : c)) };
  const both = union(a, shifted);
  const whole = buildHierarchy(both, computeGaugeGeometry(both), options);
  const alone = buildHierarchy(shifted, computeGaugeGeometry(shifted), options);
  const n = a.positions.length / 3;
  for (let k = from; k < whole.levels.length; k++) {
    expect(whole.levels[k]!.vertices.filter((v) => v < n).length).toBeGreaterThan(0);
    expect(whole.levels[k]!.vertices.filter((v) => v >= n).map((v) => v - n)).toEqual(alone.levels[k]!.vertices);
  }
}

function levelSizes(hierarchy: Hierarchy): number[] {
  return hierarchy.levels.map((level) => level.vertices.length);
}

describe('buildHierarchy', () => {
  const mesh = bumpySphere(4);
  const geometry = computeGaugeGeometry(mesh);
  // Over the mesh every level is exact against mesh-wide references; the default builds levels 2–3 over level 1.
  const hierarchy = buildHierarchy(mesh, geometry, { coarseSurface: 'mesh' });

  it('nests ascending vertex subsets, level 0 being the mesh', () => {
    const { levels } = hierarchy;
    expect(levels.length).toBe(4);
    expect(levels[0]!.vertices).toEqual(Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i));
    expect(levels[0]!.parent.length).toBe(0);
    expect(levels[0]!.neighbourhood).toBeNull();
    for (let k = 1; k < levels.length; k++) {
      const coarse = levels[k]!.vertices, fine = new Set(levels[k - 1]!.vertices);
      for (let i = 0; i < coarse.length; i++) {
        expect(fine.has(coarse[i]!)).toBe(true);
        if (i > 0) expect(coarse[i]!).toBeGreaterThan(coarse[i - 1]!);
      }
    }
  });

  it('gives every finer vertex its nearest sample as parent, within the spacing', () => {
    const { levels } = hierarchy;
    for (let k = 1; k < levels.length; k++) {
      const level = levels[k]!, finer = levels[k - 1]!.vertices;
      expect(level.spacing).toBeCloseTo(0.02 * Math.sqrt(geometry.totalArea) * 2 ** (k - 1), 12);
      expect(level.parent.length).toBe(finer.length);
      const { distance, source } = nearestSource(mesh, geometry, level.vertices);
      for (let i = 0; i < finer.length; i++) {
        const v = finer[i]!, parent = level.vertices[level.parent[i]!]!;
        expect(parent).toBe(source[v]); // its Voronoi cell: no ties on the bumpy sphere
        // Edge paths are at least as long as geodesics, so this also bounds the geodesic distance.
        expect(distance[v]!).toBeLessThanOrEqual(level.spacing);
        if (parent === v) expect([level.parentLogMapRadius[i], level.parentLogMapAngle[i], level.parentTransportAngle[i]]).toEqual([0, 0, 0]);
      }
    }
  });

  it('keeps about a quarter of the vertices per doubling of the spacing over the mesh, at any resolution', () => {
    const sizes = levelSizes(hierarchy);
    // Measured 2562 → 1519 → 469 → 116 here (level 1's spacing is about one edge of this mesh).
    expect(sizes[2]! / sizes[3]!).toBeGreaterThan(3);
    expect(sizes[2]! / sizes[3]!).toBeLessThan(5);
    const finerMesh = bumpySphere(5);
    const finer = levelSizes(buildHierarchy(finerMesh, computeGaugeGeometry(finerMesh), { patchRadiusFactor: 0 }));
    // Measured 10242 → 1638 → 418 → 106: the sizes follow √(area), not the 4× more vertices.
    expect(finer[1]! / finer[2]!).toBeGreaterThan(3);
    expect(finer[1]! / finer[2]!).toBeLessThan(5);
    expect(finer[2]! / finer[3]!).toBeGreaterThan(3);
    expect(finer[2]! / finer[3]!).toBeLessThan(5);
    expect(Math.abs(finer[2]! / sizes[2]! - 1)).toBeLessThan(0.15);
    expect(Math.abs(finer[3]! / sizes[3]! - 1)).toBeLessThan(0.15);
  });

  it('agrees with the parents geodesic patches: same log map and transport, adjacent ones bit for bit', () => {
    let compared = 0;
    for (let k = 1; k < hierarchy.levels.length; k++) {
      const level = hierarchy.levels[k]!;
      const patches = geodesicPatches(mesh, geometry, { radius: 1.2 * level.spacing });
      compared += expectParentEntriesOf(level, hierarchy.levels[k - 1]!.vertices, level.vertices, patches);
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('gives each coarse level a convolution neighbourhood among its own vertices', () => {
    for (let k = 1; k < hierarchy.levels.length; k++) {
      const level = hierarchy.levels[k]!;
      const n = level.neighbourhood!;
      expect(n.offsets.length).toBe(level.vertices.length + 1);
      expect(Math.max(...n.neighbours)).toBeLessThan(level.vertices.length);
      const perRow = n.neighbours.length / level.vertices.length;
      // Measured 11.4, 14.0, 13.1 neighbours per row at 2.5 spacings.
      expect(perRow).toBeGreaterThan(8);
      expect(perRow).toBeLessThan(20);
      const direct = geodesicPatches(mesh, geometry, { radius: 2.5 * level.spacing, vertices: level.vertices });
      expect(n.neighbours).toEqual(direct.neighbours);
      expect(n.logMapAngle).toEqual(direct.logMapAngle);
    }
    expect(buildHierarchy(mesh, geometry, { patchRadiusFactor: 0 }).levels.every((level) => level.neighbourhood === null)).toBe(true);
  });

  it('picks the same samples and parents after a rigid motion with scaling', () => {
    const similarity = randomSimilarity(5);
    const moved = similarity.apply(mesh);
    const other = buildHierarchy(moved, computeGaugeGeometry(moved), { coarseSurface: 'mesh' });
    for (let k = 1; k < hierarchy.levels.length; k++) {
      const a = hierarchy.levels[k]!, b = other.levels[k]!;
      expect(b.vertices).toEqual(a.vertices);
      expect(b.parent).toEqual(a.parent);
      expect(b.spacing / a.spacing).toBeCloseTo(similarity.scale, 6);
      for (let i = 0; i < a.parent.length; i++) {
        // Float32 geometry of the moved mesh rounds differently: 1e-5 relative / rad.
        expect(Math.abs(b.parentLogMapRadius[i]! / similarity.scale - a.parentLogMapRadius[i]!)).toBeLessThan(1e-5 * a.spacing);
        expect(Math.abs(angleDifference(b.parentLogMapAngle[i]!, a.parentLogMapAngle[i]!))).toBeLessThan(1e-5);
        expect(Math.abs(angleDifference(b.parentTransportAngle[i]!, a.parentTransportAngle[i]!))).toBeLessThan(1e-5);
      }
      expect(b.neighbourhood!.neighbours).toEqual(a.neighbourhood!.neighbours);
    }
  });

  it('picks the same samples and parents after a vertex permutation, mapped', () => {
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 8);
    expectPermutedAlike(hierarchy, buildHierarchy(permuted, computeGaugeGeometry(permuted), { patchRadiusFactor: 0 }), newIndexOf, 1);
  });

  it('samples every connected component, each as it would be sampled alone', () => {
    expectComponentsSampledAlone({ spacings: [0.3, 0.6], patchRadiusFactor: 0 }, 1);
  });

  it('keeps an isolated vertex at every level and stays finite on a zero-length edge', () => {
    const { mesh: odd, duplicate: n } = planeWithDuplicateAndIsolatedVertex();
    const result = buildHierarchy(odd, computeGaugeGeometry(odd), { spacings: [0.2, 0.4] });
    for (let k = 1; k < result.levels.length; k++) {
      const level = result.levels[k]!;
      expect(level.vertices.includes(n + 1)).toBe(true);
      for (const values of [level.parentLogMapRadius, level.parentLogMapAngle, level.parentTransportAngle]) {
        expect(values.every((x) => Number.isFinite(x))).toBe(true);
      }
      expect(level.neighbourhood!.logMapRadius.every((x) => Number.isFinite(x))).toBe(true);
    }
  });

  it('stops at the requested vertex counts when given counts instead of spacings', () => {
    const counted = buildHierarchy(mesh, geometry, { vertexCounts: [600, 150, 40], coarseSurface: 'mesh' });
    expect(levelSizes(counted)).toEqual([geometry.vertexCount, 600, 150, 40]);
    // The reported spacing is the covering radius reached, so it bounds every parent distance.
    const last = counted.levels[3]!;
    const { distance } = nearestSource(mesh, geometry, last.vertices);
    for (const v of counted.levels[2]!.vertices) expect(distance[v]!).toBeLessThanOrEqual(last.spacing);
  });

  it('rejects inconsistent options', () => {
    expect(() => buildHierarchy(mesh, geometry, { levelCount: 5 })).toThrow(/buildHierarchy: levelCount/);
    expect(() => buildHierarchy(mesh, geometry, { spacings: [0.1], vertexCounts: [10] })).toThrow(/buildHierarchy: give spacings or vertexCounts/);
    expect(() => buildHierarchy(mesh, geometry, { spacings: [0.2, 0.1] })).toThrow(/buildHierarchy: spacings/);
  });
});

/** Nearest source along a level surface's edges, with their lengths. */
function nearestOnSurface(surface: LevelSurface, sources: Uint32Array): { distance: Float64Array; source: Int32Array } {
  const { offsets, neighbours, edgeLength } = surface.steps;
  return plainNearest(surface.geometry.vertexCount, offsets, neighbours, (_, e) => edgeLength[e]!, sources);
}

describe('buildHierarchy from another sampling start', () => {
  const mesh = bumpySphere(4);
  const geometry = computeGaugeGeometry(mesh);
  const options: HierarchyOptions = { samplingStart: 2 };
  const hierarchy = buildHierarchy(mesh, geometry, options);
  const usual = buildHierarchy(mesh, geometry);

  it('samples other vertices, about as many per level', () => {
    for (let k = 1; k < hierarchy.levels.length; k++) {
      const a = hierarchy.levels[k]!.vertices, b = usual.levels[k]!.vertices;
      expect(a).not.toEqual(b);
      // Sampling to a spacing ends at a count that depends on the start: 78–103 vertices at level 3 over starts 0–5 here.
      expect(Math.abs(a.length - b.length)).toBeLessThan(0.25 * b.length);
    }
  });

  it('picks the same samples and parents after a rigid motion with scaling', () => {
    const moved = randomSimilarity(6).apply(mesh);
    const other = buildHierarchy(moved, computeGaugeGeometry(moved), options);
    for (let k = 1; k < hierarchy.levels.length; k++) {
      expect(other.levels[k]!.vertices).toEqual(hierarchy.levels[k]!.vertices);
      expect(other.levels[k]!.parent).toEqual(hierarchy.levels[k]!.parent);
    }
  });

  it('picks the same samples and parents after a vertex permutation, mapped', () => {
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 9);
    expectPermutedAlike(hierarchy, buildHierarchy(permuted, computeGaugeGeometry(permuted), options), newIndexOf, 2);
  });

  it('samples every connected component, each as it would be sampled alone', () => {
    expectComponentsSampledAlone({ spacings: [0.15, 0.3, 0.6], samplingStart: 2 }, 1);
  });
});

describe('buildHierarchy over level 1 (the default)', () => {
  const mesh = bumpySphere(4);
  const geometry = computeGaugeGeometry(mesh);
  const overMesh = buildHierarchy(mesh, geometry, { coarseSurface: 'mesh' });
  const hierarchy = buildHierarchy(mesh, geometry);
  const level1 = hierarchy.levels[1]!;
  const surface = levelSurface(mesh, geometry, level1.vertices, level1.parent, level1.neighbourhood!);
  /** Level k's vertices as indices among level 1's. */
  const onSurface = (k: number): Uint32Array => Uint32Array.from(hierarchy.levels[k]!.vertices, (v) => level1.vertices.indexOf(v));

  it('builds level 1 exactly as over the mesh', () => {
    const a = overMesh.levels[1]!;
    expect(level1.vertices).toEqual(a.vertices);
    expect(level1.parent).toEqual(a.parent);
    expect(level1.parentLogMapAngle).toEqual(a.parentLogMapAngle);
    expect(level1.neighbourhood!.logMapAngle).toEqual(a.neighbourhood!.logMapAngle);
  });

  it('nests levels 2 and up in level 1, each parent the nearest sample over its edges, within the spacing', () => {
    for (let k = 2; k < hierarchy.levels.length; k++) {
      const level = hierarchy.levels[k]!;
      const finer = k === 2 ? Uint32Array.from(level1.vertices.keys()) : onSurface(k - 1);
      const samples = onSurface(k);
      expect(samples.every((i) => i >= 0)).toBe(true);
      expect(level.spacing).toBeCloseTo(0.02 * Math.sqrt(geometry.totalArea) * 2 ** (k - 1), 12);
      const { distance, source } = nearestOnSurface(surface, samples);
      for (let i = 0; i < finer.length; i++) {
        expect(samples[level.parent[i]!]).toBe(source[finer[i]!]);
        expect(distance[finer[i]!]!).toBeLessThanOrEqual(level.spacing);
      }
    }
    // Level 1's long geodesic edges cover with fewer samples than mesh edge paths: measured 311 and 103 against 469 and 116.
    expect(levelSizes(hierarchy).slice(2).every((n, k) => n < levelSizes(overMesh)[k + 2]!)).toBe(true);
    expect(hierarchy.levels[2]!.vertices.length / hierarchy.levels[3]!.vertices.length).toBeGreaterThan(2.5);
  });

  it('agrees with the parents patches over level 1, bit for bit', () => {
    let compared = 0;
    for (let k = 2; k < hierarchy.levels.length; k++) {
      const level = hierarchy.levels[k]!;
      const finer = k === 2 ? Uint32Array.from(level1.vertices.keys()) : onSurface(k - 1);
      const patches = geodesicPatches(surface, surface.geometry, { radius: 1.2 * level.spacing, steps: surface.steps });
      compared += expectParentEntriesOf(level, finer, onSurface(k), patches);
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('gives coarse patches close to the mesh exponential map of the same vertices', () => {
    for (let k = 2; k < hierarchy.levels.length; k++) {
      const level = hierarchy.levels[k]!;
      const n = level.neighbourhood!;
      const exact = geodesicPatches(mesh, geometry, { radius: 2.5 * level.spacing, vertices: level.vertices });
      const errors = { radius: [] as number[], angle: [] as number[], transport: [] as number[] };
      for (let p = 0; p < level.vertices.length; p++) {
        for (let e = n.offsets[p]!; e < n.offsets[p + 1]!; e++) {
          let f = exact.offsets[p]!;
          while (f < exact.offsets[p + 1]! && exact.neighbours[f] !== n.neighbours[e]) f++;
          if (f === exact.offsets[p + 1]) continue;
          errors.radius.push(Math.abs(n.logMapRadius[e]! - exact.logMapRadius[f]!) / level.spacing);
          errors.angle.push(Math.abs(angleDifference(n.logMapAngle[e]!, exact.logMapAngle[f]!)));
          errors.transport.push(Math.abs(angleDifference(n.transportAngle[e]!, exact.transportAngle[f]!)));
        }
      }
      // Measured: 99.7% and 99.9% of entries shared; r within 0.14 spacings, θ within 0.1 rad and g within 0.11 rad of the mesh's.
      expect(errors.angle.length / n.neighbours.length).toBeGreaterThan(0.99);
      expect(errors.angle.length / exact.neighbours.length).toBeGreaterThan(0.97);
      expect(Math.max(...errors.radius)).toBeLessThan(0.2);
      expect(Math.max(...errors.angle)).toBeLessThan(0.15);
      expect(Math.max(...errors.transport)).toBeLessThan(0.15);
    }
  });

  it('picks the same samples, parents and patches after a rigid motion with scaling', () => {
    const similarity = randomSimilarity(5);
    const moved = similarity.apply(mesh);
    const other = buildHierarchy(moved, computeGaugeGeometry(moved));
    for (let k = 2; k < hierarchy.levels.length; k++) {
      const a = hierarchy.levels[k]!, b = other.levels[k]!;
      expect(b.vertices).toEqual(a.vertices);
      expect(b.parent).toEqual(a.parent);
      expect(b.neighbourhood!.neighbours).toEqual(a.neighbourhood!.neighbours);
      for (let e = 0; e < a.neighbourhood!.neighbours.length; e++) {
        // Float32 geometry of the moved mesh rounds differently, and over two propagations: 1e-4 rad.
        expect(Math.abs(angleDifference(b.neighbourhood!.logMapAngle[e]!, a.neighbourhood!.logMapAngle[e]!))).toBeLessThan(1e-4);
        expect(Math.abs(angleDifference(b.neighbourhood!.transportAngle[e]!, a.neighbourhood!.transportAngle[e]!))).toBeLessThan(1e-4);
      }
    }
  });

  it('picks the same samples and parents after a vertex permutation, mapped', () => {
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 8);
    expectPermutedAlike(hierarchy, buildHierarchy(permuted, computeGaugeGeometry(permuted)), newIndexOf, 2);
  });

  it('samples every connected component, each as it would be sampled alone', () => {
    expectComponentsSampledAlone({ spacings: [0.15, 0.3, 0.6] }, 2);
  });

  it('gives levels 2 and up patches of coarsePatchRadiusFactor spacings, level 1 of patchRadiusFactor', () => {
    const wider = buildHierarchy(mesh, geometry, { coarsePatchRadiusFactor: 3.5 });
    expect(wider.levels[1]!.neighbourhood!.neighbours).toEqual(level1.neighbourhood!.neighbours);
    for (let k = 2; k < wider.levels.length; k++) {
      const level = wider.levels[k]!;
      const radii = level.neighbourhood!.logMapRadius;
      expect(Math.max(...radii)).toBeLessThanOrEqual(3.5 * level.spacing * (1 + 1e-6));
      expect(Math.max(...radii)).toBeGreaterThan(2.5 * level.spacing);
      expect(level.neighbourhood!.neighbours.length).toBeGreaterThan(hierarchy.levels[k]!.neighbourhood!.neighbours.length);
    }
    expect(() => buildHierarchy(mesh, geometry, { coarsePatchRadiusFactor: -1 })).toThrow(/buildHierarchy: coarsePatchRadiusFactor/);
  });

  it('needs level 1 patches', () => {
    expect(() => buildHierarchy(mesh, geometry, { coarseSurface: 'level1', patchRadiusFactor: 0 })).toThrow(/buildHierarchy: coarseSurface 'level1'.*patchRadiusFactor/);
    expect(() => buildHierarchy(mesh, geometry, { coarseSurface: 'sphere' as never })).toThrow(/buildHierarchy: coarseSurface must be/);
  });
});
