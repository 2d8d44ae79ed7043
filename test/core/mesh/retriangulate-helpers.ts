import type { Mesh } from '../../../core/mesh/mesh.js';
import { meshViolations } from './mesh-invariants.js';

/** Brute-force nearest point: index and squared distance, for checking the grid search. */
export function bruteNearest(points: ArrayLike<number>, x: number, y: number, z: number): { index: number; distance2: number } {
  let index = -1, distance2 = Infinity;
  for (let p = 0; p < points.length / 3; p++) {
    const d = (points[3 * p]! - x) ** 2 + (points[3 * p + 1]! - y) ** 2 + (points[3 * p + 2]! - z) ** 2;
    if (d < distance2) distance2 = d, index = p;
  }
  return { index, distance2 };
}

/** Validity of a re-triangulated mesh: mesh invariants, identity sourceToMesh, no zero-area face. */
export function retriangulationProblems(mesh: Mesh): string[] {
  const problems = meshViolations(mesh);
  const n = mesh.positions.length / 3, P = mesh.positions, T = mesh.triangles;
  if (mesh.sourceToMesh.length !== n || mesh.sourceToMesh.some((v, i) => v !== i)) problems.push('sourceToMesh is not the identity');
  if (mesh.repairs.length !== 0) problems.push('repairs are not empty');
  for (let f = 0; f < T.length / 3; f++) {
    const [a, b, c] = [T[3 * f]!, T[3 * f + 1]!, T[3 * f + 2]!];
    const e = [0, 1, 2].map((k) => P[3 * b + k]! - P[3 * a + k]!), g = [0, 1, 2].map((k) => P[3 * c + k]! - P[3 * a + k]!);
    const cross = Math.hypot(e[1]! * g[2]! - e[2]! * g[1]!, e[2]! * g[0]! - e[0]! * g[2]!, e[0]! * g[1]! - e[1]! * g[0]!);
    if (!(cross > 0)) problems.push(`face ${f} has zero area`);
  }
  return problems;
}

/** Longest edge of any triangle. */
export function longestEdge(mesh: Mesh): number {
  const P = mesh.positions, T = mesh.triangles;
  let longest = 0;
  for (let c = 0; c < T.length; c++) {
    const a = T[c]!, b = T[c % 3 === 2 ? c - 2 : c + 1]!;
    longest = Math.max(longest, Math.hypot(P[3 * a]! - P[3 * b]!, P[3 * a + 1]! - P[3 * b + 1]!, P[3 * a + 2]! - P[3 * b + 2]!));
  }
  return longest;
}
