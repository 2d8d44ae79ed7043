import { describe, expect, it } from 'vitest';
import { NO_VERTEX } from '../../../core/mesh/mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { repairMesh } from '../../../core/mesh/repair.js';
import { weld } from '../../../core/mesh/weld.js';
import { planeGrid, seededRandom } from '../../fixtures/meshes.js';
import { meshViolations, sourceOf } from './mesh-invariants.js';

// A unit square as two triangles, and points above it for fins.
const SQUARE = [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0];

describe('repairMesh', () => {
  it('drops degenerate faces (a repeated vertex or zero area) and duplicates in either orientation, keeping the first', () => {
    const positions = [...SQUARE, 2, 2, 0];
    const triangles = [
      0, 1, 2, // kept
      0, 0, 1, // repeated vertex
      0, 2, 4, // collinear: (0,0), (1,1), (2,2)
      0, 2, 3, // kept
      1, 2, 0, // the first face again, rotated
      3, 2, 0, // the fourth face reversed
    ];
    const source = sourceOf(positions, triangles);
    const mesh = prepareMesh(source);
    expect(Array.from(mesh.triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(mesh.repairs).toEqual([
      { kind: 'DEGENERATE_FACES', count: 2 },
      { kind: 'DUPLICATE_FACES', count: 2 },
      { kind: 'UNREFERENCED_VERTICES', count: 1 },
    ]);
    // Vertex 4 only served the dropped collinear face.
    expect(Array.from(mesh.sourceToMesh)).toEqual([0, 1, 2, 3, NO_VERTEX]);
    expect(meshViolations(mesh, source)).toEqual([]);
  });

  it('splits a bowtie vertex into one vertex per fan, each source vertex following its own fan', () => {
    // Two triangles meeting only at the origin; the file stores the origin twice (a seam).
    const positions = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0, -1, 0];
    const source = sourceOf(positions, [0, 1, 2, 3, 4, 5]);
    const mesh = prepareMesh(source);
    expect(mesh.repairs).toEqual([{ kind: 'NON_MANIFOLD_VERTICES', count: 1 }]);
    expect(mesh.positions.length / 3).toBe(6);
    const [a, b] = [mesh.sourceToMesh[0]!, mesh.sourceToMesh[3]!];
    expect(a).not.toBe(b);
    expect(mesh.triangles[0]).toBe(a);
    expect(mesh.triangles[3]).toBe(b);
    expect(meshViolations(mesh, source)).toEqual([]);

    // Stored once, the shared source vertex cannot follow both fans: it maps to the first.
    const shared = prepareMesh(sourceOf([0, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0], [0, 1, 2, 0, 3, 4]));
    expect(shared.sourceToMesh[0]).toBe(shared.triangles[0]);
    expect(shared.triangles[3]).not.toBe(shared.triangles[0]);
  });

  it('detaches the third face of an edge shared by three, keeping the first two joined', () => {
    // A book: three pages on the edge 0–1.
    const positions = [0, 0, 0, 1, 0, 0, 0.5, 1, 0, 0.5, -1, 0, 0.5, 0, 1];
    const source = sourceOf(positions, [0, 1, 2, 1, 0, 3, 0, 1, 4]);
    const mesh = prepareMesh(source);
    expect(mesh.repairs).toEqual([{ kind: 'NON_MANIFOLD_EDGES', count: 1 }]);
    const t = Array.from(mesh.triangles);
    expect(t.slice(0, 6)).toEqual([0, 1, 2, 1, 0, 3]);
    expect(t[6]).not.toBe(0);
    expect(t[7]).not.toBe(1);
    expect(mesh.positions.length / 3).toBe(7);
    expect(meshViolations(mesh, source)).toEqual([]);
  });

  it('keeps a disk whole and detaches a fin even when the fin is the first face on the edge', () => {
    // A fan of four faces around vertex 0 (a disk), with a fin on the disk's edge 0–1 listed first.
    const positions = [0, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0, 0.5, 0, 1];
    const source = sourceOf(positions, [1, 0, 5, 0, 1, 2, 0, 2, 3, 0, 3, 4, 0, 4, 1]);
    const mesh = prepareMesh(source);
    expect(mesh.repairs).toEqual([{ kind: 'NON_MANIFOLD_EDGES', count: 1 }]);
    const t = Array.from(mesh.triangles);
    // The disk faces still close around one vertex.
    expect([t[3], t[6], t[9], t[12]].every((v) => v === t[3])).toBe(true);
    expect(t[14]).toBe(t[4]);
    // The fin (1, 0, 5) lost the edge: it no longer has both of the disk's ends.
    expect(t[0] === t[4] && t[1] === t[3]).toBe(false);
    expect(meshViolations(mesh, source)).toEqual([]);
  });

  it('drops an unreferenced vertex, mapping its source vertex to NO_VERTEX', () => {
    const source = sourceOf([...SQUARE, 5, 5, 5], [0, 1, 2, 0, 2, 3]);
    const mesh = prepareMesh(source);
    expect(mesh.repairs).toEqual([{ kind: 'UNREFERENCED_VERTICES', count: 1 }]);
    expect(mesh.positions.length / 3).toBe(4);
    expect(mesh.sourceToMesh[4]).toBe(NO_VERTEX);
  });

  it('handles a vertex with hundreds of faces, and two such fans meeting at one apex', () => {
    const rim = 300;
    const positions = [0, 0, 0];
    for (let i = 0; i < rim; i++) positions.push(Math.cos((2 * Math.PI * i) / rim), Math.sin((2 * Math.PI * i) / rim), 0.5);
    for (let i = 0; i < rim; i++) positions.push(Math.cos((2 * Math.PI * i) / rim), Math.sin((2 * Math.PI * i) / rim), -0.5);
    const cone = (first: number, flip: boolean) =>
      Array.from({ length: rim }, (_, i) => (flip ? [0, first + ((i + 1) % rim), first + i] : [0, first + i, first + ((i + 1) % rim)])).flat();
    expect(prepareMesh(sourceOf(positions.slice(0, 3 * (rim + 1)), cone(1, false))).repairs).toEqual([]);
    const source = sourceOf(positions, [...cone(1, false), ...cone(1 + rim, true)]);
    const mesh = prepareMesh(source);
    expect(mesh.repairs).toEqual([{ kind: 'NON_MANIFOLD_VERTICES', count: 1 }]);
    expect(mesh.positions.length / 3).toBe(2 * rim + 2);
    expect(meshViolations(mesh, source)).toEqual([]);
  });

  it('leaves a valid mesh as it is and keeps earlier repairs', () => {
    const grid = planeGrid(6);
    const mesh = repairMesh({ ...grid, repairs: [{ kind: 'EARLIER', count: 1 }] });
    expect(mesh.positions).toBe(grid.positions);
    expect(mesh.triangles).toBe(grid.triangles);
    expect(mesh.repairs).toEqual([{ kind: 'EARLIER', count: 1 }]);
  });

  it('turns messy meshes (duplicates, fins, bowties, seams, degenerate and unused vertices) into valid ones', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const source = messySource(seed);
      const mesh = prepareMesh(source);
      expect(meshViolations(mesh, source), `seed ${seed}`).toEqual([]);
      // Every face that is neither degenerate nor a repeat of an earlier one survives, at its positions.
      expect(mesh.triangles.length / 3, `seed ${seed}`).toBe(distinctFaces(source));
    }
  });
});

