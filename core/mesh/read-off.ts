import { GrowableUint32 } from './growable-array.js';
import type { SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { assertFits, assertVertexCount, requireTriangles } from './source-checks.js';
import { clip, TextScanner } from './text-scanner.js';

// [ST][C][N][4][n]OFF: texture coordinates, colours and normals follow xyz on a vertex line and are ignored.
const OFF_KEYWORD = /^(ST)?C?N?(4?)(n?)OFF$/;
// Bytes of a wrong header shown in the error: enough to recognise a format, short enough for one line.
const SHOWN_HEADER_BYTES = 16;
// Fewest bytes of an ASCII vertex line ("0 0 0\n") and face line ("0\n").
const MIN_VERTEX_BYTES = 6, MIN_FACE_BYTES = 2;

/**
 * Parses an ASCII OFF file (also COFF, NOFF, CNOFF, STOFF…): one vertex per line (xyz, extra
 * values ignored), then one polygon per line (`n i1 … in`, colour ignored), fan-triangulated.
 * `#` comments and blank lines are allowed anywhere.
 */
export function readOff(bytes: Uint8Array, file: string): SourceMesh {
  const scanner = new TextScanner(bytes, file, bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
  scanner.skipSpace(true);
  const keyword = scanner.token();
  const match = OFF_KEYWORD.exec(keyword);
  if (!match) throw new MeshError('PARSE', file, `line ${scanner.line}: expected an OFF header such as "OFF" or "COFF", found "${clip(keyword, SHOWN_HEADER_BYTES)}"; is this really an OFF file?`);
  if (match[2] || match[3]) throw new MeshError('UNSUPPORTED_FORMAT', file, `${keyword} files (other than 3 dimensions) are not supported; convert to a 3D OFF, PLY or OBJ`);
  const afterKeyword = scanner.pos;
  if (!scanner.atLineEnd() && /^binary$/i.test(scanner.token())) {
    throw new MeshError('UNSUPPORTED_FORMAT', file, 'binary OFF is not supported; convert it to ASCII OFF, PLY or glTF');
  }
  // Counts may follow the keyword on the same line.
  scanner.pos = afterKeyword;
  if (scanner.atLineEnd()) scanner.skipSpace(true);
  const vertexCount = scanner.readInteger('the vertex count');
  const faceCount = scanner.readInteger('the face count');
  if (vertexCount < 0 || faceCount < 0) throw scanner.error('PARSE', `negative counts ${vertexCount} ${faceCount}`);
  scanner.nextLine();
  assertVertexCount(file, vertexCount);
  assertFits(file, vertexCount * MIN_VERTEX_BYTES + faceCount * MIN_FACE_BYTES - 1, bytes.length - scanner.pos, `${vertexCount} vertices and ${faceCount} faces`);

  const truncated = (what: string, index: number, count: number) =>
    new MeshError('TRUNCATED', file, `the file ends at ${what} ${index} of ${count}; it was cut short`);
  const positions = new Float32Array(3 * vertexCount);
  for (let v = 0; v < vertexCount; v++) {
    scanner.skipSpace(true);
    if (scanner.atEnd) throw truncated('vertex', v, vertexCount);
    positions[3 * v] = scanner.readNumber();
    positions[3 * v + 1] = scanner.readNumber();
    positions[3 * v + 2] = scanner.readNumber();
    scanner.nextLine();
  }
  const triangles = new GrowableUint32(3 * faceCount);
  const polygon = new GrowableUint32(16);
  let polygonsUnder3 = 0;
  for (let f = 0; f < faceCount; f++) {
    scanner.skipSpace(true);
    if (scanner.atEnd) throw truncated('face', f, faceCount);
    const n = scanner.readInteger('a polygon size');
    polygon.length = 0;
    for (let k = 0; k < n; k++) {
      const index = scanner.readInteger('a vertex index');
      if (index < 0 || index >= vertexCount) {
        throw scanner.error('INDEX_OUT_OF_RANGE', `face ${f} (0-based) refers to vertex ${index}, but the file has ${vertexCount} vertices; fix the face in the exporter`);
      }
      polygon.push(index);
    }
    if (n < 3) polygonsUnder3++;
    const corners = polygon.array;
    for (let k = 1; k + 1 < n; k++) triangles.push3(corners[0]!, corners[k]!, corners[k + 1]!);
    scanner.nextLine();
  }
  requireTriangles(file, triangles.length, (faceCount === 0 && vertexCount > 0) || polygonsUnder3 > 0 ? 'points or polygons with fewer than 3 vertices' : null);
  return {
    file,
    positions,
    triangles: triangles.toArray(),
    primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount }],
  };
}
