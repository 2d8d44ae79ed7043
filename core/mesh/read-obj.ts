import { GrowableFloat32, GrowableUint32 } from './growable-array.js';
import type { SourceMesh } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { assertVertexCount, requireTriangles } from './source-checks.js';
import { TextScanner } from './text-scanner.js';

const V = 0x76, F = 0x66, L = 0x6c, P = 0x70, SPACE = 0x20, TAB = 0x09, HASH = 0x23, LF = 0x0a, CR = 0x0d;

/**
 * Parses a Wavefront OBJ file. Source vertices are the `v` records in file order, so a
 * `<stem>.labels.txt` with one integer per vertex lines up; extra `v` components (w or colour)
 * are ignored; `f` accepts v, v/vt, v//vn, v/vt/vn and negative (relative) indices; polygons
 * are fan-triangulated. Lines with other keywords (vt, vn, g, usemtl…) are skipped. A backslash at
 * the end of a line joins the next line to it, as the OBJ specification says (not in a `#` comment).
 */
export function readObj(bytes: Uint8Array, file: string): SourceMesh {
  // Skip a UTF-8 byte-order mark; a backslash at the end of a line continues the record on the next.
  const scanner = new TextScanner(bytes, file, bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0, 1, true);
  // A first guess from the file size (about 30 bytes per vertex line, two faces per vertex).
  const positions = new GrowableFloat32(Math.min(bytes.length / 10, 1 << 24));
  const triangles = new GrowableUint32(Math.min(bytes.length / 5, 1 << 25));
  const polygon = new GrowableUint32(16);
  let vertexCount = 0, faceCount = 0, nonTriangleRecords = 0;
  // The largest positive index seen and where: forward references are legal until the file ends.
  let maxIndex = -1, maxIndexLine = 0, maxIndexFace = 0;

  while (!scanner.atEnd) {
    scanner.skipBlank();
    const pos = scanner.pos;
    const b0 = bytes[pos], b1 = bytes[pos + 1];
    const keywordEnd = b1 === SPACE || b1 === TAB;
    if (b0 === V && keywordEnd) {
      scanner.pos = pos + 1;
      const x = scanner.readNumber(), y = scanner.readNumber(), z = scanner.readNumber();
      positions.push3(x, y, z);
      vertexCount++;
    } else if (b0 === F && keywordEnd) {
      scanner.pos = pos + 1;
      faceCount++;
      polygon.length = 0;
      while (!scanner.atLineEnd()) {
        const index = scanner.readInteger('a vertex index');
        let vertex: number;
        if (index < 0) vertex = vertexCount + index;
        else {
          vertex = index - 1;
          if (vertex > maxIndex) {
            maxIndex = vertex;
            maxIndexLine = scanner.line;
            maxIndexFace = faceCount;
          }
        }
        if (vertex < 0 || index === 0) {
          throw scanner.error('INDEX_OUT_OF_RANGE', `face ${faceCount} refers to vertex ${index}, but only ${vertexCount} vertices come before it; fix the face in the exporter`);
        }
        polygon.push(vertex);
        scanner.skipSlashes();
      }
      const corners = polygon.array, n = polygon.length;
      if (n < 3) nonTriangleRecords++;
      for (let i = 1; i + 1 < n; i++) triangles.push3(corners[0]!, corners[i]!, corners[i + 1]!);
    } else if ((b0 === L || b0 === P) && keywordEnd) {
      nonTriangleRecords++;
    } else if (b0 !== undefined && b0 !== LF && b0 !== CR && b0 !== HASH && !isLetter(b0)) {
      throw scanner.error('PARSE', `expected an OBJ keyword such as v or f, found byte 0x${b0.toString(16)}; is this really an OBJ file?`);
    }
    scanner.nextLine();
  }

  if (vertexCount === 0 && faceCount === 0 && nonTriangleRecords === 0) {
    throw new MeshError('PARSE', file, 'has no OBJ vertex or face records (v, f); is this really an OBJ file?');
  }
  assertVertexCount(file, vertexCount);
  if (maxIndex >= vertexCount) {
    throw new MeshError('INDEX_OUT_OF_RANGE', file, `line ${maxIndexLine}: face ${maxIndexFace} refers to vertex ${maxIndex + 1}, but the file has only ${vertexCount} vertices; fix the face in the exporter`);
  }
  requireTriangles(file, triangles.length, nonTriangleRecords > 0 || (vertexCount > 0 && faceCount === 0) ? 'points or lines' : null);
  return {
    file,
    positions: positions.toArray(),
    triangles: triangles.toArray(),
    primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount }],
  };
}

function isLetter(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x5f;
}
