import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { computeOneRing } from '../../../core/geometry/one-ring.js';
import { computeOneRingAdjacency } from '../../../core/geometry/one-ring-adjacency.js';
import { icosphere, planeGrid, seededRandom, torus } from '../../fixtures/meshes.js';
import { angleDistance, entryOf, triangleEdgeKeys } from './geometry-helpers.js';

// Angles are stored as float32 (1.2e-7 rad of rounding near π) from float32 normals and frames.
const ANGLE_TOLERANCE = 1e-5;

describe('computeOneRing', () => {
  it('lists each triangle edge once in both rows, ascending, never a vertex itself', () => {
    for (const mesh of [icosphere(2), torus(12, 7), planeGrid(7, { jitter: 0.3 })]) {
      const { offsets, neighbours } = computeGaugeGeometry(mesh).oneRing;
      const keys: string[] = [];
      for (let p = 0; p < offsets.length - 1; p++) {
        for (let k = offsets[p]!; k < offsets[p + 1]!; k++) {
          const q = neighbours[k]!;
          expect(q).not.toBe(p);
          if (k > offsets[p]!) expect(q).toBeGreaterThan(neighbours[k - 1]!);
          expect(entryOf(offsets, neighbours, q, p)).toBeGreaterThanOrEqual(0);
          if (p < q) keys.push(`${p},${q}`);
        }
      }
      expect(keys.sort()).toEqual(triangleEdgeKeys(mesh.triangles));
    }
  });

  it('turns with the gauge: rotating frame p by φ_p changes θ_pq by −φ_p and g_{q→p} by φ_q − φ_p', () => {
    const mesh = torus(20, 11);
    const { vertexNormals: n, frameX, frameY } = computeGaugeGeometry(mesh);
    const random = seededRandom(3);
    const phi = Array.from({ length: n.length / 3 }, () => (random() * 2 - 1) * Math.PI);
    const rotatedX = new Float64Array(frameX.length), rotatedY = new Float64Array(frameY.length);
    for (let p = 0; p < phi.length; p++) {
      const c = Math.cos(phi[p]!), s = Math.sin(phi[p]!);
      for (let i = 3 * p; i < 3 * p + 3; i++) {
        rotatedX[i] = c * frameX[i]! + s * frameY[i]!;
        rotatedY[i] = c * frameY[i]! - s * frameX[i]!;
      }
    }
    const adjacency = computeOneRingAdjacency(mesh);
    const before = computeOneRing(mesh, n, frameX, frameY, adjacency);
    const after = computeOneRing(mesh, n, rotatedX, rotatedY, adjacency);
    let worst = 0;
    for (let p = 0; p < phi.length; p++) {
      for (let k = before.offsets[p]!; k < before.offsets[p + 1]!; k++) {
        const q = before.neighbours[k]!;
        worst = Math.max(worst, angleDistance(after.logMapAngle[k]!, before.logMapAngle[k]! - phi[p]!));
        worst = Math.max(worst, angleDistance(after.transportAngle[k]!, before.transportAngle[k]! + phi[q]! - phi[p]!));
      }
    }
    expect(worst).toBeLessThan(ANGLE_TOLERANCE);
    expect(after.logMapRadius).toEqual(before.logMapRadius);
  });

  it('transports back exactly: g_{q→p} = −g_{p→q} for every pair (π stays π)', () => {
    for (const mesh of [icosphere(3), torus(20, 11), planeGrid(9, { jitter: 0.3 })]) {
      const { offsets, neighbours, transportAngle: g } = computeGaugeGeometry(mesh).oneRing;
      let mismatches = 0;
      for (let p = 0; p < offsets.length - 1; p++) {
        for (let k = offsets[p]!; k < offsets[p + 1]!; k++) {
          const back = g[entryOf(offsets, neighbours, neighbours[k]!, p)]!;
          if (!(g[k] === -back || (g[k] === back && Math.abs(back) === Math.fround(Math.PI)))) mismatches++;
          if (!(g[k]! > -Math.PI && g[k]! <= Math.fround(Math.PI))) mismatches++;
        }
      }
      expect(mismatches).toBe(0);
    }
  });

  it('on a jittered plane: θ and r are the polar coordinates of q − p from e1, g the difference of frame angles', () => {
    const mesh = planeGrid(12, { size: 3, jitter: 0.35, seed: 5 });
    const { oneRing, frameX } = computeGaugeGeometry(mesh);
    const frameAngle = (p: number) => Math.atan2(frameX[3 * p + 1]!, frameX[3 * p]!);
    let worstAngle = 0, worstRadius = 0;
    for (let p = 0; p < oneRing.offsets.length - 1; p++) {
      for (let k = oneRing.offsets[p]!; k < oneRing.offsets[p + 1]!; k++) {
        const q = oneRing.neighbours[k]!;
        const dx = mesh.positions[3 * q]! - mesh.positions[3 * p]!, dy = mesh.positions[3 * q + 1]! - mesh.positions[3 * p + 1]!;
        worstRadius = Math.max(worstRadius, Math.abs(oneRing.logMapRadius[k]! - Math.hypot(dx, dy)) / Math.hypot(dx, dy));
        worstAngle = Math.max(worstAngle, angleDistance(oneRing.logMapAngle[k]!, Math.atan2(dy, dx) - frameAngle(p)));
        worstAngle = Math.max(worstAngle, angleDistance(oneRing.transportAngle[k]!, frameAngle(q) - frameAngle(p)));
      }
    }
    expect(worstRadius).toBeLessThan(1e-7);
    expect(worstAngle).toBeLessThan(1e-6);
  });

  it('measures r as the edge length, not its shorter projection', () => {
    const mesh = icosphere(1);
    const { oneRing } = computeGaugeGeometry(mesh);
    const p = 0, k = oneRing.offsets[p]!, q = oneRing.neighbours[k]!;
    const d = [0, 1, 2].map((c) => mesh.positions[3 * q + c]! - mesh.positions[3 * p + c]!);
    expect(oneRing.logMapRadius[k]).toBeCloseTo(Math.hypot(d[0]!, d[1]!, d[2]!), 6);
  });

  it('carries a frame over antipodal normals by the π-rotation about the hinge', () => {
    // Two triangles in z = 0 sharing the edge 0–1; normals forced to +z at 0 and −z at 1.
    const mesh = { positions: Float64Array.from([0, 0, 0, 1, 0, 0, 0.5, 1, 0, 0.5, -1, 0]), triangles: Uint32Array.from([0, 1, 2, 1, 0, 3]) };
    const normals = Float64Array.from([0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 1]);
    const frameX = Float64Array.from([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
    const frameY = Float64Array.from([0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 1, 0]);
    const oneRing = computeOneRing(mesh, normals, frameX, frameY);
    // Hinge n_1 × (p_0 − p_1) = +y; the π-turn about it takes e1_1 = +x to −x: angle π in 0's frame, and back.
    expect(oneRing.transportAngle[entryOf(oneRing.offsets, oneRing.neighbours, 0, 1)]).toBeCloseTo(Math.PI, 6);
    expect(oneRing.transportAngle[entryOf(oneRing.offsets, oneRing.neighbours, 1, 0)]).toBeCloseTo(Math.PI, 6);
  });

  it('rejects normals or frames of the wrong length', () => {
    const mesh = icosphere(0);
    expect(() => computeOneRing(mesh, new Float32Array(3), new Float32Array(36), new Float32Array(36))).toThrow(/computeOneRing/);
  });
});
