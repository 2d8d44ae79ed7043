import { expect } from 'vitest';
import type { Mesh } from '../../../core/mesh/mesh.js';

/** Triangles as sorted strings of vertex ids, each rotated to start at its smallest id (orientation kept). */
export function canonicalTriangles(triangles: ArrayLike<number>, relabel: (v: number) => number = (v) => v): string[] {
  const out: string[] = [];
  for (let t = 0; t < triangles.length; t += 3) {
    const tri = [relabel(triangles[t]!), relabel(triangles[t + 1]!), relabel(triangles[t + 2]!)];
    const k = tri.indexOf(Math.min(...tri));
    out.push([tri[k], tri[(k + 1) % 3], tri[(k + 2) % 3]].join(','));
  }
  return out.sort();
}

/**
 * Asserts that `actual` is `expected` up to vertex order and a position tolerance: every vertex
 * lies within `tolerance` of exactly one expected vertex, and the oriented triangles agree.
 */
export function expectSameMesh(actual: Mesh, expected: Mesh, tolerance: number): void {
  const n = actual.positions.length / 3, m = expected.positions.length / 3;
  expect(n).toBe(m);
  const match = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    for (let w = 0; w < m; w++) {
      const d = Math.hypot(
        actual.positions[3 * v]! - expected.positions[3 * w]!,
        actual.positions[3 * v + 1]! - expected.positions[3 * w + 1]!,
        actual.positions[3 * v + 2]! - expected.positions[3 * w + 2]!,
      );
      if (d <= tolerance) match[v] = w;
    }
    expect(match[v], `vertex ${v} has no counterpart`).toBeGreaterThanOrEqual(0);
  }
  expect(new Set(match).size).toBe(n);
  expect(canonicalTriangles(actual.triangles, (v) => match[v]!)).toEqual(canonicalTriangles(expected.triangles));
}

/** Six times the enclosed volume: positive when faces are counter-clockwise seen from outside. */
export function signedVolume(mesh: Pick<Mesh, 'positions' | 'triangles'>): number {
  const p = mesh.positions;
  let volume = 0;
  for (let t = 0; t < mesh.triangles.length; t += 3) {
    const a = 3 * mesh.triangles[t]!, b = 3 * mesh.triangles[t + 1]!, c = 3 * mesh.triangles[t + 2]!;
    volume +=
      p[a]! * (p[b + 1]! * p[c + 2]! - p[b + 2]! * p[c + 1]!) -
      p[a + 1]! * (p[b]! * p[c + 2]! - p[b + 2]! * p[c]!) +
      p[a + 2]! * (p[b]! * p[c + 1]! - p[b + 1]! * p[c]!);
  }
  return volume;
}
