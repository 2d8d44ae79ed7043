import { describe, expect, it } from 'vitest';
import { computeTotalArea } from '../../../core/geometry/vertex-areas.js';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { remeshMesh } from '../../../core/mesh/retriangulate.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';
import { bruteNearest, longestEdge, retriangulationProblems } from './retriangulate-helpers.js';

const BODY = 'samples/scans/smpl-human/human_man.obj';

/** Largest value of `distance` over the vertices of a mesh. */
function maxOver(mesh: Mesh, distance: (x: number, y: number, z: number) => number): number {
  let worst = 0;
  for (let v = 0; v < mesh.positions.length / 3; v++) worst = Math.max(worst, distance(mesh.positions[3 * v]!, mesh.positions[3 * v + 1]!, mesh.positions[3 * v + 2]!));
  return worst;
}

/** Every origin is a nearest input vertex (by distance, as brute force finds it). */
function expectNearestOrigins(input: Mesh, out: Mesh, origin: Uint32Array): void {
  expect(origin.length).toBe(out.positions.length / 3);
  for (let v = 0; v < origin.length; v++) {
    const [x, y, z] = [out.positions[3 * v]!, out.positions[3 * v + 1]!, out.positions[3 * v + 2]!];
    const o = origin[v]!;
    const d = (input.positions[3 * o]! - x) ** 2 + (input.positions[3 * o + 1]! - y) ** 2 + (input.positions[3 * o + 2]! - z) ** 2;
    expect(d).toBe(bruteNearest(input.positions, x, y, z).distance2);
  }
}

describe('remeshMesh', () => {
  it('keeps a sphere and a torus within a voxel diagonal of the true surface, area within 3%', async () => {
    const sphere = icosphere(4);
    const s = await remeshMesh(sphere, 32);
    expect(retriangulationProblems(s.mesh)).toEqual([]);
    // The icosphere lies within 0.001 of the unit sphere; a remeshed vertex is a surface centroid inside its voxel.
    expect(maxOver(s.mesh, (x, y, z) => Math.abs(Math.hypot(x, y, z) - 1))).toBeLessThan(Math.sqrt(3) * s.voxelSize + 0.001);
    expect(Math.abs(computeTotalArea(s.mesh) / computeTotalArea(sphere) - 1)).toBeLessThan(0.03);

    const ring = torus(64, 32);
    const t = await remeshMesh(ring, 32, { solve: true });
    expect(retriangulationProblems(t.mesh)).toEqual([]);
    const torusDistance = (x: number, y: number, z: number) => Math.abs(Math.hypot(Math.hypot(x, y) - 1, z) - 0.35);
    expect(maxOver(t.mesh, torusDistance)).toBeLessThan(Math.sqrt(3) * t.voxelSize + 0.005);
    expect(Math.abs(computeTotalArea(t.mesh) / computeTotalArea(ring) - 1)).toBeLessThan(0.03);
  });

  it('gives each vertex its nearest input vertex as origin', async () => {
    const sphere = icosphere(2);
    const { mesh, origin } = await remeshMesh(sphere, 16);
    expectNearestOrigins(sphere, mesh, origin);
  });

  it('remeshes an open sheet into a sheet near its plane', async () => {
    const plane = planeGrid(20, { jitter: 0.2 });
    const { mesh, voxelSize } = await remeshMesh(plane, 32);
    expect(retriangulationProblems(mesh)).toEqual([]);
    expect(maxOver(mesh, (_x, _y, z) => Math.abs(z))).toBeLessThan(Math.sqrt(3) * voxelSize);
  });

  it('remeshes the SMPL body near its surface, area within 5%, and simplifies to a budget', async () => {
    const body = await loadMesh(BODY);
    const bound = longestEdge(body);
    for (const resolution of [96, 160]) {
      const { mesh, origin, voxelSize } = await remeshMesh(body, resolution);
      expect(retriangulationProblems(mesh)).toEqual([]);
      // Within a voxel diagonal of the surface, and any surface point is within an edge of a vertex.
      let worst = 0;
      for (let v = 0; v < origin.length; v++) {
        const o = origin[v]!;
        worst = Math.max(worst, Math.hypot(...[0, 1, 2].map((k) => mesh.positions[3 * v + k]! - body.positions[3 * o + k]!)));
      }
      expect(worst).toBeLessThan(Math.sqrt(3) * voxelSize + bound);
      expect(Math.abs(computeTotalArea(mesh) / computeTotalArea(body) - 1)).toBeLessThan(0.05);
    }
    const budget = await remeshMesh(body, 128, { targetVertexCount: 3000 });
    expect(Math.abs(budget.mesh.positions.length / 3 - 3000)).toBeLessThanOrEqual(300);
    expect(retriangulationProblems(budget.mesh)).toEqual([]);
    // Simplification keeps remeshed vertices, so composed origins are still nearest input vertices.
    expectNearestOrigins(body, budget.mesh, budget.origin);
  });

  it('rejects a resolution outside 4 to 256', async () => {
    await expect(remeshMesh(icosphere(1), 3)).rejects.toThrow(/remeshMesh/);
    await expect(remeshMesh(icosphere(1), 257)).rejects.toThrow(/remeshMesh/);
  });
});
