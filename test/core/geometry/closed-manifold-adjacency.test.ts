import { describe, expect, it } from 'vitest';
import { closedManifoldAdjacency } from '../../../core/geometry/closed-manifold-adjacency.js';
import { computeOneRingAdjacency } from '../../../core/geometry/one-ring-adjacency.js';
import { icosphere, permuteVertices, planeGrid, torus } from '../../fixtures/meshes.js';

/** Corner counts laid out as CSR row starts, as computeGaugeGeometry builds them. */
function rowStartsOf(triangles: Uint32Array, vertexCount: number): Uint32Array {
  const starts = new Uint32Array(vertexCount + 1);
  for (const v of triangles) starts[v + 1]++;
  for (let v = 0; v < vertexCount; v++) starts[v + 1] += starts[v]!;
  return starts;
}

function tryClosed(positions: ArrayLike<number>, triangles: ArrayLike<number>) {
  const t = Uint32Array.from(triangles), V = positions.length / 3;
  return closedManifoldAdjacency(t, rowStartsOf(t, V), new Uint32Array(V));
}

// A tetrahedron, faces counter-clockwise from outside.
const TETRAHEDRON = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];
const TETRAHEDRON_POSITIONS = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];

describe('closedManifoldAdjacency', () => {
  it('builds exactly the general 1-ring on closed, consistently oriented meshes', () => {
    for (const mesh of [icosphere(3), torus(17, 9), permuteVertices(torus(12, 8), 5).mesh]) {
      const V = mesh.positions.length / 3;
      const fast = closedManifoldAdjacency(mesh.triangles, rowStartsOf(mesh.triangles, V), new Uint32Array(V));
      expect(fast).not.toBeNull();
      const general = computeOneRingAdjacency(mesh);
      expect(rowStartsOf(mesh.triangles, V)).toEqual(general.offsets);
      expect(fast).toEqual(general.neighbours);
    }
  });

  it('accepts two closed surfaces touching at a vertex (a non-manifold vertex has a well-defined 1-ring)', () => {
    const second = TETRAHEDRON.map((v) => (v === 0 ? 0 : v + 3));
    const positions = [...TETRAHEDRON_POSITIONS, -1, 0, 0, 0, -1, 0, 0, 0, -1];
    const neighbours = tryClosed(positions, [...TETRAHEDRON, ...second]);
    // Vertex 0 has six corners, so its row is the first six entries.
    expect([...neighbours!.subarray(0, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('declines a boundary, a flipped face, an edge of three faces and a face repeating a vertex', () => {
    const plane = planeGrid(4);
    expect(closedManifoldAdjacency(plane.triangles, rowStartsOf(plane.triangles, 16), new Uint32Array(16))).toBeNull();
    expect(tryClosed(TETRAHEDRON_POSITIONS, TETRAHEDRON)).not.toBeNull();
    expect(tryClosed(TETRAHEDRON_POSITIONS, [0, 1, 2, ...TETRAHEDRON.slice(3)])).toBeNull();
    expect(tryClosed([...TETRAHEDRON_POSITIONS, 1, 1, 1], [...TETRAHEDRON, 0, 1, 4])).toBeNull();
    expect(tryClosed(TETRAHEDRON_POSITIONS, [...TETRAHEDRON, 0, 0, 1])).toBeNull();
  });
});
