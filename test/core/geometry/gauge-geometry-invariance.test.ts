import { describe, expect, it } from 'vitest';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import type { GaugeGeometry } from '../../../core/geometry/gauge-geometry.js';
import { icosphere, permuteVertices, planeGrid, randomSimilarity, torus } from '../../fixtures/meshes.js';
import { angleDistance, entryOf, jitterMesh, rotate } from './geometry-helpers.js';

// Stored float32 values: vectors and angles carry about 1e-7 of rounding, lengths 6e-8 relative.
const VECTOR_TOLERANCE = 1e-6;
const ANGLE_TOLERANCE = 1e-5;
const RELATIVE_TOLERANCE = 1e-6;

function worstVectorDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('computeGaugeGeometry under a rigid motion and uniform scaling', () => {
  const cases: [string, Mesh][] = [['torus', torus(24, 13)], ['icosphere', icosphere(3)], ['jittered torus', jitterMesh(torus(20, 11), 0.02, 4)]];
  for (const [name, mesh] of cases) {
    it(`${name}: normals and frames rotate, r scales by s, areas by s², θ and g do not change`, () => {
      const similarity = randomSimilarity(11);
      const { scale: s, rotation } = similarity;
      const a = computeGaugeGeometry(mesh), b = computeGaugeGeometry(similarity.apply(mesh));
      const rotated = (field: Float32Array) => Float64Array.from({ length: field.length }, (_, i) => rotate(rotation, field, i - (i % 3))[i % 3]!);
      expect(worstVectorDifference(b.vertexNormals, rotated(a.vertexNormals))).toBeLessThan(VECTOR_TOLERANCE);
      // Frames follow the surface exactly, ties included: their rule reads lengths and vertex indices only.
      expect(worstVectorDifference(b.frameX, rotated(a.frameX))).toBeLessThan(VECTOR_TOLERANCE);
      expect(worstVectorDifference(b.frameY, rotated(a.frameY))).toBeLessThan(VECTOR_TOLERANCE);
      expect(b.oneRing.neighbours).toEqual(a.oneRing.neighbours);
      let worstAngle = 0, worstRatio = 0;
      for (let k = 0; k < a.oneRing.neighbours.length; k++) {
        worstAngle = Math.max(worstAngle, angleDistance(a.oneRing.logMapAngle[k]!, b.oneRing.logMapAngle[k]!));
        worstAngle = Math.max(worstAngle, angleDistance(a.oneRing.transportAngle[k]!, b.oneRing.transportAngle[k]!));
        worstRatio = Math.max(worstRatio, Math.abs(b.oneRing.logMapRadius[k]! / (s * a.oneRing.logMapRadius[k]!) - 1));
      }
      expect(worstAngle).toBeLessThan(ANGLE_TOLERANCE);
      expect(worstRatio).toBeLessThan(RELATIVE_TOLERANCE);
      for (let v = 0; v < a.vertexCount; v++) expect(Math.abs(b.vertexAreas[v]! / (s * s * a.vertexAreas[v]!) - 1)).toBeLessThan(RELATIVE_TOLERANCE);
      expect(b.totalArea / (s * s * a.totalArea)).toBeCloseTo(1, 10);
      expect(b.meanEdgeLength / (s * a.meanEdgeLength)).toBeCloseTo(1, 10);
    });
  }
});

/** φ_p: the angle of the permuted mesh's e1 at vertex p in the original frame at p. */
function gaugeChange(a: GaugeGeometry, b: GaugeGeometry, newIndexOf: Uint32Array, p: number): number {
  const i = 3 * p, j = 3 * newIndexOf[p]!;
  const along = (frame: Float32Array) => b.frameX[j]! * frame[i]! + b.frameX[j + 1]! * frame[i + 1]! + b.frameX[j + 2]! * frame[i + 2]!;
  return Math.atan2(along(a.frameY), along(a.frameX));
}

describe('computeGaugeGeometry under a vertex permutation', () => {
  const cases: [string, Mesh, boolean][] = [
    // Jittered everywhere (planeGrid keeps its border straight, where projections tie): frames exactly permuted.
    ['jittered sheet', jitterMesh(planeGrid(11, { jitter: 0.3, seed: 9 }), 0.01, 9), true],
    ['jittered torus', jitterMesh(torus(20, 11), 0.02, 4), true],
    // Symmetric: ties go to the smallest index, which a permutation changes: frames differ by a gauge change.
    ['torus', torus(20, 11), false],
  ];
  for (const [name, mesh, framesPermuted] of cases) {
    it(`${name}: normals, areas, r and rows permute; θ and g differ by the gauge change${framesPermuted ? ' (none here)' : ''}`, () => {
      const { mesh: permuted, newIndexOf } = permuteVertices(mesh, 21);
      const a = computeGaugeGeometry(mesh), b = computeGaugeGeometry(permuted);
      const V = a.vertexCount;
      const phi = Float64Array.from({ length: V }, (_, p) => gaugeChange(a, b, newIndexOf, p));
      let worstVector = 0, worstAngle = 0, worstRadius = 0, worstPhi = 0;
      for (let p = 0; p < V; p++) {
        const P = newIndexOf[p]!;
        for (let c = 0; c < 3; c++) worstVector = Math.max(worstVector, Math.abs(a.vertexNormals[3 * p + c]! - b.vertexNormals[3 * P + c]!));
        expect(b.vertexAreas[P]).toBe(a.vertexAreas[p]);
        worstPhi = Math.max(worstPhi, Math.abs(phi[p]!));
        const rowA = a.oneRing, rowB = b.oneRing;
        expect(rowB.offsets[P + 1]! - rowB.offsets[P]!).toBe(rowA.offsets[p + 1]! - rowA.offsets[p]!);
        for (let k = rowA.offsets[p]!; k < rowA.offsets[p + 1]!; k++) {
          const q = rowA.neighbours[k]!;
          const kb = entryOf(rowB.offsets, rowB.neighbours, P, newIndexOf[q]!);
          expect(kb).toBeGreaterThanOrEqual(0);
          worstRadius = Math.max(worstRadius, Math.abs(rowB.logMapRadius[kb]! - rowA.logMapRadius[k]!));
          worstAngle = Math.max(worstAngle, angleDistance(rowB.logMapAngle[kb]!, rowA.logMapAngle[k]! - phi[p]!));
          worstAngle = Math.max(worstAngle, angleDistance(rowB.transportAngle[kb]!, rowA.transportAngle[k]! + phi[q]! - phi[p]!));
        }
      }
      expect(worstVector).toBeLessThan(VECTOR_TOLERANCE);
      expect(worstRadius).toBe(0);
      expect(worstAngle).toBeLessThan(ANGLE_TOLERANCE);
      if (framesPermuted) expect(worstPhi).toBeLessThan(ANGLE_TOLERANCE);
      else expect(worstPhi).toBeGreaterThan(0.1);
      expect(b.totalArea).toBeCloseTo(a.totalArea, 12);
      expect(b.meanEdgeLength).toBeCloseTo(a.meanEdgeLength, 12);
    });
  }
});
