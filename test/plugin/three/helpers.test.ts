import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { geodesicPatches } from '../../../core/geometry/geodesic-patches.js';
import { GeodesicPatchHelper } from '../../../plugin/three/geodesic-patch-helper.js';
import { TangentFrameHelper } from '../../../plugin/three/tangent-frame-helper.js';

describe('TangentFrameHelper', () => {
  it('draws e1, e2 and n of every welded vertex, orthonormal, at the chosen length', () => {
    const target = new THREE.Mesh(new THREE.SphereGeometry(1, 24, 16));
    const helper = new TangentFrameHelper(target, { scale: 0.5 });
    const { gauge } = helper.surface;
    const position = helper.geometry.getAttribute('position');
    expect(position.count).toBe(6 * gauge.vertexCount);
    const axis = (i: number) => new THREE.Vector3().fromBufferAttribute(position, i + 1).sub(new THREE.Vector3().fromBufferAttribute(position, i));
    for (let v = 0; v < gauge.vertexCount; v += 7) {
      const [e1, e2, n] = [0, 2, 4].map((k) => axis(6 * v + k));
      for (const a of [e1!, e2!, n!]) expect(a.length()).toBeCloseTo(0.5 * gauge.meanEdgeLength, 5);
      // Float32 positions: 1e-5 relative is their rounding at unit scale.
      expect(Math.abs(e1!.dot(n!)) / e1!.lengthSq()).toBeLessThan(1e-5);
      expect(e1!.clone().cross(e2!).normalize().dot(n!.clone().normalize())).toBeCloseTo(1, 5);
    }
  });
});

describe('GeodesicPatchHelper', () => {
  it('shows the same patch as geodesicPatches over the whole mesh, with the candidates cut to a ball', () => {
    const target = new THREE.Mesh(new THREE.IcosahedronGeometry(1, 8));
    const helper = new GeodesicPatchHelper(target, { radius: 0.35 });
    const patch = helper.setCentre(17);
    const { mesh, gauge } = helper.surface;
    const full = geodesicPatches(mesh, gauge, { radius: 0.35 });
    const p = patch.centre;
    const start = full.offsets[p]!, end = full.offsets[p + 1]!;
    expect(patch.members.length).toBeGreaterThan(20);
    const row = new Map<number, number>();
    for (let e = start; e < end; e++) row.set(full.neighbours[e]!, e);
    expect(new Set(patch.members)).toEqual(new Set(row.keys()));
    patch.members.forEach((q, i) => {
      const e = row.get(q)!;
      // The exponential map runs over the whole mesh either way; only float32 storage rounding may differ.
      expect(patch.logMapRadius[i]).toBeCloseTo(full.logMapRadius[e]!, 6);
      expect(patch.logMapAngle[i]).toBeCloseTo(full.logMapAngle[e]!, 6);
      expect(patch.transportAngle[i]).toBeCloseTo(full.transportAngle[e]!, 6);
    });
    helper.hidePatch();
    expect(helper.patch).toBeNull();
  });

  it('maps a split vertex to its welded vertex and names a vertex it cannot show', () => {
    const target = new THREE.Mesh(new THREE.BoxGeometry(1, 1, 1, 4, 4, 4));
    const helper = new GeodesicPatchHelper(target, { radius: 0.3 });
    const position = target.geometry.getAttribute('position');
    // Two split copies of one corner give one patch.
    const corner = [...Array(position.count).keys()].filter((v) => position.getX(v) === 0.5 && position.getY(v) === 0.5 && position.getZ(v) === 0.5);
    expect(corner.length).toBe(3);
    const a = helper.setCentre(corner[0]!), b = helper.setCentre(corner[2]!);
    expect(a.centre).toBe(b.centre);
    expect(Array.from(a.members)).toEqual(Array.from(b.members));
    expect(() => helper.setCentre(position.count + 5)).toThrow(/not part of the welded mesh/);
  });
});
