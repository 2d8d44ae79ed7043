import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import type { GaugeGeometry } from '../../../core/geometry/gauge-geometry.js';
import { geodesicPatches } from '../../../core/geometry/geodesic-patches.js';
import { GEODESIC_PATCHES_KERNEL_BYTES } from '../../../core/geometry/geodesic-patches-kernel.js';
import { MinHeap } from '../../../core/geometry/min-heap.js';
import { NeighbourhoodWriter } from '../../../core/geometry/neighbourhood-writer.js';
import type { Neighbourhood } from '../../../core/geometry/neighbourhood.js';
import { computeOneRing } from '../../../core/geometry/one-ring.js';
import { patchRadius } from '../../../core/geometry/patch-radius.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { icosphere, permuteVertices, planeGrid, randomSimilarity, seededRandom, torus, planeWithDuplicateAndIsolatedVertex } from '../../fixtures/meshes.js';

/** a − b wrapped to (−π, π]. */
function angleDifference(a: number, b: number): number {
  const d = (a - b) % (2 * Math.PI);
  return d > Math.PI ? d - 2 * Math.PI : d <= -Math.PI ? d + 2 * Math.PI : d;
}

function vec(array: ArrayLike<number>, v: number): [number, number, number] {
  return [array[3 * v]!, array[3 * v + 1]!, array[3 * v + 2]!];
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
}

/** Entry index of (row p, neighbour q), or −1. */
function entry(n: Neighbourhood, p: number, q: number): number {
  for (let e = n.offsets[p]!; e < n.offsets[p + 1]!; e++) if (n.neighbours[e] === q) return e;
  return -1;
}

function rowsAscending(n: Neighbourhood): boolean {
  for (let p = 0; p + 1 < n.offsets.length; p++) {
    for (let e = n.offsets[p]! + 1; e < n.offsets[p + 1]!; e++) if (n.neighbours[e - 1]! >= n.neighbours[e]!) return false;
  }
  return true;
}

/** The geometry with its 1-ring recomputed from the stored float32 normals and the given frames. */
function withFrames(mesh: Mesh, geometry: GaugeGeometry, frameX: Float64Array, frameY: Float64Array): GaugeGeometry {
  return { ...geometry, frameX: new Float32Array(frameX), frameY: new Float32Array(frameY), oneRing: computeOneRing(mesh, geometry.vertexNormals, frameX, frameY) };
}

