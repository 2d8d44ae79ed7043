import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { sourceMeshFromGeometry } from '../../../plugin/three/source-mesh-from-geometry.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { MeshError } from '../../../core/mesh/mesh-error.js';
import { signedVolume } from '../../core/mesh/mesh-compare.js';

describe('sourceMeshFromGeometry', () => {
  it('keeps one source vertex per geometry vertex and welds a box split at its edges to 8 corners', () => {
    const box = new THREE.BoxGeometry(2, 2, 2);
    const source = sourceMeshFromGeometry(box);
    expect(source.positions.length / 3).toBe(box.getAttribute('position').count);
    const mesh = prepareMesh(source);
    expect(mesh.positions.length / 3).toBe(8);
    const position = box.getAttribute('position');
    for (let v = 0; v < position.count; v++) {
      const m = mesh.sourceToMesh[v]!;
      expect([mesh.positions[3 * m], mesh.positions[3 * m + 1], mesh.positions[3 * m + 2]]).toEqual([position.getX(v), position.getY(v), position.getZ(v)]);
    }
    expect(signedVolume(mesh)).toBeCloseTo(6 * 8, 6);
  });

  it('applies a world matrix and keeps faces outward under a mirroring one', () => {
    const box = new THREE.BoxGeometry(1, 1, 1);
    const moved = prepareMesh(sourceMeshFromGeometry(box, { matrix: new THREE.Matrix4().makeTranslation(5, 0, 0) }));
    expect(Math.min(...Array.from(moved.positions).filter((_, i) => i % 3 === 0))).toBeCloseTo(4.5, 6);
    const mirrored = prepareMesh(sourceMeshFromGeometry(box, { matrix: new THREE.Matrix4().makeScale(-1, 1, 1) }));
    expect(signedVolume(mirrored)).toBeGreaterThan(0);
  });

  it('reads interleaved and normalized integer positions through the attribute, as three.js draws them', () => {
    const interleaved = new THREE.InterleavedBuffer(Float32Array.from([0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0, 3, 0, 0, 0, 1]), 6);
    const shared = new THREE.BufferGeometry();
    shared.setAttribute('position', new THREE.InterleavedBufferAttribute(interleaved, 3, 0));
    shared.setAttribute('normal', new THREE.InterleavedBufferAttribute(interleaved, 3, 3));
    expect(Array.from(sourceMeshFromGeometry(shared).positions)).toEqual([0, 0, 0, 2, 0, 0, 0, 3, 0]);
    const quantized = new THREE.BufferGeometry();
    quantized.setAttribute('position', new THREE.BufferAttribute(Int16Array.from([0, 0, 0, 32767, 0, 0, 0, -32767, 0]), 3, true));
    expect(Array.from(sourceMeshFromGeometry(quantized).positions)).toEqual([0, 0, 0, 1, 0, 0, 0, -1, 0]);
  });

  it('accepts non-indexed geometry and rejects an empty one by name', () => {
    const soup = new THREE.BoxGeometry(1, 1, 1).toNonIndexed();
    expect(prepareMesh(sourceMeshFromGeometry(soup)).positions.length / 3).toBe(8);
    const empty = new THREE.BufferGeometry();
    empty.name = 'nothing';
    expect(() => sourceMeshFromGeometry(empty)).toThrow(MeshError);
    expect(() => sourceMeshFromGeometry(empty)).toThrow(/^nothing: /);
  });
});
