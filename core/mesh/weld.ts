import type { Mesh, SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { scratchInt32 } from './scratch.js';

const SIGN_BIT = 0x80000000, EXPONENT_BITS = 0x7f800000;

/**
 * Merges source vertices at bit-identical float32 positions (−0 counts as 0) into one mesh
 * vertex, numbered in order of first occurrence, and renumbers the triangles. O(n) with an
 * open-addressing hash table over the coordinate bits. Nothing is dropped or repaired here:
 * see {@link repairMesh}. When no two source vertices merge, the mesh shares `source.triangles`.
 */
export function weld(source: SourceMesh): Mesh {
  const { file, positions: sourcePositions, triangles: sourceTriangles } = source;
  const n = sourcePositions.length / 3;
  if (!Number.isInteger(n) || sourceTriangles.length % 3 !== 0) {
    throw new MeshError('PARSE', file, `positions (${sourcePositions.length}) or triangle indices (${sourceTriangles.length}) are not a multiple of 3`);
  }
  const bits = new Uint32Array(sourcePositions.buffer, sourcePositions.byteOffset, sourcePositions.length);
  // Load factor ≤ 1/2 keeps probe chains short; slots hold the first source vertex at a position.
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = scratchInt32('weld.table', size).fill(-1);
  const sourceToMesh = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    let x = bits[3 * i]!, y = bits[3 * i + 1]!, z = bits[3 * i + 2]!;
    if ((x & EXPONENT_BITS) === EXPONENT_BITS || (y & EXPONENT_BITS) === EXPONENT_BITS || (z & EXPONENT_BITS) === EXPONENT_BITS) {
      throw new MeshError('NAN_POSITION', file, `vertex ${i} (0-based) has a non-finite coordinate (${sourcePositions[3 * i]}, ${sourcePositions[3 * i + 1]}, ${sourcePositions[3 * i + 2]}); fix or remove it in the source`);
    }
    if (x === SIGN_BIT) x = 0;
    if (y === SIGN_BIT) y = 0;
    if (z === SIGN_BIT) z = 0;
    let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(z, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let slot = h & mask;
    for (;;) {
      const first = table[slot]!;
      if (first < 0) {
        table[slot] = i;
        sourceToMesh[i] = count++;
        break;
      }
      const fx = bits[3 * first]!, fy = bits[3 * first + 1]!, fz = bits[3 * first + 2]!;
      if ((fx === SIGN_BIT ? 0 : fx) === x && (fy === SIGN_BIT ? 0 : fy) === y && (fz === SIGN_BIT ? 0 : fz) === z) {
        sourceToMesh[i] = sourceToMesh[first]!;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  // Mesh vertices are numbered in order of first occurrence, so id `next` first appears where it equals `next`.
  const positions = new Float64Array(3 * count);
  for (let i = 0, next = 0; next < count; i++) {
    if (sourceToMesh[i] !== next) continue;
    // +0 turns −0 into 0, matching the welding rule.
    positions[3 * next] = sourcePositions[3 * i]! + 0;
    positions[3 * next + 1] = sourcePositions[3 * i + 1]! + 0;
    positions[3 * next + 2] = sourcePositions[3 * i + 2]! + 0;
    next++;
  }

  // Nothing merged: mesh vertex i is source vertex i, so the source triangles serve as they are.
  const triangles = count === n ? sourceTriangles : new Uint32Array(sourceTriangles.length);
  for (let c = 0; c < sourceTriangles.length; c++) {
    const s = sourceTriangles[c]!;
    if (s >= n) {
      throw new MeshError('INDEX_OUT_OF_RANGE', file, `triangle ${(c / 3) | 0} (0-based) refers to source vertex ${s}, but there are ${n}; fix the face in the source`);
    }
    if (triangles !== sourceTriangles) triangles[c] = sourceToMesh[s]!;
  }
  return { file, positions, triangles, sourceToMesh, repairs: [] };
}
