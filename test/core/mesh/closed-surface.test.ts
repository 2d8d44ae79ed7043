import { describe, expect, it } from 'vitest';
import { closedSurfaceNeighbours } from '../../../core/mesh/closed-surface.js';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { computeOneRingAdjacency } from '../../../core/geometry/one-ring-adjacency.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { repairMesh } from '../../../core/mesh/repair.js';
import { bumpySphere, icosphere, permuteVertices, planeGrid, torus } from '../../fixtures/meshes.js';
import { meshViolations, sourceOf } from './mesh-invariants.js';

// A tetrahedron, faces counter-clockwise from outside, and a second one sharing only vertex 0.
const TETRAHEDRON = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];
const TETRAHEDRON_POSITIONS = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
const SECOND = TETRAHEDRON.map((v) => (v === 0 ? 0 : v + 3));
const BOTH_POSITIONS = [...TETRAHEDRON_POSITIONS, -1, 0, 0, 0, -1, 0, 0, 0, -1];

const closed = (positions: number[], triangles: number[]) => closedSurfaceNeighbours(Uint32Array.from(triangles), positions.length / 3) !== null;

describe('closedSurfaceNeighbours', () => {
  it('accepts closed, consistently oriented manifolds, which the general repair leaves as they are, with their 1-ring', () => {
    for (const mesh of [icosphere(3), torus(17, 9), permuteVertices(torus(12, 8), 5).mesh, bumpySphere(2)]) {
      expect(meshViolations(mesh)).toEqual([]);
      const neighbours = closedSurfaceNeighbours(mesh.triangles, mesh.positions.length / 3);
      expect(neighbours).toEqual(computeOneRingAdjacency(mesh).neighbours);
      // The repaired mesh hands its rows on; gauge geometry is the same with them as without.
      const repaired = repairMesh(mesh);
      expect(repaired.closedOneRing?.neighbours).toEqual(neighbours);
      const withRows = computeGaugeGeometry(repaired);
      expect(withRows.oneRing.neighbours).toBe(repaired.closedOneRing!.neighbours);
      expect(withRows).toEqual(computeGaugeGeometry({ positions: mesh.positions, triangles: mesh.triangles }));
      // Rows of other triangles are not used.
      expect(computeGaugeGeometry({ ...repaired, triangles: mesh.triangles.slice() }).oneRing.neighbours).not.toBe(repaired.closedOneRing!.neighbours);
    }
    expect(closed(TETRAHEDRON_POSITIONS, TETRAHEDRON)).toBe(true);
  });

  it('declines a boundary, a flipped face, a reversed duplicate, a face repeating a vertex and an unused vertex', () => {
    const plane = planeGrid(4);
    expect(closedSurfaceNeighbours(plane.triangles, 16)).toBeNull();
    expect(closed(TETRAHEDRON_POSITIONS, [0, 1, 2, ...TETRAHEDRON.slice(3)])).toBe(false);
    expect(closed(TETRAHEDRON_POSITIONS, [...TETRAHEDRON, 0, 1, 2])).toBe(false);
    expect(closed(TETRAHEDRON_POSITIONS, [...TETRAHEDRON, 0, 0, 1])).toBe(false);
    expect(closed([...TETRAHEDRON_POSITIONS, 5, 5, 5], TETRAHEDRON)).toBe(false);
    expect(closed([], [])).toBe(false);
    // Two faces glued back to back close up on their own: every edge has two opposite faces.
    expect(closed([0, 0, 0, 1, 0, 0, 0, 1, 0], [0, 1, 2, 0, 2, 1])).toBe(false);
  });

  it('declines closed surfaces that repairMesh must still repair: a vertex shared by two fans, a face glued to its reverse', () => {
    expect(closed(BOTH_POSITIONS, [...TETRAHEDRON, ...SECOND])).toBe(false);
    const touching = prepareMesh(sourceOf(BOTH_POSITIONS, [...TETRAHEDRON, ...SECOND]));
    expect(touching.repairs).toEqual([{ kind: 'NON_MANIFOLD_VERTICES', count: 1 }]);
    expect(meshViolations(touching)).toEqual([]);

    // A tetrahedron plus a flap: a face and its reverse on a new vertex, glued to the tetrahedron along edge 1–2.
    const flap = [...TETRAHEDRON, 1, 4, 2, 2, 4, 1];
    expect(closed([...TETRAHEDRON_POSITIONS, 1, 1, -1], flap)).toBe(false);
    const repaired = prepareMesh(sourceOf([...TETRAHEDRON_POSITIONS, 1, 1, -1], flap));
    expect(repaired.repairs.map((r) => r.kind)).toContain('DUPLICATE_FACES');
    expect(meshViolations(repaired)).toEqual([]);
  });
});
