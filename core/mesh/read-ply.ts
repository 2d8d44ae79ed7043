import { GrowableUint32 } from './growable-array.js';
import type { SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { minimumRecordBytes, PLY_TYPE_SIZE, readPlyHeader, type PlyElement, type PlyScalarType } from './read-ply-header.js';
import { assertFits, assertVertexCount, requireTriangles } from './source-checks.js';
import { TextScanner } from './text-scanner.js';

/** Where the vertex and face data of a PLY file are, resolved from its header. */
interface PlyLayout {
  readonly vertex: PlyElement;
  /** Property indices of x, y and z in the vertex element. */
  readonly xyz: readonly [number, number, number];
  /** Index of the face element's vertex-index list, or −1 for other elements. */
  readonly faceList: (element: PlyElement) => number;
}

/**
 * Parses a PLY file (ascii, binary_little_endian, binary_big_endian): x, y, z of the `vertex`
 * element (any numeric type, among any other properties) and the `vertex_indices` (or
 * `vertex_index`) list of the optional `face` element, polygons fan-triangulated. Every other
 * element and property is skipped. Sizes in the header are checked against the file size first.
 */
export function readPly(bytes: Uint8Array, file: string): SourceMesh {
  const header = readPlyHeader(bytes, file);
  const vertex = header.elements.find((element) => element.name === 'vertex');
  const xyz = ['x', 'y', 'z'].map((name) => vertex?.properties.findIndex((p) => p.name === name && p.countType === null) ?? -1);
  if (!vertex || xyz.some((index) => index < 0)) {
    throw new MeshError('PARSE', file, 'has no "vertex" element with scalar x, y and z properties');
  }
  assertVertexCount(file, vertex.count);
  const binary = header.format !== 'ascii';
  let needed = 0, what = '';
  for (const element of header.elements) {
    needed += element.count * minimumRecordBytes(element, binary);
    what += `${what ? ', ' : ''}${element.count} ${element.name}`;
  }
  // The last ASCII value needs no separator after it.
  if (!binary && needed > 0) needed--;
  assertFits(file, needed, bytes.length - header.bodyStart, what);

  const layout: PlyLayout = {
    vertex,
    xyz: xyz as [number, number, number],
    faceList: (element) =>
      element.name === 'face'
        ? element.properties.findIndex((p) => p.countType !== null && (p.name === 'vertex_indices' || p.name === 'vertex_index'))
        : -1,
  };
  const positions = new Float32Array(3 * vertex.count);
  const faces = header.elements.find((element) => element.name === 'face');
  const triangles = new GrowableUint32(3 * (faces?.count ?? 0));
  const counts = binary
    ? readBinaryBody(bytes, header.bodyStart, header.format === 'binary_little_endian', header.elements, layout, positions, triangles, file)
    : readAsciiBody(new TextScanner(bytes, file, header.bodyStart, header.bodyLine), header.elements, layout, positions, triangles);
  requireTriangles(file, triangles.length, (counts.faces === 0 && vertex.count > 0) || counts.polygonsUnder3 > 0 ? 'points (vertices without faces) or faces with fewer than 3 vertices' : null);
  return {
    file,
    positions,
    triangles: triangles.toArray(),
    primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount: vertex.count }],
  };
}

interface BodyCounts {
  faces: number;
  polygonsUnder3: number;
}

function indexError(file: string, face: number, index: number, vertexCount: number): MeshError {
  return new MeshError('INDEX_OUT_OF_RANGE', file, `face ${face} (0-based) refers to vertex ${index}, but the file has ${vertexCount} vertices; fix the face in the exporter`);
}

