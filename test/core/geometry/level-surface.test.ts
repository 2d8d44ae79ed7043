import { describe, expect, it } from 'vitest';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { farthestPointSampling } from '../../../core/geometry/farthest-point-sampling.js';
import { expMapSteps } from '../../../core/geometry/exp-map-steps.js';
import { geodesicPatches } from '../../../core/geometry/geodesic-patches.js';
import { levelSurface } from '../../../core/geometry/level-surface.js';
import type { Neighbourhood } from '../../../core/geometry/neighbourhood.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { bumpySphere, planeGrid } from '../../fixtures/meshes.js';

/** Entry index of (row p, neighbour q), or −1. */
function entry(n: Neighbourhood, p: number, q: number): number {
  for (let e = n.offsets[p]!; e < n.offsets[p + 1]!; e++) if (n.neighbours[e] === q) return e;
  return -1;
}

/** a − b wrapped to (−π, π]. */
function angleDifference(a: number, b: number): number {
  const d = (a - b) % (2 * Math.PI);
  return d > Math.PI ? d - 2 * Math.PI : d <= -Math.PI ? d + 2 * Math.PI : d;
}

/** A level of `mesh` at `spacing`: samples, parents and patches of 2.5 spacings, as buildHierarchy makes level 1. */
function level(mesh: Mesh, spacing: number) {
  const geometry = computeGaugeGeometry(mesh);
  const steps = expMapSteps(mesh, geometry);
  const all = Uint32Array.from({ length: geometry.vertexCount }, (_, i) => i);
  const samples = farthestPointSampling(mesh, geometry, steps, all, { spacing });
  const patches = geodesicPatches(mesh, geometry, { radius: 2.5 * spacing, vertices: samples.vertices, steps });
  return { geometry, samples, patches, surface: levelSurface(mesh, geometry, samples.vertices, samples.nearest, patches) };
}

describe('levelSurface', () => {
  const mesh = bumpySphere(4);
  const { geometry, samples, patches, surface } = level(mesh, 0.1);

  it('links the level by its mutual patch entries, with the patches own log maps', () => {
    const ring = surface.geometry.oneRing;
    expect(surface.geometry.vertexCount).toBe(samples.vertices.length);
    let mutual = 0;
    for (let p = 0; p < samples.vertices.length; p++) {
      for (let e = patches.offsets[p]!; e < patches.offsets[p + 1]!; e++) {
        const q = patches.neighbours[e]!;
        const kept = entry(ring, p, q);
        expect(kept >= 0).toBe(entry(patches, q, p) >= 0);
        if (kept < 0) continue;
        mutual++;
        expect([ring.logMapRadius[kept], ring.logMapAngle[kept], ring.transportAngle[kept]]).toEqual([patches.logMapRadius[e], patches.logMapAngle[e], patches.transportAngle[e]]);
      }
    }
    expect(ring.neighbours.length).toBe(mutual);
    // Measured: 90% of the entries are mutual here, about 10 per vertex.
    expect(mutual / patches.neighbours.length).toBeGreaterThan(0.8);
  });

  it('gives each edge one geodesic length both ways, the mean of its two log-map radii', () => {
    const ring = surface.geometry.oneRing;
    const { edgeLength, reverse } = surface.steps;
    for (let f = 0; f < edgeLength.length; f++) {
      expect(edgeLength[reverse[f]!]).toBe(edgeLength[f]);
      expect(edgeLength[f]).toBeCloseTo(0.5 * (ring.logMapRadius[f]! + ring.logMapRadius[reverse[f]!]!), 12);
    }
  });

  it('places each vertex where the mesh has it, with the area of its cell', () => {
    for (let i = 0; i < samples.vertices.length; i++) {
      const v = samples.vertices[i]!;
      expect(Array.from(surface.positions.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(mesh.positions.subarray(3 * v, 3 * v + 3)));
    }
    const total = surface.geometry.vertexAreas.reduce((sum, a) => sum + a, 0);
    expect(total).toBeCloseTo(geometry.totalArea, 4);
    expect(Math.min(...surface.geometry.vertexAreas)).toBeGreaterThan(0);
  });

  it('on a jittered plane carries exact polar coordinates: patches over it are the plane\'s own', () => {
    const plane = planeGrid(40, { jitter: 0.3, seed: 5 });
    const flat = level(plane, 0.06);
    const centres = Uint32Array.from({ length: flat.samples.vertices.length }, (_, i) => i);
    const radius = 0.2;
    const over = geodesicPatches(flat.surface, flat.surface.geometry, { radius, vertices: centres, steps: flat.surface.steps });
    const { frameX } = flat.geometry;
    const x = plane.positions;
    let worstRadius = 0, worstAngle = 0, worstTransport = 0;
    for (let p = 0; p < centres.length; p++) {
      const vp = flat.samples.vertices[p]!;
      const framePhase = Math.atan2(frameX[3 * vp + 1]!, frameX[3 * vp]!);
      for (let e = over.offsets[p]!; e < over.offsets[p + 1]!; e++) {
        const vq = flat.samples.vertices[over.neighbours[e]!]!;
        const dx = x[3 * vq]! - x[3 * vp]!, dy = x[3 * vq + 1]! - x[3 * vp + 1]!;
        worstRadius = Math.max(worstRadius, Math.abs(over.logMapRadius[e]! - Math.hypot(dx, dy)));
        worstAngle = Math.max(worstAngle, Math.abs(angleDifference(over.logMapAngle[e]!, Math.atan2(dy, dx) - framePhase)));
        const transport = Math.atan2(frameX[3 * vq + 1]!, frameX[3 * vq]!) - framePhase;
        worstTransport = Math.max(worstTransport, Math.abs(angleDifference(over.transportAngle[e]!, transport)));
      }
    }
    expect(over.neighbours.length / centres.length).toBeGreaterThan(12);
    // Float32 log maps composed over a few steps: measured 1.9e-8, 2.3e-7 and 3.9e-7.
    expect(worstRadius).toBeLessThan(1e-6);
    expect(worstAngle).toBeLessThan(2e-6);
    expect(worstTransport).toBeLessThan(2e-6);
  });
});
