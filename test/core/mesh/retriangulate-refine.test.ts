import { describe, expect, it } from 'vitest';
import { computeTotalArea } from '../../../core/geometry/vertex-areas.js';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { refineMesh, transferVertexData } from '../../../core/mesh/retriangulate.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';
import { retriangulationProblems } from './retriangulate-helpers.js';

function edgeCount(mesh: Mesh): number {
  const edges = new Set<number>(), n = mesh.positions.length / 3, T = mesh.triangles;
  for (let c = 0; c < T.length; c++) {
    const a = T[c]!, b = T[c % 3 === 2 ? c - 2 : c + 1]!;
    edges.add(Math.min(a, b) * n + Math.max(a, b));
  }
  return edges.size;
}

function distance(P: Float64Array, a: number, Q: Float64Array, b: number): number {
  return Math.hypot(P[3 * a]! - Q[3 * b]!, P[3 * a + 1]! - Q[3 * b + 1]!, P[3 * a + 2]! - Q[3 * b + 2]!);
}

describe('refineMesh', () => {
  it('splits every triangle into four with one vertex per edge, keeping area and input vertices', () => {
    for (const mesh of [icosphere(2), torus(16, 8), planeGrid(9, { jitter: 0.2 })]) {
      const n = mesh.positions.length / 3;
      const { mesh: out, origin } = refineMesh(mesh);
      expect(out.positions.length / 3).toBe(n + edgeCount(mesh));
      expect(out.triangles.length).toBe(4 * mesh.triangles.length);
      expect(retriangulationProblems(out)).toEqual([]);
      expect(Array.from(out.positions.subarray(0, 3 * n))).toEqual(Array.from(mesh.positions));
      expect(Array.from(origin.subarray(0, n))).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(computeTotalArea(out) / computeTotalArea(mesh)).toBeCloseTo(1, 12);
    }
  });

  it('slides jittered vertices along their edges, with the nearer end as origin, repeatably', () => {
    const mesh = icosphere(2), n = mesh.positions.length / 3;
    const { mesh: out, origin } = refineMesh(mesh, { jitter: 0.6, seed: 3 });
    expect(retriangulationProblems(out)).toEqual([]);
    let offMiddle = 0;
    for (let f = 0; f < out.triangles.length / 3; f += 4) {
      for (let k = 0; k < 3; k++) {
        // Corner triangle k of face f/4 is (old, new on the edge to the next old, new on the edge to the previous old).
        const a = out.triangles[3 * (f + k)]!, m = out.triangles[3 * (f + k) + 1]!, b = out.triangles[3 * (f + (k + 1) % 3)]!;
        expect(a).toBeLessThan(n);
        expect(m).toBeGreaterThanOrEqual(n);
        const da = distance(out.positions, m, out.positions, a), db = distance(out.positions, m, out.positions, b);
        // On the segment: the two parts add up to the edge.
        expect(da + db).toBeCloseTo(distance(out.positions, a, out.positions, b), 12);
        expect(origin[m]).toBe(da < db ? a : da > db ? b : Math.min(a, b));
        if (Math.abs(da - db) > 1e-9) offMiddle++;
      }
    }
    expect(offMiddle).toBeGreaterThan(0);
    expect(refineMesh(mesh, { jitter: 0.6, seed: 3 }).mesh.positions).toEqual(out.positions);
  });

  it('refines the SMPL body twice and carries xyz-wide data', async () => {
    const body = await loadMesh('samples/scans/smpl-human/human_man.obj');
    const { mesh, origin } = refineMesh(body, { levels: 2, jitter: 0.3 });
    expect(mesh.triangles.length).toBe(16 * body.triangles.length);
    expect(retriangulationProblems(mesh)).toEqual([]);
    const moved = transferVertexData(origin, Float32Array.from(body.positions), 3);
    expect(moved).toBeInstanceOf(Float32Array);
    expect(moved.length).toBe(mesh.positions.length);
    expect(Array.from(moved.subarray(0, 9))).toEqual(Array.from(Float32Array.from(body.positions.subarray(0, 9))));
  });

  it('rejects bad options, and transferVertexData rejects origins out of range', () => {
    expect(() => refineMesh(icosphere(0), { jitter: 1 })).toThrow(/refineMesh/);
    expect(() => refineMesh(icosphere(0), { levels: -1 })).toThrow(/refineMesh/);
    expect(() => transferVertexData(Uint32Array.of(0, 5), new Uint32Array(3))).toThrow(/transferVertexData/);
    expect(() => transferVertexData(Uint32Array.of(0), new Uint32Array(4), 3)).toThrow(/transferVertexData/);
  });
});
