import { describe, expect, it } from 'vitest';
import { computeTotalArea } from '../../../core/geometry/vertex-areas.js';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { simplifyMesh, transferVertexData } from '../../../core/mesh/retriangulate.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';
import { retriangulationProblems } from './retriangulate-helpers.js';

const BODY = 'samples/scans/smpl-human/human_man.obj';

async function expectSimplified(mesh: Mesh, target: number, areaTolerance: number, regularize = false): Promise<void> {
  const { mesh: out, origin } = await simplifyMesh(mesh, target, { regularize });
  const n = out.positions.length / 3;
  expect(Math.abs(n - target)).toBeLessThanOrEqual(0.1 * target);
  expect(origin.length).toBe(n);
  expect(retriangulationProblems(out)).toEqual([]);
  // Collapses keep input vertices: every output vertex is exactly its origin, and origins are distinct.
  for (let v = 0; v < n; v++) {
    for (let k = 0; k < 3; k++) expect(out.positions[3 * v + k]).toBe(mesh.positions[3 * origin[v]! + k]);
  }
  expect(new Set(origin).size).toBe(n);
  expect(Math.abs(computeTotalArea(out) / computeTotalArea(mesh) - 1)).toBeLessThan(areaTolerance);
}

describe('simplifyMesh', () => {
  it('reaches the vertex target on closed and open meshes, keeping input vertices and area', async () => {
    await expectSimplified(icosphere(4), 600, 0.03);
    await expectSimplified(torus(64, 32), 500, 0.03, true);
    // A flat grid keeps its area exactly up to rounding: collapses stay in the plane and along straight borders.
    await expectSimplified(planeGrid(40, { jitter: 0.3 }), 400, 1e-6);
  });

  it('simplifies the SMPL body to 3000 vertices, with and without regularisation, carrying labels', async () => {
    const body = await loadMesh(BODY);
    await expectSimplified(body, 3000, 0.02);
    await expectSimplified(body, 3000, 0.02, true);
    const { origin } = await simplifyMesh(body, 3000);
    const labels = Uint8Array.from({ length: body.positions.length / 3 }, (_, v) => v % 7);
    const moved = transferVertexData(origin, labels);
    expect(Array.from(moved)).toEqual(Array.from(origin, (o) => o % 7));
  });

  it('returns the input geometry for a target at or above its size, and rejects a bad target', async () => {
    const mesh = icosphere(1);
    const { mesh: out, origin } = await simplifyMesh(mesh, 1000);
    expect(out.positions).toEqual(mesh.positions);
    expect(Array.from(origin)).toEqual(Array.from({ length: 42 }, (_, i) => i));
    await expect(simplifyMesh(mesh, 2)).rejects.toThrow(/simplifyMesh/);
  });
});