describe('geodesicPatches', () => {
  it('on a jittered plane gives the exact polar coordinates, frame-angle transport and Euclidean-disc membership', () => {
    const mesh = planeGrid(24, { jitter: 0.3, seed: 5 });
    const geometry = computeGaugeGeometry(mesh);
    const radius = 0.2; // about 4.6 grid spacings
    const patches = geodesicPatches(mesh, geometry, { radius });
    const x = mesh.positions;
    const n = geometry.vertexCount;
    expect(patches.offsets.length).toBe(n + 1);
    expect(rowsAscending(patches)).toBe(true);
    let worstRadius = 0, worstAngle = 0, worstTransport = 0, entries = 0;
    for (let p = 0; p < n; p++) {
      const e1 = vec(geometry.frameX, p), e2 = vec(geometry.frameY, p);
      const expected: number[] = [];
      for (let q = 0; q < n; q++) {
        const d = Math.hypot(x[3 * q]! - x[3 * p]!, x[3 * q + 1]! - x[3 * p + 1]!);
        // Within float32 rounding of the rim, either answer is right.
        if (q !== p && d <= radius && Math.abs(d - radius) > 1e-6) expected.push(q);
      }
      const got = Array.from(patches.neighbours.subarray(patches.offsets[p]!, patches.offsets[p + 1]!));
      expect(got.filter((q) => Math.abs(patches.logMapRadius[entry(patches, p, q)]! - radius) > 1e-6)).toEqual(expected);
      for (let e = patches.offsets[p]!; e < patches.offsets[p + 1]!; e++) {
        const q = patches.neighbours[e]!;
        const d = [x[3 * q]! - x[3 * p]!, x[3 * q + 1]! - x[3 * p + 1]!, 0];
        const eq = vec(geometry.frameX, q);
        worstRadius = Math.max(worstRadius, Math.abs(patches.logMapRadius[e]! - Math.hypot(d[0]!, d[1]!)));
        worstAngle = Math.max(worstAngle, Math.abs(angleDifference(patches.logMapAngle[e]!, Math.atan2(dot(d, e2), dot(d, e1)))));
        worstTransport = Math.max(worstTransport, Math.abs(angleDifference(patches.transportAngle[e]!, Math.atan2(dot(eq, e2), dot(eq, e1)))));
        entries++;
      }
    }
    expect(entries).toBeGreaterThan(n * 20);
    // Float32 storage of r (size 1) and θ, g, plus float32 frames compounded over a few steps.
    expect(worstRadius).toBeLessThan(1e-6);
    expect(worstAngle).toBeLessThan(2e-6);
    expect(worstTransport).toBeLessThan(2e-6);
  });

  it('on a sphere matches great-circle distance, true azimuth and transport along the great circle', () => {
    const R = 2;
    const mesh = icosphere(4, R);
    const geometry = computeGaugeGeometry(mesh);
    const x = mesh.positions;
    for (const [radius, tolR, tolTheta, tolG] of [
      // Measured at ρ = R/2: |Δr| ≤ 0.0014ρ, |Δθ| ≤ 0.008 rad, |Δg| ≤ 0.016 rad, about the same on icosphere(5):
      // the exponential map's curvature error, which shrinks with ρ²/R², not with the edges.
      [0.5 * R, 0.004, 0.016, 0.03],
      // Measured at ρ = R/4: |Δr| ≤ 0.0006ρ, |Δθ| ≤ 0.0022 rad, |Δg| ≤ 0.0045 rad.
      [0.25 * R, 0.002, 0.005, 0.01],
    ] as const) {
      const patches = geodesicPatches(mesh, geometry, { radius });
      const entryOf = new Int32Array(geometry.vertexCount).fill(-1);
      let worstR = 0, worstTheta = 0, worstG = 0, missing = 0, beyond = 0;
      for (let p = 0; p < geometry.vertexCount; p++) {
        const P = vec(x, p).map((c) => c / R);
        const e1 = vec(geometry.frameX, p), e2 = vec(geometry.frameY, p);
        for (let e = patches.offsets[p]!; e < patches.offsets[p + 1]!; e++) entryOf[patches.neighbours[e]!] = e;
        for (let q = 0; q < geometry.vertexCount; q++) {
          if (q === p) continue;
          const Q = vec(x, q).map((c) => c / R);
          const c = Math.min(1, dot(P, Q));
          const arc = R * Math.acos(c);
          // Membership may differ only near the rim, by the log map's radial error.
          if (arc <= (1 - tolR) * radius && entryOf[q]! < 0) missing++;
          const e = entryOf[q]!;
          if (e < 0) continue;
          if (arc > (1 + tolR) * radius) beyond++;
          worstR = Math.max(worstR, Math.abs(patches.logMapRadius[e]! - arc) / radius);
          const v = [Q[0]! - c * P[0]!, Q[1]! - c * P[1]!, Q[2]! - c * P[2]!];
          worstTheta = Math.max(worstTheta, Math.abs(angleDifference(patches.logMapAngle[e]!, Math.atan2(dot(v, e2), dot(v, e1)))));
          // Transport along the great circle is the rotation about Q × P taking Q to P.
          const f = vec(geometry.frameX, q);
          const k = [Q[1]! * P[2]! - Q[2]! * P[1]!, Q[2]! * P[0]! - Q[0]! * P[2]!, Q[0]! * P[1]! - Q[1]! * P[0]!];
          const kf = dot(k, f);
          const t = [0, 1, 2].map((i) => c * f[i]! + (k[(i + 1) % 3]! * f[(i + 2) % 3]! - k[(i + 2) % 3]! * f[(i + 1) % 3]!) + (k[i]! * kf) / (1 + c));
          worstG = Math.max(worstG, Math.abs(angleDifference(patches.transportAngle[e]!, Math.atan2(dot(t, e2), dot(t, e1)))));
        }
        for (let e = patches.offsets[p]!; e < patches.offsets[p + 1]!; e++) entryOf[patches.neighbours[e]!] = -1;
      }
      expect(missing).toBe(0);
      expect(beyond).toBe(0);
      expect(worstR).toBeLessThan(tolR);
      expect(worstTheta).toBeLessThan(tolTheta);
      expect(worstG).toBeLessThan(tolG);
    }
  });

  it('is gauge equivariant: rotating frames by φ changes θ by −φ_p and g by φ_q − φ_p', () => {
    const mesh = torus(36, 14);
    const geometry = computeGaugeGeometry(mesh);
    const n = geometry.vertexCount;
    const random = seededRandom(11);
    const phi = Float64Array.from({ length: n }, () => (random() * 2 - 1) * Math.PI);
    const baseX = new Float64Array(geometry.frameX), baseY = new Float64Array(geometry.frameY);
    const rotX = new Float64Array(3 * n), rotY = new Float64Array(3 * n);
    for (let v = 0; v < n; v++) {
      const c = Math.cos(phi[v]!), s = Math.sin(phi[v]!);
      for (let i = 0; i < 3; i++) {
        rotX[3 * v + i] = c * baseX[3 * v + i]! + s * baseY[3 * v + i]!;
        rotY[3 * v + i] = -s * baseX[3 * v + i]! + c * baseY[3 * v + i]!;
      }
    }
    const radius = 0.45; // beyond the tube's radius: patches wrap around curvature of both signs
    const before = geodesicPatches(mesh, withFrames(mesh, geometry, baseX, baseY), { radius });
    const after = geodesicPatches(mesh, withFrames(mesh, geometry, rotX, rotY), { radius });
    expect(after.offsets).toEqual(before.offsets);
    expect(after.neighbours).toEqual(before.neighbours);
    let worstR = 0, worstTheta = 0, worstG = 0;
    for (let p = 0; p < n; p++) {
      for (let e = before.offsets[p]!; e < before.offsets[p + 1]!; e++) {
        const q = before.neighbours[e]!;
        worstR = Math.max(worstR, Math.abs(after.logMapRadius[e]! - before.logMapRadius[e]!));
        worstTheta = Math.max(worstTheta, Math.abs(angleDifference(after.logMapAngle[e]!, before.logMapAngle[e]! - phi[p]!)));
        worstG = Math.max(worstG, Math.abs(angleDifference(after.transportAngle[e]!, before.transportAngle[e]! + phi[q]! - phi[p]!)));
      }
    }
    // Exact in exact arithmetic; float32 frames and angles, rounded again along each path.
    expect(worstR).toBeLessThan(1e-6);
    expect(worstTheta).toBeLessThan(1e-5);
    expect(worstG).toBeLessThan(1e-5);
  });

  it('transports p → q → p to about the identity and sees q from p opposite to p from q', () => {
    for (const [mesh, radius, tolerance] of [
      // Flat: exact up to float32.
      [planeGrid(16, { jitter: 0.3 }), 0.25, 1e-5],
      // Curved: the two directions follow different discrete paths, and the loop between them has holonomy.
      // Measured ≤ 0.023 rad on the sphere at ρ = R/2 and ≤ 0.051 rad on the torus at ρ = 1.3 × its tube radius.
      [icosphere(4), 0.5, 0.04],
      [torus(36, 14), 0.45, 0.08],
    ] as const) {
      const geometry = computeGaugeGeometry(mesh);
      const patches = geodesicPatches(mesh, geometry, { radius });
      let worstLoop = 0, worstBack = 0, pairs = 0;
      for (let p = 0; p < geometry.vertexCount; p++) {
        for (let e = patches.offsets[p]!; e < patches.offsets[p + 1]!; e++) {
          const q = patches.neighbours[e]!;
          const f = entry(patches, q, p);
          if (f < 0) continue;
          pairs++;
          worstLoop = Math.max(worstLoop, Math.abs(angleDifference(patches.transportAngle[e]! + patches.transportAngle[f]!, 0)));
          // The direction to p seen from q, carried to p, points back along the direction to q.
          worstBack = Math.max(worstBack, Math.abs(angleDifference(patches.logMapAngle[f]! + patches.transportAngle[e]!, patches.logMapAngle[e]! + Math.PI)));
        }
      }
      expect(pairs).toBeGreaterThan(geometry.vertexCount * 10);
      expect(worstLoop).toBeLessThan(tolerance);
      expect(worstBack).toBeLessThan(tolerance);
    }
  });

  it('is invariant under rigid motion and uniform scaling: same members, r scaled, θ and g unchanged', () => {
    const mesh = torus(36, 14);
    const similarity = randomSimilarity(7);
    const moved = similarity.apply(mesh);
    const a = geodesicPatches(mesh, computeGaugeGeometry(mesh), { radius: 0.45 });
    const b = geodesicPatches(moved, computeGaugeGeometry(moved), { radius: 0.45 * similarity.scale });
    expect(b.offsets).toEqual(a.offsets);
    expect(b.neighbours).toEqual(a.neighbours);
    let worstR = 0, worstTheta = 0, worstG = 0;
    for (let e = 0; e < a.neighbours.length; e++) {
      worstR = Math.max(worstR, Math.abs(b.logMapRadius[e]! / similarity.scale - a.logMapRadius[e]!) / 0.45);
      worstTheta = Math.max(worstTheta, Math.abs(angleDifference(b.logMapAngle[e]!, a.logMapAngle[e]!)));
      worstG = Math.max(worstG, Math.abs(angleDifference(b.transportAngle[e]!, a.transportAngle[e]!)));
    }
    // Float32 geometry of a moved mesh rounds differently; 10× float32 epsilon, compounded over a few steps.
    expect(worstR).toBeLessThan(1e-5);
    expect(worstTheta).toBeLessThan(1e-5);
    expect(worstG).toBeLessThan(1e-5);
  });

  it('is permutation equivariant up to the gauge: rows and members follow the vertices', () => {
    const mesh = torus(36, 14);
    const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 3);
    const g0 = computeGaugeGeometry(mesh);
    const g1 = computeGaugeGeometry(permuted);
    const a = geodesicPatches(mesh, g0, { radius: 0.45 });
    const b = geodesicPatches(permuted, g1, { radius: 0.45 });
    // A frame may change at a tie between neighbours (the smallest index wins): φ_v is that change.
    const phi = Float64Array.from({ length: g0.vertexCount }, (_, v) => {
      const f = vec(g1.frameX, newIndexOf[v]!);
      return Math.atan2(dot(f, vec(g0.frameY, v)), dot(f, vec(g0.frameX, v)));
    });
    let worstR = 0, worstTheta = 0, worstG = 0;
    for (let p = 0; p < g0.vertexCount; p++) {
      const P = newIndexOf[p]!;
      expect(b.offsets[P + 1]! - b.offsets[P]!).toBe(a.offsets[p + 1]! - a.offsets[p]!);
      for (let e = a.offsets[p]!; e < a.offsets[p + 1]!; e++) {
        const q = a.neighbours[e]!;
        const f = entry(b, P, newIndexOf[q]!);
        expect(f).toBeGreaterThanOrEqual(0);
        worstR = Math.max(worstR, Math.abs(b.logMapRadius[f]! - a.logMapRadius[e]!));
        worstTheta = Math.max(worstTheta, Math.abs(angleDifference(b.logMapAngle[f]!, a.logMapAngle[e]! - phi[p]!)));
        worstG = Math.max(worstG, Math.abs(angleDifference(b.transportAngle[f]!, a.transportAngle[e]! + phi[q]! - phi[p]!)));
      }
    }
    // Only the order of float sums changes (proposals are taken from strictly closer neighbours, not by settle order).
    expect(worstR).toBeLessThan(1e-6);
    expect(worstTheta).toBeLessThan(1e-5);
    expect(worstG).toBeLessThan(1e-5);
  });

  it('equals the 1-ring, bit for bit, when the radius covers only the 1-ring', () => {
    const mesh = icosphere(3);
    const geometry = computeGaugeGeometry(mesh);
    const ring = geometry.oneRing;
    const longestEdge = ring.logMapRadius.reduce((a, b) => Math.max(a, b), 0);
    const patches = geodesicPatches(mesh, geometry, { radius: longestEdge * 1.0001 });
    expect(patches.offsets).toEqual(ring.offsets);
    expect(patches.neighbours).toEqual(ring.neighbours);
    expect(patches.logMapRadius).toEqual(ring.logMapRadius);
    expect(patches.logMapAngle).toEqual(ring.logMapAngle);
    expect(patches.transportAngle).toEqual(ring.transportAngle);
    // Larger radii keep the 1-ring entries exactly.
    const wide = geodesicPatches(mesh, geometry, { radius: 3 * longestEdge });
    for (let p = 0; p < geometry.vertexCount; p++) {
      for (let e = ring.offsets[p]!; e < ring.offsets[p + 1]!; e++) {
        const f = entry(wide, p, ring.neighbours[e]!);
        expect([wide.logMapRadius[f], wide.logMapAngle[f], wide.transportAngle[f]]).toEqual([ring.logMapRadius[e], ring.logMapAngle[e], ring.transportAngle[e]]);
      }
    }
  });

  it('restricted to a vertex subset equals the full patches filtered to the subset, with local indices', () => {
    const mesh = torus(36, 14);
    const geometry = computeGaugeGeometry(mesh);
    const random = seededRandom(4);
    const subset = Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i).filter(() => random() < 0.3);
    const local = new Map(Array.from(subset, (v, i) => [v, i]));
    const full = geodesicPatches(mesh, geometry, { radius: 0.45 });
    const sub = geodesicPatches(mesh, geometry, { radius: 0.45, vertices: subset });
    expect(sub.offsets.length).toBe(subset.length + 1);
    expect(rowsAscending(sub)).toBe(true);
    for (let i = 0; i < subset.length; i++) {
      const p = subset[i]!;
      const expected: number[][] = [];
      for (let e = full.offsets[p]!; e < full.offsets[p + 1]!; e++) {
        const j = local.get(full.neighbours[e]!);
        if (j !== undefined) expected.push([j, full.logMapRadius[e]!, full.logMapAngle[e]!, full.transportAngle[e]!]);
      }
      const got: number[][] = [];
      for (let e = sub.offsets[i]!; e < sub.offsets[i + 1]!; e++) got.push([sub.neighbours[e]!, sub.logMapRadius[e]!, sub.logMapAngle[e]!, sub.transportAngle[e]!]);
      expect(got).toEqual(expected);
    }
  });

  it('covers the same area at the same physical radius on a coarse and a fine mesh (patchRadius)', () => {
    const covered = (level: number) => {
      const mesh = icosphere(level);
      const geometry = computeGaugeGeometry(mesh);
      const radius = patchRadius(geometry, { fractionOfSqrtArea: 0.1 });
      const patches = geodesicPatches(mesh, geometry, { radius });
      let area = 0;
      for (let p = 0; p < geometry.vertexCount; p++) {
        area += geometry.vertexAreas[p]!;
        for (let e = patches.offsets[p]!; e < patches.offsets[p + 1]!; e++) area += geometry.vertexAreas[patches.neighbours[e]!]!;
      }
      return { radius, area: area / geometry.vertexCount, perRow: patches.neighbours.length / geometry.vertexCount };
    };
    const coarse = covered(3), fine = covered(5);
    expect(fine.radius).toBeCloseTo(coarse.radius, 2); // the sphere's area, not its edges, sets the radius
    const disc = 2 * Math.PI * (1 - Math.cos(coarse.radius)); // area of a geodesic disc on the unit sphere
    // Measured: mean covered area / disc area = 0.945 (642 vertices, 2.3 edges per radius) and 1.000 (10242, 9.4 edges).
    expect(Math.abs(coarse.area / disc - 1)).toBeLessThan(0.1);
    expect(Math.abs(fine.area / disc - 1)).toBeLessThan(0.03);
    expect(fine.perRow / coarse.perRow).toBeGreaterThan(12); // 16× the vertices, so ~16× the members (measured 17.8)
  });

  it('survives an unwelded duplicate vertex (a zero-length edge) and an isolated vertex', () => {
    const { mesh, duplicate: n } = planeWithDuplicateAndIsolatedVertex();
    const geometry = computeGaugeGeometry(mesh);
    const patches = geodesicPatches(mesh, geometry, { radius: 0.3 });
    const finite = (a: Float32Array) => a.every((x) => Number.isFinite(x));
    expect(finite(patches.logMapRadius) && finite(patches.logMapAngle) && finite(patches.transportAngle)).toBe(true);
    expect(patches.offsets[n + 2]! - patches.offsets[n + 1]!).toBe(0);
    // The duplicate is where vertex 27 is: the same members (but each other), at the same coordinates.
    const row = (p: number) => Array.from(patches.neighbours.subarray(patches.offsets[p]!, patches.offsets[p + 1]!));
    expect(row(n).filter((q) => q !== 27)).toEqual(row(27).filter((q) => q !== n));
    const e = entry(patches, 26, 27), f = entry(patches, 26, n);
    expect(e >= 0 && f >= 0).toBe(true);
    expect(patches.logMapRadius[f]).toBeCloseTo(patches.logMapRadius[e]!, 6);
    expect(patches.logMapAngle[f]).toBeCloseTo(patches.logMapAngle[e]!, 6);
  });

  it('gives the same patches bit for bit in WebAssembly as in JavaScript, through heap growth, subsets, several meshes and a zero-length edge', () => {
    const same = (a: Neighbourhood, b: Neighbourhood) => {
      for (const key of ['offsets', 'neighbours', 'logMapRadius', 'logMapAngle', 'transportAngle'] as const) expect(Array.from(a[key])).toEqual(Array.from(b[key]));
    };
    const { mesh: duplicated } = planeWithDuplicateAndIsolatedVertex();
    const cases: { mesh: Mesh; radius: number; vertices?: Uint32Array }[] = [
      // A radius of many edges first: the kernel's heap starts at 64 entries and must grow, rerunning the row.
      { mesh: torus(32, 16), radius: 1 },
      { mesh: icosphere(3), radius: 0.5, vertices: Uint32Array.from({ length: 214 }, (_, i) => 3 * i) },
      { mesh: planeGrid(12, { jitter: 0.3, seed: 4 }), radius: 0.3 },
      { mesh: duplicated, radius: 0.5 },
    ];
    for (const { mesh, radius, vertices } of cases) {
      const geometry = computeGaugeGeometry(mesh);
      const options = { radius, ...(vertices ? { vertices } : {}) };
      same(geodesicPatches(mesh, geometry, { ...options, webAssembly: true }), geodesicPatches(mesh, geometry, { ...options, webAssembly: false }));
    }
    // Chrome refuses synchronous compiles over 4 KiB on the main thread (the kernel would fall back to JavaScript there).
    expect(GEODESIC_PATCHES_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('rejects a radius that is not a positive number', () => {
    const mesh = icosphere(1);
    const geometry = computeGaugeGeometry(mesh);
    expect(() => geodesicPatches(mesh, geometry, { radius: 0 })).toThrow(/geodesicPatches: radius/);
    expect(() => geodesicPatches(mesh, geometry, { radius: Number.NaN })).toThrow(/geodesicPatches: radius/);
  });
});

describe('MinHeap', () => {
  it('pops keys in ascending order through growth and reuse', () => {
    const heap = new MinHeap(2);
    const random = seededRandom(9);
    for (let round = 0; round < 2; round++) {
      heap.clear();
      const keys = Array.from({ length: 500 }, () => random());
      keys.forEach((k, i) => heap.push(k, i));
      const popped: number[] = [];
      while (heap.size > 0) {
        expect(heap.topKey()).toBe(keys[heap.topValue()]);
        popped.push(heap.topKey());
        heap.pop();
      }
      expect(popped).toEqual([...keys].sort((a, b) => a - b));
    }
  });
});

describe('NeighbourhoodWriter', () => {
  /** Writes `rows` rows of `perRow(row)` entries whose values encode (row, i). */
  function write(rows: number, perRow: (row: number) => number) {
    const writer = new NeighbourhoodWriter(rows);
    for (let row = 0; row < rows; row++) {
      const count = perRow(row);
      writer.reserve(count);
      for (let i = 0; i < count; i++) writer.write(i, row, -row, 0.5 * i);
      writer.endRow();
    }
    return writer.finish();
  }

  it('keeps every entry through growth, with exact offsets and lengths', () => {
    // Rows far longer than the first rows predicted force copies while growing.
    const n = write(2000, (row) => (row < 600 ? 3 : 70));
    expect(n.offsets.length).toBe(2001);
    expect(n.offsets[2000]).toBe(600 * 3 + 1400 * 70);
    for (const array of [n.neighbours, n.logMapRadius, n.logMapAngle, n.transportAngle]) expect(array.length).toBe(n.offsets[2000]);
    for (const row of [0, 599, 600, 1999]) {
      const start = n.offsets[row]!;
      expect(n.offsets[row + 1]! - start).toBe(row < 600 ? 3 : 70);
      expect([n.neighbours[start + 2], n.logMapRadius[start + 2], n.logMapAngle[start + 2], n.transportAngle[start + 2]]).toEqual([2, row, -row, 1]);
    }
  });

  it('hands out views when the slack is small and trimmed copies when it is not', () => {
    // Uniform rows: the extrapolated size is 5% too large, within MAX_SLACK, so no copy is made.
    const uniform = write(4000, () => 20);
    expect(uniform.neighbours.length).toBe(80_000);
    expect(uniform.neighbours.buffer.byteLength).toBeGreaterThan(80_000 * 4);
    expect(uniform.neighbours.buffer.byteLength).toBeLessThanOrEqual((80_000 * 4) / (1 - NeighbourhoodWriter.MAX_SLACK));
    // Short rows after long ones: the estimate overshoots by far, so the arrays are trimmed.
    const shrinking = write(4000, (row) => (row < 512 ? 20 : 2));
    expect(shrinking.neighbours.buffer.byteLength).toBe(shrinking.neighbours.length * 4);
    expect(shrinking.transportAngle.buffer.byteLength).toBe(shrinking.transportAngle.length * 4);
  });

  it('refuses to finish before every row is ended', () => {
    const writer = new NeighbourhoodWriter(3);
    writer.endRow();
    expect(() => writer.finish()).toThrow(/NeighbourhoodWriter: 1 of 3 rows/);
  });
});
