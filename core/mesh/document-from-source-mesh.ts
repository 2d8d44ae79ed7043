import { Accessor, Document } from '@gltf-transform/core';
import type { SourceMesh } from './mesh.js';

/**
 * A glTF Document holding a SourceMesh read from OBJ, PLY or OFF: one node, one mesh, one
 * indexed triangle primitive whose vertices are the file's vertices in the file's order, so
 * per-vertex results written to it line up with the file.
 */
export function documentFromSourceMesh(source: SourceMesh): Document {
  const document = new Document();
  const buffer = document.createBuffer();
  const position = document.createAccessor('POSITION').setType(Accessor.Type.VEC3).setArray(source.positions.slice()).setBuffer(buffer);
  const vertexCount = source.positions.length / 3;
  // The smallest index type that addresses every vertex keeps the file small.
  const indexArray = vertexCount <= 0xffff ? Uint16Array.from(source.triangles) : source.triangles.slice();
  const indices = document.createAccessor('indices').setType(Accessor.Type.SCALAR).setArray(indexArray).setBuffer(buffer);
  const primitive = document.createPrimitive().setAttribute('POSITION', position).setIndices(indices);
  const name = baseName(source.file);
  const mesh = document.createMesh(name).addPrimitive(primitive);
  const node = document.createNode(name).setMesh(mesh);
  document.getRoot().setDefaultScene(document.createScene().addChild(node));
  return document;
}

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.[^.]*$/, '');
}
