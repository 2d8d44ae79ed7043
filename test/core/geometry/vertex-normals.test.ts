import { describe, expect, it } from 'vitest';
import { computeVertexNormals, FALLBACK_NORMAL } from '../../../core/geometry/vertex-normals.js';
import { icosphere, planeGrid, torus } from '../../fixtures/meshes.js';

describe('computeVertexNormals', () => {
  it('gives unit, outward normals on an icosphere, within 0.01 rad of the radial direction', () => {
    const mesh = icosphere(3, 2);
    const normals = computeVertexNormals(mesh);
    for (let v = 0; v < normals.length / 3; v++) {
      const n = normals.subarray(3 * v, 3 * v + 3), p = mesh.positions.subarray(3 * v, 3 * v + 3);
      expect(Math.hypot(n[0]!, n[1]!, n[2]!)).toBeCloseTo(1, 12);
      const cosine = (n[0]! * p[0]! + n[1]! * p[1]! + n[2]! * p[2]!) / Math.hypot(p[0]!, p[1]!, p[2]!);
      expect(cosine).toBeGreaterThan(Math.cos(0.01));
    }
  });

  it('gives +z on a jittered plane (faces counter-clockwise from +z) to 1e-15', () => {
    const normals = computeVertexNormals(planeGrid(8, { jitter: 0.3 }));
    for (let v = 0; v < normals.length / 3; v++) {
      expect(Math.abs(normals[3 * v]!)).toBeLessThan(1e-15);
      expect(Math.abs(normals[3 * v + 1]!)).toBeLessThan(1e-15);
      expect(normals[3 * v + 2]).toBeCloseTo(1, 15);
    }
  });

  it('weights faces by their corner angles: splitting a corner does not tilt the normal', () => {
    // Vertex 0 at the apex of a square pyramid: four faces of equal angle give the axis; splitting one
    // face in two (a new vertex on its base edge) keeps the corner angle sum, so the normal is unchanged.
    const h = 0.5;
    const base = [[1, 0, -h], [0, 1, -h], [-1, 0, -h], [0, -1, -h]];
    const positions = [0, 0, 0, ...base.flat(), 0.5, 0.5, -h];
    const whole = { positions: Float64Array.from(positions), triangles: Uint32Array.from([0, 1, 2, 0, 2, 3, 0, 3, 4, 0, 4, 1]) };
    const split = { positions: Float64Array.from(positions), triangles: Uint32Array.from([0, 1, 5, 0, 5, 2, 0, 2, 3, 0, 3, 4, 0, 4, 1]) };
    const a = computeVertexNormals(whole), b = computeVertexNormals(split);
    // 1e-8: the corner angles carry fastAtan2's error (FAST_ATAN2_MAX_ERROR).
    for (let i = 0; i < 3; i++) expect(Math.abs(b[i]! - a[i]!)).toBeLessThan(1e-8);
    expect(a[2]).toBeCloseTo(1, 12);
  });

  it('gives FALLBACK_NORMAL to isolated vertices and vertices on degenerate faces only', () => {
    const mesh = {
      positions: Float64Array.from([0, 0, 0, 1, 0, 0, 2, 0, 0, 5, 5, 5]),
      triangles: Uint32Array.from([0, 1, 2]),
    };
    const normals = computeVertexNormals(mesh);
    for (let v = 0; v < 4; v++) expect([...normals.subarray(3 * v, 3 * v + 3)]).toEqual([...FALLBACK_NORMAL]);
  });

  it('is unit everywhere on a torus (negative curvature inside, positive outside)', () => {
    const normals = computeVertexNormals(torus(24, 12));
    for (let v = 0; v < normals.length / 3; v++) {
      expect(Math.hypot(normals[3 * v]!, normals[3 * v + 1]!, normals[3 * v + 2]!)).toBeCloseTo(1, 12);
    }
  });
});
