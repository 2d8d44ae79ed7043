import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { computeOneRingAdjacency } from '../../../core/geometry/one-ring-adjacency.js';
import { computeTangentFrames } from '../../../core/geometry/tangent-frames.js';
import { computeVertexNormals } from '../../../core/geometry/vertex-normals.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, i: number) => a[i]! * b[i]! + a[i + 1]! * b[i + 1]! + a[i + 2]! * b[i + 2]!;

/** Largest deviation of (e1, e2, n) from a right-handed orthonormal frame, over all vertices. */
function frameError(n: ArrayLike<number>, e1: ArrayLike<number>, e2: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < n.length; i += 3) {
    const cross = [n[i + 1]! * e1[i + 2]! - n[i + 2]! * e1[i + 1]!, n[i + 2]! * e1[i]! - n[i]! * e1[i + 2]!, n[i]! * e1[i + 1]! - n[i + 1]! * e1[i]!];
    worst = Math.max(worst, Math.abs(dot(e1, e1, i) - 1), Math.abs(dot(e2, e2, i) - 1), Math.abs(dot(e1, e2, i)), Math.abs(dot(e1, n, i)), Math.abs(dot(e2, n, i)));
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(cross[c]! - e2[i + c]!));
  }
  return worst;
}

describe('tangent frames', () => {
  const meshes = [icosphere(3), torus(24, 12), planeGrid(10, { jitter: 0.3 })];

  it('are orthonormal, tangent and right-handed: 1e-14 in float64, 3e-7 as stored (float32 rounding)', () => {
    for (const mesh of meshes) {
      const normals = computeVertexNormals(mesh);
      const { frameX, frameY } = computeTangentFrames(mesh, normals, computeOneRingAdjacency(mesh));
      expect(frameError(normals, frameX, frameY)).toBeLessThan(1e-14);
      const geometry = computeGaugeGeometry(mesh);
      expect(frameError(geometry.vertexNormals, geometry.frameX, geometry.frameY)).toBeLessThan(3e-7);
    }
  });

  it('are what computeGaugeGeometry stores, to the last float32 bit', () => {
    for (const mesh of meshes) {
      const normals = computeVertexNormals(mesh);
      const { frameX, frameY } = computeTangentFrames(mesh, normals, computeOneRingAdjacency(mesh));
      const geometry = computeGaugeGeometry(mesh);
      expect(geometry.vertexNormals).toEqual(new Float32Array(normals));
      expect(geometry.frameX).toEqual(new Float32Array(frameX));
      expect(geometry.frameY).toEqual(new Float32Array(frameY));
    }
  });

  it('point e1 at the neighbour with the longest projection: θ = 0 there, every projection no longer', () => {
    const mesh = torus(16, 9);
    const { oneRing, vertexNormals: n } = computeGaugeGeometry(mesh);
    for (let p = 0; p < mesh.positions.length / 3; p++) {
      let longest = 0, atLongest = Number.NaN;
      for (let k = oneRing.offsets[p]!; k < oneRing.offsets[p + 1]!; k++) {
        const q = oneRing.neighbours[k]!;
        const d = [0, 1, 2].map((c) => mesh.positions[3 * q + c]! - mesh.positions[3 * p + c]!);
        const dn = d[0]! * n[3 * p]! + d[1]! * n[3 * p + 1]! + d[2]! * n[3 * p + 2]!;
        const projection = Math.hypot(d[0]! - dn * n[3 * p]!, d[1]! - dn * n[3 * p + 1]!, d[2]! - dn * n[3 * p + 2]!);
        if (projection > longest * (1 + 1e-5)) { longest = projection; atLongest = oneRing.logMapAngle[k]!; }
      }
      expect(Math.abs(atLongest)).toBeLessThan(1e-6);
    }
  });

  it('break exact ties towards the smallest vertex index', () => {
    // A regular hexagon fan around vertex 0, neighbours numbered so that the smallest index (1) is not first around.
    const positions = [0, 0, 0];
    const order = [4, 6, 1, 3, 5, 2];
    const ring: number[][] = [];
    for (let i = 0; i < 6; i++) ring[order[i]!] = [Math.cos((i * Math.PI) / 3), Math.sin((i * Math.PI) / 3), 0];
    for (let v = 1; v <= 6; v++) positions.push(...ring[v]!);
    const triangles: number[] = [];
    for (let i = 0; i < 6; i++) triangles.push(0, order[i]!, order[(i + 1) % 6]!);
    const mesh = { positions: Float64Array.from(positions), triangles: Uint32Array.from(triangles) };
    const geometry = computeGaugeGeometry(mesh);
    // e1 of vertex 0 points at vertex 1, the third around: angle 2π/3.
    expect(geometry.frameX[0]).toBeCloseTo(Math.cos((2 * Math.PI) / 3), 6);
    expect(geometry.frameX[1]).toBeCloseTo(Math.sin((2 * Math.PI) / 3), 6);
  });

  it('fall back to the world axis least aligned with the normal where no neighbour is usable', () => {
    const mesh = { positions: Float64Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 7, 7, 7]), triangles: Uint32Array.from([0, 1, 2]) };
    const geometry = computeGaugeGeometry(mesh);
    // Vertex 3 is isolated: normal +z (FALLBACK_NORMAL), e1 = x (x, y, z all equally unaligned: x first), e2 = y.
    expect([...geometry.vertexNormals.subarray(9, 12)]).toEqual([0, 0, 1]);
    expect([...geometry.frameX.subarray(9, 12)]).toEqual([1, 0, 0]);
    expect([...geometry.frameY.subarray(9, 12)]).toEqual([0, 1, 0]);
  });
});