describe('weld', () => {
  it('merges bit-identical positions (−0 as 0) in order of first occurrence', () => {
    const mesh = weld(sourceOf([1, 2, 3, 0, 0, 0, 1, 2, 3, -0, 0, -0, 4, 5, 6], [0, 1, 4, 2, 3, 4]));
    expect(Array.from(mesh.sourceToMesh)).toEqual([0, 1, 0, 1, 2]);
    expect(Array.from(mesh.positions)).toEqual([1, 2, 3, 0, 0, 0, 4, 5, 6]);
    expect(Array.from(mesh.triangles)).toEqual([0, 1, 2, 0, 1, 2]);
    // Nearby but different floats stay apart.
    expect(weld(sourceOf([0.1, 0, 0, 0.1000001, 0, 0, 0, 1, 0], [0, 1, 2])).positions.length / 3).toBe(3);
  });

  it('rejects NaN positions and indices past the last vertex, naming them', () => {
    expect(() => weld(sourceOf([0, 0, 0, NaN, 0, 0, 0, 1, 0], [0, 1, 2], 'bad'))).toThrow(expect.objectContaining({ code: 'NAN_POSITION', message: expect.stringMatching(/^bad: .*vertex 1\b/) }));
    expect(() => weld(sourceOf([0, 0, 0, 1, 0, 0, 0, 1, 0], [0, 1, 3], 'bad'))).toThrow(expect.objectContaining({ code: 'INDEX_OUT_OF_RANGE' }));
  });
});

