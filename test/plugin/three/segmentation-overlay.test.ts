import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { SegmentationOverlay } from '../../../plugin/three/segmentation-overlay.js';
import { cornerValues, nearestCorner, nearestCornerAttributes, UNLABELLED } from '../../../plugin/three/nearest-corner-attributes.js';
import { labelColour, paletteBytes, SEGMENTATION_PALETTE } from '../../../plugin/three/segmentation-palette.js';

const hex = (css: string) => [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16));

describe('label colours', () => {
  it('gives each label its palette colour as sRGB bytes and distinct generated colours past the palette', () => {
    const bytes = paletteBytes(14);
    SEGMENTATION_PALETTE.forEach((css, label) => expect(Array.from(bytes.subarray(3 * label, 3 * label + 3))).toEqual(hex(css)));
    expect(labelColour(2).getHexString()).toBe(SEGMENTATION_PALETTE[2]!.slice(1));
    const keys = new Set(Array.from({ length: 14 }, (_, label) => bytes.subarray(3 * label, 3 * label + 3).join(',')));
    expect(keys.size).toBe(14);
  });
});

describe('nearest-corner layout', () => {
  // Two triangles sharing the edge 1–2 of a unit square, indexed.
  const positions = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]);
  const index = Uint32Array.from([0, 1, 2, 2, 1, 3]);

  it('expands to one vertex per corner with one-hot barycentric weights', () => {
    const { positions: corners, barycentric } = nearestCornerAttributes(positions, index);
    expect(corners.length).toBe(18);
    for (let c = 0; c < 6; c++) {
      expect(Array.from(corners.subarray(3 * c, 3 * c + 3))).toEqual(Array.from(positions.subarray(3 * index[c]!, 3 * index[c]! + 3)));
      expect(Array.from(barycentric.subarray(3 * c, 3 * c + 3))).toEqual([0, 1, 2].map((k) => (k === c % 3 ? 255 : 0)));
    }
  });

  it('gives every corner of a triangle the labels of all three of its vertices, unlabelled ones as -1', () => {
    const labels = Uint32Array.from([5, 6, 7, 0xffffffff]);
    const values = cornerValues(labels, index, 6);
    for (let c = 0; c < 3; c++) expect(Array.from(values.subarray(3 * c, 3 * c + 3))).toEqual([5, 6, 7]);
    for (let c = 3; c < 6; c++) expect(Array.from(values.subarray(3 * c, 3 * c + 3))).toEqual([7, 6, UNLABELLED]);
    // Non-indexed: corners are the vertices themselves.
    expect(Array.from(cornerValues(Uint32Array.from([1, 2, 3]), null, 3))).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('picks the corner with the largest barycentric weight, so boundaries run along the Voronoi lines inside a triangle', () => {
    expect(nearestCorner(0.5, 0.3, 0.2)).toBe(0);
    expect(nearestCorner(0.2, 0.5, 0.3)).toBe(1);
    expect(nearestCorner(0.2, 0.3, 0.5)).toBe(2);
    expect(nearestCorner(0.4, 0.4, 0.2)).toBe(0);
    expect(nearestCorner(0.2, 0.4, 0.4)).toBe(1);
  });
});

