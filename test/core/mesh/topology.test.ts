import { describe, expect, it } from 'vitest';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { meshTopology } from '../../../core/mesh/topology.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';

/** Two meshes side by side as one (the second moved 10 along x). */
function union(a: Mesh, b: Mesh): Mesh {
  const offset = a.positions.length / 3;
  const positions = Float64Array.from([...a.positions, ...Array.from(b.positions, (x, i) => (i % 3 === 0 ? x + 10 : x))]);
  const triangles = Uint32Array.from([...a.triangles, ...Array.from(b.triangles, (v) => v + offset)]);
  return { ...a, positions, triangles };
}

describe('meshTopology', () => {
  it('counts one component and one boundary loop on a grid', () => {
    const n = 7;
    expect(meshTopology(planeGrid(n, { jitter: 0.2 }))).toMatchObject({ components: 1, boundaryLoops: 1, boundaryEdges: 4 * (n - 1) });
  });

  it('counts no boundary on closed surfaces, and their components', () => {
    expect(meshTopology(icosphere(2))).toMatchObject({ components: 1, boundaryLoops: 0, boundaryEdges: 0 });
    const both = meshTopology(union(icosphere(1), torus(12, 8)));
    expect(both).toMatchObject({ components: 2, boundaryLoops: 0, boundaryEdges: 0 });
    // Triangles are labelled by component in order of their first triangle.
    expect(both.triangleComponent[0]).toBe(0);
    expect(both.triangleComponent[both.triangleComponent.length - 1]).toBe(1);
  });

  it('counts the hole of an annulus as a second loop, and a grid next to a sphere as two components', () => {
    const grid = planeGrid(6);
    // Drop the two triangles of the central cell (row 2, column 2): a hole with 4 boundary edges.
    const keep: number[] = [];
    for (let t = 0; t < grid.triangles.length; t += 3) {
      const cell = Math.floor(t / 6);
      if (cell !== 2 * 5 + 2) keep.push(grid.triangles[t]!, grid.triangles[t + 1]!, grid.triangles[t + 2]!);
    }
    const annulus = { ...grid, triangles: Uint32Array.from(keep) };
    expect(meshTopology(annulus)).toMatchObject({ components: 1, boundaryLoops: 2, boundaryEdges: 20 + 4 });
    expect(meshTopology(union(annulus, icosphere(1)))).toMatchObject({ components: 2, boundaryLoops: 2 });
  });

  it('ignores isolated vertices', () => {
    const grid = planeGrid(3);
    const positions = Float64Array.from([...grid.positions, 5, 5, 5]);
    expect(meshTopology({ ...grid, positions })).toMatchObject({ components: 1, boundaryLoops: 1, boundaryEdges: 8 });
  });
});