/** A jittered grid lifted off its plane, with random defects added and its faces shuffled. */
function messySource(seed: number) {
  const random = seededRandom(seed);
  const grid = planeGrid(3 + Math.floor(random() * 4), { jitter: 0.3, seed });
  const positions = Array.from(grid.positions, (x, i) => (i % 3 === 2 ? Math.floor(random() * 3) * 0.25 : x));
  const vertexCount = positions.length / 3;
  const triangles = Array.from(grid.triangles);
  const added = (x: number, y: number, z: number) => positions.push(x, y, z) / 3 - 1;
  for (let defects = Math.floor(random() * 8); defects > 0; defects--) {
    const f = Math.floor(random() * (triangles.length / 3));
    const [a, b, c] = triangles.slice(3 * f, 3 * f + 3) as [number, number, number];
    const kind = Math.floor(random() * 7);
    if (kind === 0) triangles.push(a, b, c);
    else if (kind === 1) triangles.push(c, b, a);
    else if (kind === 2) triangles.push(a, a, b);
    else if (kind === 3) triangles.push(a, b, added(random(), random(), 1 + random()));
    else if (kind === 4) {
      const w = Math.floor(random() * vertexCount);
      if (w !== a && w !== b) triangles.push(b, a, w);
    } else if (kind === 5) triangles.push(a, added(2 + random(), 2 + random(), 2), added(3 + random(), 2 + random(), 2.5));
    else added(9, 9, 9);
  }
  // Seams: a vertex stored twice, faces using either copy.
  for (let seams = Math.floor(random() * 4); seams > 0; seams--) {
    const v = Math.floor(random() * vertexCount);
    const copy = added(positions[3 * v]!, positions[3 * v + 1]!, positions[3 * v + 2]!);
    for (let i = 0; i < triangles.length; i++) if (triangles[i] === v && random() < 0.5) triangles[i] = copy;
  }
  const order = Array.from({ length: triangles.length / 3 }, (_, f) => f);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return sourceOf(positions, order.flatMap((f) => triangles.slice(3 * f, 3 * f + 3)), `messy-${seed}`);
}

/** Faces with three distinct positions, non-zero area and a vertex set not seen before. */
function distinctFaces(source: ReturnType<typeof sourceOf>): number {
  const p = source.positions, t = source.triangles, seen = new Set<string>();
  for (let i = 0; i < t.length; i += 3) {
    const [a, b, c] = [3 * t[i]!, 3 * t[i + 1]!, 3 * t[i + 2]!];
    const u = [0, 1, 2].map((k) => p[b + k]! - p[a + k]!), w = [0, 1, 2].map((k) => p[c + k]! - p[a + k]!);
    const cross = [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
    if (cross.every((x) => x === 0)) continue;
    seen.add([a, b, c].map((v) => `${p[v]},${p[v + 1]},${p[v + 2]}`).sort().join('|'));
  }
  return seen.size;
}