describe('SegmentationOverlay', () => {
  function labelledBox() {
    const target = new THREE.Mesh(new THREE.BoxGeometry(2, 2, 2), new THREE.MeshStandardMaterial({ color: 0x808080 }));
    const count = target.geometry.getAttribute('position').count;
    // Label each vertex by the sign of x (split vertices at one corner agree): +x side 1, −x side 0.
    const position = target.geometry.getAttribute('position');
    const labels = Uint32Array.from({ length: count }, (_, v) => (position.getX(v) > 0 ? 1 : 0));
    const confidences = Float32Array.from({ length: count }, (_, v) => v / count);
    return { target, labels, confidences };
  }

  it('draws over the target as a child sharing its vertex positions, leaving the target material alone', () => {
    const { target, labels, confidences } = labelledBox();
    const material = target.material;
    const overlay = new SegmentationOverlay(target);
    overlay.setLabels(labels, confidences);
    expect(target.material).toBe(material);
    expect(overlay.object.parent).toBe(target);
    const index = target.geometry.getIndex()!;
    const corners = overlay.object.geometry.getAttribute('cornerLabels');
    const position = overlay.object.geometry.getAttribute('position');
    expect(corners.count).toBe(index.count);
    for (let c = 0; c < index.count; c++) {
      const t = c - (c % 3);
      expect([corners.getX(c), corners.getY(c), corners.getZ(c)]).toEqual([labels[index.getX(t)], labels[index.getX(t + 1)], labels[index.getX(t + 2)]]);
      expect(position.getX(c)).toBe(target.geometry.getAttribute('position').getX(index.getX(c)));
    }
    expect(Array.from(overlay.counts())).toEqual([12, 12]);
  });

  /** Asserts every overlay corner sits at its target vertex as three.js reads it, and returns those positions. */
  function expectCornersAtTargetVertices(overlay: SegmentationOverlay): Float32Array {
    const geometry = overlay.target.geometry;
    const position = geometry.getAttribute('position');
    const index = geometry.getIndex();
    const corners = overlay.object.geometry.getAttribute('position');
    expect(corners.count).toBe(index ? index.count : position.count);
    const drawn = new Float32Array(3 * corners.count);
    for (let c = 0; c < corners.count; c++) {
      const v = index ? index.getX(c) : c;
      // The overlay stores float32: compare with the accessors' values rounded the same way.
      expect([corners.getX(c), corners.getY(c), corners.getZ(c)]).toEqual([position.getX(v), position.getY(v), position.getZ(v)].map(Math.fround));
      drawn.set([corners.getX(c), corners.getY(c), corners.getZ(c)], 3 * c);
    }
    return drawn;
  }

  it('de-interleaves a position attribute that shares its buffer with normals (glTF-Transform\'s layout)', () => {
    const sphere = new THREE.SphereGeometry(1, 8, 6);
    const plain = sphere.getAttribute('position'), normal = sphere.getAttribute('normal');
    const interleaved = new THREE.InterleavedBuffer(new Float32Array(6 * plain.count), 6);
    for (let v = 0; v < plain.count; v++) interleaved.array.set([plain.getX(v), plain.getY(v), plain.getZ(v), normal.getX(v), normal.getY(v), normal.getZ(v)], 6 * v);
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.InterleavedBufferAttribute(interleaved, 3, 0));
    geometry.setAttribute('normal', new THREE.InterleavedBufferAttribute(interleaved, 3, 3));
    geometry.setIndex(sphere.getIndex());
    const overlay = new SegmentationOverlay(new THREE.Mesh(geometry));
    const drawn = expectCornersAtTargetVertices(overlay);
    // Against the plain geometry too: no normal may leak into a position.
    const index = sphere.getIndex()!;
    for (let c = 0; c < index.count; c++) expect(Array.from(drawn.subarray(3 * c, 3 * c + 3))).toEqual([plain.getX(index.getX(c)), plain.getY(index.getX(c)), plain.getZ(index.getX(c))]);
    overlay.setLabels(new Uint32Array(plain.count));
    expect(Array.from(overlay.counts())).toEqual([plain.count]);
  });

  it('de-normalizes a quantized Int16 position attribute (KHR_mesh_quantization)', () => {
    const sphere = new THREE.SphereGeometry(1, 8, 6);
    const plain = sphere.getAttribute('position');
    const quantized = Int16Array.from(plain.array as Float32Array, (x) => Math.round(x * 32767));
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(quantized, 3, true));
    geometry.setIndex(sphere.getIndex());
    const overlay = new SegmentationOverlay(new THREE.Mesh(geometry));
    expect(overlay.object.geometry.getAttribute('position').normalized).toBe(false);
    const drawn = expectCornersAtTargetVertices(overlay);
    const index = sphere.getIndex()!;
    // Int16 steps are 1/32767: within one of them of the unquantized sphere, not 32767 times it.
    for (let c = 0; c < index.count; c++) for (let d = 0; d < 3; d++) expect(Math.abs(drawn[3 * c + d]! - plain.array[3 * index.getX(c) + d]!)).toBeLessThanOrEqual(1 / 32767);
  });

  it('hides labels through the palette alpha, highlights one, switches to confidence and clamps opacity', () => {
    const { target, labels } = labelledBox();
    const overlay = new SegmentationOverlay(target, { labelCount: 3 });
    overlay.setLabels(labels);
    const uniforms = overlay.object.material.uniforms;
    expect(uniforms.paletteSize.value).toBe(3);
    overlay.setLabelVisible(1, false);
    const data = uniforms.palette.value.image.data as Uint8Array;
    expect([data[3], data[7], data[11]]).toEqual([255, 0, 255]);
    expect(Array.from(data.subarray(4, 7))).toEqual(hex(SEGMENTATION_PALETTE[1]!));
    expect(overlay.isLabelVisible(1)).toBe(false);
    overlay.highlight = 2;
    expect(uniforms.highlight.value).toBe(2);
    overlay.highlight = null;
    expect(overlay.highlight).toBeNull();
    overlay.mode = 'confidence';
    expect(uniforms.confidenceView.value).toBe(1);
    overlay.opacity = 3;
    expect(overlay.opacity).toBe(1);
    expect(() => overlay.setLabels(new Uint32Array(3))).toThrow(/one per vertex/);
  });

  it('picks the label and confidence of the nearest corner under a ray, ignoring its own mesh', () => {
    const { target, labels, confidences } = labelledBox();
    target.position.set(10, 0, 0);
    target.updateMatrixWorld(true);
    const overlay = new SegmentationOverlay(target);
    overlay.setLabels(labels, confidences);
    const raycaster = new THREE.Raycaster();
    // Towards the +z face near its (+x, +y) corner.
    raycaster.set(new THREE.Vector3(10.8, 0.9, 5), new THREE.Vector3(0, 0, -1));
    const hits = raycaster.intersectObject(target, true);
    expect(hits.every((hit) => hit.object === target)).toBe(true);
    const pick = overlay.pick(hits[0]!)!;
    const position = target.geometry.getAttribute('position');
    expect([position.getX(pick.vertex), position.getY(pick.vertex), position.getZ(pick.vertex)]).toEqual([1, 1, 1]);
    expect(pick.label).toBe(1);
    expect(pick.confidence).toBe(confidences[pick.vertex]);
    overlay.dispose();
    expect(target.children).not.toContain(overlay.object);
  });
});