function readBinaryBody(
  bytes: Uint8Array, start: number, little: boolean, elements: readonly PlyElement[], layout: PlyLayout,
  positions: Float32Array, triangles: GrowableUint32, file: string,
): BodyCounts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length, vertexCount = layout.vertex.count;
  const read = (type: PlyScalarType, offset: number): number => {
    switch (type) {
      case 'float32': return view.getFloat32(offset, little);
      case 'float64': return view.getFloat64(offset, little);
      case 'int32': return view.getInt32(offset, little);
      case 'uint32': return view.getUint32(offset, little);
      case 'int16': return view.getInt16(offset, little);
      case 'uint16': return view.getUint16(offset, little);
      case 'int8': return view.getInt8(offset);
      case 'uint8': return view.getUint8(offset);
    }
  };
  const truncated = (element: PlyElement, record: number) =>
    new MeshError('TRUNCATED', file, `the file ends inside ${element.name} ${record} of ${element.count}; it was cut short`);
  // Binary has no lines: the record stands where the ASCII reader names the line.
  const parseError = (element: PlyElement, record: number, detail: string) =>
    new MeshError('PARSE', file, `${element.name} ${record} (0-based): ${detail}`);
  // The ASCII reader's checks: a whole number first, then one of the vertices.
  const vertexIndex = (type: PlyScalarType, at: number, element: PlyElement, record: number): number => {
    const index = read(type, at);
    if (!Number.isInteger(index)) throw parseError(element, record, `expected a vertex index, found ${index}`);
    if (index < 0 || index >= vertexCount) throw indexError(file, record, index, vertexCount);
    return index;
  };
  const counts: BodyCounts = { faces: 0, polygonsUnder3: 0 };
  let offset = start;
  for (const element of elements) {
    const properties = element.properties;
    const hasList = properties.some((p) => p.countType !== null);
    const listIndex = layout.faceList(element);
    if (element === layout.vertex && !hasList) {
      // Fixed-size records: one bounds check for the whole element.
      const stride = minimumRecordBytes(element, true);
      if (offset + element.count * stride > end) throw truncated(element, Math.floor((end - offset) / stride));
      const at = properties.map((_, i) => properties.slice(0, i).reduce((sum, p) => sum + PLY_TYPE_SIZE[p.type], 0));
      const [ix, iy, iz] = layout.xyz;
      const ox = at[ix]!, oy = at[iy]!, oz = at[iz]!;
      const tx = properties[ix]!.type, ty = properties[iy]!.type, tz = properties[iz]!.type;
      for (let v = 0; v < element.count; v++, offset += stride) {
        positions[3 * v] = read(tx, offset + ox);
        positions[3 * v + 1] = read(ty, offset + oy);
        positions[3 * v + 2] = read(tz, offset + oz);
      }
      continue;
    }
    if (!hasList && element !== layout.vertex) {
      offset += element.count * minimumRecordBytes(element, true);
      if (offset > end) throw truncated(element, element.count);
      continue;
    }
    if (listIndex >= 0) counts.faces += element.count;
    for (let r = 0; r < element.count; r++) {
      for (let p = 0; p < properties.length; p++) {
        const property = properties[p]!;
        if (property.countType === null) {
          const size = PLY_TYPE_SIZE[property.type];
          if (offset + size > end) throw truncated(element, r);
          if (element === layout.vertex) {
            const axis = layout.xyz.indexOf(p);
            if (axis >= 0) positions[3 * r + axis] = read(property.type, offset);
          }
          offset += size;
          continue;
        }
        const countSize = PLY_TYPE_SIZE[property.countType], itemSize = PLY_TYPE_SIZE[property.type];
        if (offset + countSize > end) throw truncated(element, r);
        const n = read(property.countType, offset);
        // A negative or fractional count would move the offset backwards or between values.
        if (!Number.isInteger(n) || n < 0) throw parseError(element, r, `expected a list length, found ${n}`);
        offset += countSize;
        if (offset + n * itemSize > end) throw truncated(element, r);
        if (p === listIndex) {
          if (n < 3) counts.polygonsUnder3++;
          let first = 0, previous = 0;
          for (let k = 0; k < n; k++) {
            const index = vertexIndex(property.type, offset + k * itemSize, element, r);
            if (k === 0) first = index;
            else if (k >= 2) triangles.push3(first, previous, index);
            previous = index;
          }
        }
        offset += n * itemSize;
      }
    }
  }
  return counts;
}

function readAsciiBody(
  scanner: TextScanner, elements: readonly PlyElement[], layout: PlyLayout, positions: Float32Array, triangles: GrowableUint32,
): BodyCounts {
  const vertexCount = layout.vertex.count, file = scanner.file;
  const polygon = new GrowableUint32(16);
  const counts: BodyCounts = { faces: 0, polygonsUnder3: 0 };
  const next = (element: PlyElement, record: number): number => {
    scanner.skipSpace(false);
    if (scanner.atEnd) throw new MeshError('TRUNCATED', file, `the file ends inside ${element.name} ${record} of ${element.count}; it was cut short`);
    return scanner.readNumber();
  };
  for (const element of elements) {
    const properties = element.properties;
    const listIndex = layout.faceList(element);
    const isVertex = element === layout.vertex;
    if (listIndex >= 0) counts.faces += element.count;
    for (let r = 0; r < element.count; r++) {
      for (let p = 0; p < properties.length; p++) {
        if (properties[p]!.countType === null) {
          const value = next(element, r);
          if (isVertex) {
            const axis = layout.xyz.indexOf(p);
            if (axis >= 0) positions[3 * r + axis] = value;
          }
          continue;
        }
        const n = next(element, r);
        if (!Number.isInteger(n) || n < 0) throw scanner.error('PARSE', `expected a list length, found ${n}`);
        polygon.length = 0;
        for (let k = 0; k < n; k++) {
          const value = next(element, r);
          if (p !== listIndex) continue;
          if (!Number.isInteger(value)) throw scanner.error('PARSE', `expected a vertex index, found ${value}`);
          if (value < 0 || value >= vertexCount) throw indexError(file, r, value, vertexCount);
          polygon.push(value);
        }
        if (p !== listIndex) continue;
        if (n < 3) counts.polygonsUnder3++;
        const corners = polygon.array;
        for (let k = 1; k + 1 < n; k++) triangles.push3(corners[0]!, corners[k]!, corners[k + 1]!);
      }
    }
  }
  return counts;
}
