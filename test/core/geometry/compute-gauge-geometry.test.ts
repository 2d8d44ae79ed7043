import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { meanEdgeLength } from '../../../core/geometry/mean-edge-length.js';
import { computeOneRing } from '../../../core/geometry/one-ring.js';
import { computeOneRingAdjacency } from '../../../core/geometry/one-ring-adjacency.js';
import { computeTotalArea, computeVertexAreas } from '../../../core/geometry/vertex-areas.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';
import { angleDistance } from './geometry-helpers.js';

describe('computeGaugeGeometry', () => {
  // Closed meshes take the one-entry-per-corner 1-ring, the plane (a boundary) the general one.
  for (const mesh of [icosphere(3), torus(20, 11), planeGrid(9, { jitter: 0.3 })]) {
    it(`${mesh.file}: agrees with the separate functions`, () => {
      const geometry = computeGaugeGeometry(mesh);
      const adjacency = computeOneRingAdjacency(mesh);
      expect(geometry.vertexCount).toBe(mesh.positions.length / 3);
      expect(geometry.oneRing.offsets).toEqual(adjacency.offsets);
      expect(geometry.oneRing.neighbours).toEqual(adjacency.neighbours);
      expect(geometry.vertexAreas).toEqual(new Float32Array(computeVertexAreas(mesh)));
      expect(geometry.totalArea / computeTotalArea(mesh)).toBeCloseTo(1, 12);
      expect(geometry.meanEdgeLength / meanEdgeLength(mesh)).toBeCloseTo(1, 12);
      // The separate pass reads every frame rounded to float32; the fused one its own row's in float64.
      const separate = computeOneRing(mesh, geometry.vertexNormals, geometry.frameX, geometry.frameY, adjacency);
      expect(geometry.oneRing.logMapRadius).toEqual(separate.logMapRadius);
      let worst = 0;
      for (let k = 0; k < separate.neighbours.length; k++) {
        worst = Math.max(worst, angleDistance(geometry.oneRing.logMapAngle[k]!, separate.logMapAngle[k]!));
        worst = Math.max(worst, angleDistance(geometry.oneRing.transportAngle[k]!, separate.transportAngle[k]!));
      }
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('copes with isolated vertices, degenerate faces and an empty mesh', () => {
    const mesh = {
      // Triangle 0–1–2, a zero-area triangle 1–2–3 (3 on the segment 1–2), isolated vertex 4.
      positions: Float64Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 0.5, 0.5, 0, 9, 9, 9]),
      triangles: Uint32Array.from([0, 1, 2, 1, 2, 3]),
    };
    const geometry = computeGaugeGeometry(mesh);
    expect(geometry.totalArea).toBeCloseTo(0.5, 12);
    expect(geometry.vertexAreas[3]).toBe(0);
    expect(geometry.vertexAreas[4]).toBe(0);
    expect(geometry.oneRing.offsets[5]! - geometry.oneRing.offsets[4]!).toBe(0);
    for (const field of [geometry.vertexNormals, geometry.frameX, geometry.frameY, geometry.oneRing.logMapAngle, geometry.oneRing.transportAngle]) {
      expect(field.every(Number.isFinite)).toBe(true);
    }
    const empty = computeGaugeGeometry({ positions: new Float64Array(0), triangles: new Uint32Array(0) });
    expect(empty.vertexCount).toBe(0);
    expect(empty.oneRing.offsets).toEqual(new Uint32Array([0]));
    expect(empty.meanEdgeLength).toBe(0);
  });
});
