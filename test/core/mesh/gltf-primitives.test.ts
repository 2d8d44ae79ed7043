import { Document, Primitive, WebIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { sourceMeshFromDocument } from '../../../core/mesh/source-mesh-from-document.js';

// Five points on a zigzag: strips and fans over them give distinct, non-degenerate triangles.
const POINTS = [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 2, 0];

/** A document with one primitive of the given mode and indices (none: non-indexed) in the default scene. */
function documentWith(mode: (typeof Primitive.Mode)[keyof typeof Primitive.Mode], indices: number[] | null, indexType: 'u16' | 'u8' = 'u16'): Document {
  const document = new Document();
  const buffer = document.createBuffer();
  const position = document.createAccessor().setType('VEC3').setArray(new Float32Array(POINTS)).setBuffer(buffer);
  const primitive = document.createPrimitive().setMode(mode).setAttribute('POSITION', position);
  if (indices) {
    const array = indexType === 'u8' ? new Uint8Array(indices) : new Uint16Array(indices);
    primitive.setIndices(document.createAccessor().setType('SCALAR').setArray(array).setBuffer(buffer));
  }
  const mesh = document.createMesh().addPrimitive(primitive);
  document.getRoot().setDefaultScene(document.createScene().addChild(document.createNode().setMesh(mesh)));
  return document;
}

const triangles = (document: Document) => Array.from(sourceMeshFromDocument(document).triangles);

describe('glTF primitive modes', () => {
  it('reads non-indexed triangles', () => {
    expect(triangles(documentWith(Primitive.Mode.TRIANGLES, null))).toEqual([0, 1, 2]);
  });

  it('converts strips with alternating winding, as the glTF spec orders them', () => {
    expect(triangles(documentWith(Primitive.Mode.TRIANGLE_STRIP, [0, 1, 2, 3, 4]))).toEqual([0, 1, 2, 1, 3, 2, 2, 3, 4]);
  });

  it('converts fans around their first vertex', () => {
    expect(triangles(documentWith(Primitive.Mode.TRIANGLE_FAN, [0, 1, 3, 4]))).toEqual([1, 3, 0, 3, 4, 0]);
  });

  it('restarts strips at the largest index value (KHR_mesh_primitive_restart)', () => {
    expect(triangles(documentWith(Primitive.Mode.TRIANGLE_STRIP, [0, 1, 2, 0xffff, 1, 3, 2]))).toEqual([0, 1, 2, 1, 3, 2]);
    expect(triangles(documentWith(Primitive.Mode.TRIANGLE_FAN, [0, 1, 2, 0xff, 4, 2, 3], 'u8'))).toEqual([1, 2, 0, 2, 3, 4]);
  });

  it('skips points and lines, and reports NOT_TRIANGLES when nothing else is there', async () => {
    const document = documentWith(Primitive.Mode.POINTS, null);
    const bytes = await new WebIO().writeBinary(document);
    await expect(loadSourceMesh(bytes, { file: 'points.glb' })).rejects.toMatchObject({ code: 'NOT_TRIANGLES', file: 'points.glb' });
    const lines = document.getRoot().listMeshes()[0]!;
    const position = lines.listPrimitives()[0]!.getAttribute('POSITION')!;
    lines.addPrimitive(document.createPrimitive().setAttribute('POSITION', position));
    const source = sourceMeshFromDocument(document);
    // The points primitive contributes no source vertices; the triangle primitive starts at 0.
    expect(Array.from(source.triangles)).toEqual([0, 1, 2]);
    expect(source.primitives).toEqual([{ node: 0, mesh: 0, primitive: 1, firstVertex: 0, vertexCount: 5 }]);
  });
});
