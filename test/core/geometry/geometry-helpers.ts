import type { Mesh } from '../../../core/mesh/mesh.js';
import { seededRandom } from '../../fixtures/meshes.js';

/** |a − b| as angles: the distance on the circle, in [0, π]. */
export function angleDistance(a: number, b: number): number {
  const d = Math.abs((((a - b) % (2 * Math.PI)) + 3 * Math.PI) % (2 * Math.PI) - Math.PI);
  return d;
}

/** The mesh with every vertex moved by up to `amount` (absolute) in each coordinate, seeded: breaks every symmetry. */
export function jitterMesh(mesh: Mesh, amount: number, seed: number): Mesh {
  const random = seededRandom(seed);
  const positions = mesh.positions.map((x) => x + (random() - 0.5) * 2 * amount);
  return { ...mesh, positions };
}

/** Entry index of (p, q) in a CSR with ascending rows, or −1. */
export function entryOf(offsets: Uint32Array, neighbours: Uint32Array, p: number, q: number): number {
  for (let k = offsets[p]!; k < offsets[p + 1]!; k++) if (neighbours[k] === q) return k;
  return -1;
}

/** The undirected edges of the triangles as a sorted list of "min,max" keys: what a 1-ring must hold. */
export function triangleEdgeKeys(triangles: Uint32Array): string[] {
  const keys = new Set<string>();
  for (let t = 0; t < triangles.length; t += 3) {
    for (let i = 0; i < 3; i++) {
      const a = triangles[t + i]!, b = triangles[t + ((i + 1) % 3)]!;
      if (a !== b) keys.add(a < b ? `${a},${b}` : `${b},${a}`);
    }
  }
  return [...keys].sort();
}

/** Rotates xyz triple v by the row-major 3×3 matrix m. */
export function rotate(m: readonly number[], v: ArrayLike<number>, at: number): [number, number, number] {
  const x = v[at]!, y = v[at + 1]!, z = v[at + 2]!;
  return [m[0]! * x + m[1]! * y + m[2]! * z, m[3]! * x + m[4]! * y + m[5]! * z, m[6]! * x + m[7]! * y + m[8]! * z];
}
