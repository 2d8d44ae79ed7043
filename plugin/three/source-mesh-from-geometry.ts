import type { BufferGeometry, Matrix4 } from 'three';
import type { SourceMesh } from '../../core/mesh/mesh.js';
import { MeshError } from '../../core/mesh/mesh-error.js';
import { vertexPositions } from './vertex-positions.js';

/** Options for {@link sourceMeshFromGeometry}. */
export interface SourceMeshFromGeometryOptions {
  /** Applied to positions, e.g. `mesh.matrixWorld`; none keeps the geometry's local space. */
  matrix?: Matrix4;
  /** Name used in error messages. */
  name?: string;
}

/**
 * A three.js BufferGeometry as a SourceMesh: one source vertex per geometry vertex (split
 * vertices included), so labels computed on the welded mesh map back to the geometry exactly.
 * Indexed and non-indexed triangle geometries are accepted; groups are ignored.
 */
export function sourceMeshFromGeometry(geometry: BufferGeometry, options: SourceMeshFromGeometryOptions = {}): SourceMesh {
  const file = options.name ?? (geometry.name || '<BufferGeometry>');
  const attribute = geometry.getAttribute('position');
  if (!attribute || attribute.count === 0) throw new MeshError('EMPTY', file, 'the geometry has no positions');
  const vertexCount = attribute.count;
  const positions = vertexPositions(attribute, options.matrix);
  const index = geometry.getIndex();
  const cornerCount = index ? index.count : vertexCount;
  if (cornerCount % 3 !== 0) throw new MeshError('NOT_TRIANGLES', file, `${cornerCount} corners is not a whole number of triangles`);
  const triangles = new Uint32Array(cornerCount);
  for (let i = 0; i < cornerCount; i++) triangles[i] = index ? index.getX(i) : i;
  // A mirroring matrix turns faces inside out; swap two corners to keep them counter-clockwise.
  if (options.matrix && options.matrix.determinant() < 0) {
    for (let t = 0; t < cornerCount; t += 3) [triangles[t + 1], triangles[t + 2]] = [triangles[t + 2]!, triangles[t + 1]!];
  }
  return { file, positions, triangles, primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount }] };
}
