import { MeshError } from './mesh-error.js';

/** The most vertices a mesh may have: vertex ids are uint32 and 0xffffffff means "no vertex". */
export const MAX_VERTICES = 0xffffffff;

/** Throws TOO_MANY_VERTICES before anything is allocated for a count read from a header. */
export function assertVertexCount(file: string, count: number): void {
  if (count > MAX_VERTICES) {
    throw new MeshError('TOO_MANY_VERTICES', file, `declares ${count} vertices, more than the ${MAX_VERTICES} a mesh can index; split the scan into parts`);
  }
}

/** Throws TRUNCATED when a header promises more data than the bytes left could hold. */
export function assertFits(file: string, neededBytes: number, availableBytes: number, what: string): void {
  if (neededBytes > availableBytes) {
    throw new MeshError(
      'TRUNCATED',
      file,
      `the header declares ${what}, which needs at least ${neededBytes} bytes, but only ${availableBytes} follow; the file is cut short or its header is wrong`,
    );
  }
}

/**
 * Throws NAN_POSITION naming the first vertex with a NaN or infinite coordinate and which
 * coordinates are. `positions` holds `size` values per vertex (xyz first); `where` follows the
 * vertex number in the message (a glTF primitive, checked as stored, before node transforms turn
 * one bad coordinate into three).
 */
export function assertFinitePositions(file: string, positions: ArrayLike<number>, size = 3, where = ''): void {
  for (let i = 0; i < positions.length; i++) {
    const x = positions[i]!;
    if (x - x !== 0) {
      const vertex = Math.floor(i / size);
      const coordinates = [positions[size * vertex]!, positions[size * vertex + 1]!, positions[size * vertex + 2]!];
      const what = coordinates.flatMap((c, axis) => (c - c !== 0 ? [`${'xyz'[axis]} is ${c}`] : [])).join(', ');
      throw new MeshError(
        'NAN_POSITION',
        file,
        `vertex ${vertex} (0-based)${where} has a non-finite coordinate: ${what}; fix or remove it in the source file`,
      );
    }
  }
}

/**
 * Throws when nothing triangular was found: NOT_TRIANGLES when the file holds only other
 * primitives (`nonTriangles` names them), NO_TRIANGLES when it holds no faces at all.
 */
export function requireTriangles(file: string, triangleIndexCount: number, nonTriangles: string | null): void {
  if (triangleIndexCount > 0) return;
  if (nonTriangles !== null) {
    throw new MeshError('NOT_TRIANGLES', file, `has only ${nonTriangles} and no triangles or polygons; Erlangen needs a surface mesh (point clouds are not supported yet)`);
  }
  throw new MeshError('NO_TRIANGLES', file, 'contains no triangles; export the scan with its faces');
}
