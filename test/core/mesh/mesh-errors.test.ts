import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeIO, type GLTF } from '@gltf-transform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import { MeshError, type MeshErrorCode } from '../../../core/mesh/mesh-error.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { cubeDocument, toPly } from '../../fixtures/mesh-files.js';

const text = (s: string) => new TextEncoder().encode(s);

/** Three vertices of a right triangle with the given faces. */
const triangle = (faces: number[]) => ({ positions: Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0]), triangles: Uint32Array.from(faces) });

/** Loads `bytes` as `file` and returns the MeshError it must throw. */
async function failure(bytes: Uint8Array, file: string): Promise<MeshError> {
  try {
    await loadMesh(bytes, { file });
  } catch (error) {
    expect(error).toBeInstanceOf(MeshError);
    return error as MeshError;
  }
  throw new Error(`${file} loaded without error`);
}

type PlyListType = 'char' | 'uchar' | 'int' | 'float';
const PLY_LIST_TYPE_SIZE: Record<PlyListType, number> = { char: 1, uchar: 1, int: 4, float: 4 };

/** The triangle's three vertices and `faces` (each a list length, then its items) as a PLY with the given list types. */
function facePly(format: 'ascii' | 'binary_little_endian' | 'binary_big_endian', faces: number[][], countType: PlyListType, indexType: PlyListType): Uint8Array {
  const header = text(`ply\nformat ${format} 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face ${faces.length}\nproperty list ${countType} ${indexType} vertex_indices\nend_header\n`);
  const positions = [0, 0, 0, 1, 0, 0, 0, 1, 0];
  if (format === 'ascii') return text(`${new TextDecoder().decode(header)}0 0 0\n1 0 0\n0 1 0\n${faces.map((face) => face.join(' ')).join('\n')}\n`);
  const little = format === 'binary_little_endian';
  const faceBytes = faces.reduce((sum, face) => sum + PLY_LIST_TYPE_SIZE[countType] + (face.length - 1) * PLY_LIST_TYPE_SIZE[indexType], 0);
  const out = new Uint8Array(header.length + 4 * positions.length + faceBytes);
  out.set(header);
  const view = new DataView(out.buffer);
  let offset = header.length;
  const write = (type: PlyListType, value: number) => {
    if (type === 'char') view.setInt8(offset, value);
    else if (type === 'uchar') view.setUint8(offset, value);
    else if (type === 'int') view.setInt32(offset, value, little);
    else view.setFloat32(offset, value, little);
    offset += PLY_LIST_TYPE_SIZE[type];
  };
  for (const x of positions) write('float', x);
  for (const [count, ...items] of faces) {
    write(countType, count!);
    for (const item of items) write(indexType, item);
  }
  return out;
}

async function expectCode(bytes: Uint8Array, file: string, code: MeshErrorCode, detail?: RegExp): Promise<MeshError> {
  const error = await failure(bytes, file);
  expect(error.code, error.message).toBe(code);
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  if (detail) expect(error.detail).toMatch(detail);
  return error;
}

/** A tetrahedron's glTF JSON (positions in bufferView 0, uint16 indices in bufferView 1) and its 72 buffer bytes. */
function tetrahedronGltf(): { json: GLTF.IGLTF; bin: Uint8Array } {
  const positions = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const indices = Uint16Array.from([0, 2, 1, 0, 1, 3, 1, 2, 3, 0, 3, 2]);
  const bin = new Uint8Array(72);
  bin.set(new Uint8Array(positions.buffer));
  bin.set(new Uint8Array(indices.buffer), 48);
  const json: GLTF.IGLTF = {
    asset: { version: '2.0' },
    buffers: [{ byteLength: 72 }],
    bufferViews: [{ buffer: 0, byteOffset: 0, byteLength: 48 }, { buffer: 0, byteOffset: 48, byteLength: 24 }],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 4, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 1] },
      { bufferView: 1, componentType: 5123, count: 12, type: 'SCALAR' },
    ],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }],
    nodes: [{ mesh: 0 }],
    scenes: [{ nodes: [0] }],
  };
  return { json, bin };
}

/** .gltf bytes with the buffer embedded as a data: URI. */
function embedded(json: GLTF.IGLTF, bin: Uint8Array): Uint8Array {
  const uri = `data:application/octet-stream;base64,${Buffer.from(bin).toString('base64')}`;
  return text(JSON.stringify({ ...json, buffers: [{ ...json.buffers![0]!, uri }] }));
}

/** GLB bytes: the JSON chunk padded with spaces, the binary chunk with zeros. */
function glb(json: GLTF.IGLTF, bin: Uint8Array): Uint8Array {
  const pad = (bytes: Uint8Array, fill: number) => {
    const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4).fill(fill);
    padded.set(bytes);
    return padded;
  };
  const jsonChunk = pad(text(JSON.stringify(json)), 0x20);
  const binChunk = pad(bin, 0);
  const out = new Uint8Array(28 + jsonChunk.length + binChunk.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, out.length, true);
  view.setUint32(12, jsonChunk.length, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.set(jsonChunk, 20);
  view.setUint32(20 + jsonChunk.length, binChunk.length, true);
  view.setUint32(24 + jsonChunk.length, 0x004e4942, true);
  out.set(binChunk, 28 + jsonChunk.length);
  return out;
}

describe('bad files give typed errors that name the file', () => {
  let directory: string;
  let cubeGlb: Uint8Array;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'erlangen-errors-'));
    cubeGlb = await new NodeIO().writeBinary(cubeDocument().document);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('IO: a path that does not exist', async () => {
    const path = join(directory, 'missing.obj');
    await expect(loadMesh(path)).rejects.toMatchObject({ code: 'IO', file: path });
  });

  it('EMPTY: a file with no bytes, or only whitespace', async () => {
    const path = join(directory, 'empty.ply');
    await writeFile(path, new Uint8Array(0));
    await expect(loadMesh(path)).rejects.toMatchObject({ code: 'EMPTY', file: path });
    await expectCode(text(' \n\t\n'), 'blank.obj', 'EMPTY');
  });

  it('TRUNCATED: a GLB cut in half', async () => {
    await expectCode(cubeGlb.slice(0, cubeGlb.length >> 1), 'half.glb', 'TRUNCATED');
    await expectCode(cubeGlb.slice(0, 10), 'stub.glb', 'TRUNCATED');
  });

  it('TRUNCATED: a glTF accessor longer than its bufferView, embedded or in a GLB, naming what it claims and what exists', async () => {
    const { json, bin } = tetrahedronGltf();
    // The well-formed file loads: the check passes what the glTF validator passes.
    expect((await loadMesh(embedded(json, bin), { file: 'tetrahedron.gltf' })).triangles).toHaveLength(12);
    expect((await loadMesh(glb(json, bin), { file: 'tetrahedron.glb' })).triangles).toHaveLength(12);
    json.accessors![0]!.count = 8;
    // Twice: before, the overrun read whatever the Buffer pool held, differently each time.
    for (let run = 0; run < 2; run++) {
      await expectCode(embedded(json, bin), 'overrun.gltf', 'TRUNCATED', /accessor 0: 8 VEC3 elements of 12 bytes end at byte 96 of bufferView 0, which holds 48 bytes/);
    }
    json.accessors![0]!.count = 6;
    const path = join(directory, 'overrun.glb');
    await writeFile(path, glb(json, bin));
    await expect(loadMesh(path)).rejects.toMatchObject({ code: 'TRUNCATED', file: path, detail: expect.stringMatching(/accessor 0: 6 VEC3 .* byte 72 of bufferView 0, which holds 48 bytes.*re-export/) });
    // Interleaved: the stride counts, not just the element.
    json.accessors![0]!.count = 4;
    json.bufferViews![0]!.byteStride = 16;
    await expectCode(glb(json, bin), 'strided.glb', 'TRUNCATED', /accessor 0: 4 VEC3 elements of 12 bytes, 16 apart, end at byte 60 of bufferView 0/);
  });

  it('TRUNCATED: a bufferView past its buffer, or past the bytes its data: URI or .bin file holds', async () => {
    const { json, bin } = tetrahedronGltf();
    json.bufferViews![1]!.byteLength = 40;
    json.accessors![1]!.count = 20;
    await expectCode(embedded(json, bin), 'view.gltf', 'TRUNCATED', /bufferView 1 spans bytes 48–88 of buffer 0, which declares 72 bytes/);
    // The buffer declares enough, but its data holds less.
    json.buffers![0]!.byteLength = 88;
    await expectCode(embedded(json, bin), 'short-data.gltf', 'TRUNCATED', /bufferView 1 spans bytes 48–88 of buffer 0, but its data \(its data: URI\) holds 72 bytes/);
    const path = join(directory, 'external.gltf');
    await writeFile(join(directory, 'short.bin'), bin);
    await writeFile(path, JSON.stringify({ ...json, buffers: [{ byteLength: 88, uri: 'short.bin' }] }));
    await expect(loadMesh(path)).rejects.toMatchObject({ code: 'TRUNCATED', detail: expect.stringMatching(/bufferView 1 .* its data \(short\.bin\) holds 72 bytes/) });
  });

  it('TRUNCATED: a binary PLY whose data ends early', async () => {
    const ply = toPly(triangle([0, 1, 2]), 'binary_little_endian');
    // Cut inside the face records.
    await expectCode(ply.slice(0, ply.length - 20), 'short.ply', 'TRUNCATED');
  });

  it('TRUNCATED: headers that claim 10^9 vertices in a small file, before anything is allocated', async () => {
    const files: [string, string][] = [
      ['huge-binary.ply', 'ply\nformat binary_little_endian 1.0\nelement vertex 1000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n'],
      ['huge-ascii.ply', 'ply\nformat ascii 1.0\nelement vertex 1000000000\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n'],
      ['huge.off', 'OFF\n1000000000 1 0\n0 0 0\n'],
    ];
    for (const [file, content] of files) {
      const before = process.memoryUsage().arrayBuffers;
      const started = performance.now();
      await expectCode(text(content), file, 'TRUNCATED');
      // 10^9 float32 triples would be 12 GB; nothing near that was touched.
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('TOO_MANY_VERTICES: a header that claims more than 2^32 − 1 vertices', async () => {
    const ply = 'ply\nformat ascii 1.0\nelement vertex 5000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n';
    await expectCode(text(ply), 'enormous.ply', 'TOO_MANY_VERTICES');
  });

  it('NAN_POSITION: an OBJ vertex that is not a number, naming the vertex and the coordinate', async () => {
    await expectCode(text('v 0 0 0\nv 1 0 0\nv nan 1 0\nf 1 2 3\n'), 'nan.obj', 'NAN_POSITION', /vertex 2\b.*: x is NaN;/);
    await expectCode(text('v 0 0 0\nv 1 0 0\nv 0 inf 0\nf 1 2 3\n'), 'inf.obj', 'NAN_POSITION', /vertex 2\b.*: y is Infinity;/);
  });

  it('NAN_POSITION: a glTF vertex with one NaN coordinate, named as stored, and a node with a non-finite transform', async () => {
    const { json, bin } = tetrahedronGltf();
    // Vertex 1 is (1, 0, 0) in the file; only its x becomes NaN, under a translating node.
    new DataView(bin.buffer, bin.byteOffset).setFloat32(12, NaN, true);
    const error = await expectCode(embedded({ ...json, nodes: [{ mesh: 0, translation: [5, 0, 0] }] }, bin), 'nan.gltf', 'NAN_POSITION', /vertex 1 \(0-based\) of primitive 0 of mesh 0 has a non-finite coordinate: x is NaN;/);
    expect(error.detail).not.toMatch(/y is|z is/);
    const clean = tetrahedronGltf();
    await expectCode(embedded({ ...clean.json, nodes: [{ mesh: 0, scale: [1, 1e39, 1] }] }, clean.bin), 'huge.gltf', 'NAN_POSITION', /vertex 2 \(0-based\) \(after its node transform\) has a non-finite coordinate: y is Infinity/);
    await expectCode(embedded({ ...clean.json, nodes: [{ children: [1], scale: [1e200, 1, 1] }, { mesh: 0, scale: [1e200, 1, 1] }] }, clean.bin), 'overflow.gltf', 'NAN_POSITION', /node 1 \(0-based\) has a non-finite transform/);
  });

  it('PARSE: an unreadable number, with its line', async () => {
    await expectCode(text('v 0 0 0\nv 1 0 0\nv 0 1x 0\nf 1 2 3\n'), 'typo.obj', 'PARSE', /line 3/);
    await expectCode(text('OFF\n3 1 0\n0 0 0\n1 0 0\n0 one 0\n3 0 1 2\n'), 'typo.off', 'PARSE', /line 5/);
  });

  it('PARSE: an OFF header of binary bytes is shown escaped and cut short, not raw', async () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x22, 0x5c, 0x1b, 0x5b, 0x32, 0x4a, ...new Array(200).fill(0x41)]);
    const error = await expectCode(jpeg, 'photo.off', 'PARSE', /found "\\xff\\xd8\\xff\\xe0\\x00\\x10JFIF\\x22\\x5c\\x1b\[2J…"/);
    // Printable ASCII only, apart from the ellipsis, and one short line.
    expect(error.message).toMatch(/^[\x20-\x7e…]*$/);
    expect(error.message.length).toBeLessThan(200);
  });

  it('PARSE: garbage text, and a glTF whose JSON is broken', async () => {
    await expectCode(text('\u0001\u0002 binary junk \u00ff'), 'junk.obj', 'PARSE');
    await expectCode(text('Dear reader,\nthis is a letter, not a mesh.\n'), 'letter.obj', 'PARSE', /OBJ/);
    await expectCode(text('{"asset": {"version": "2.0"}, "meshes": ['), 'broken.gltf', 'PARSE');
    await expectCode(text('ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nend_of_nothing\n'), 'broken.ply', 'TRUNCATED');
  });

  it('INDEX_OUT_OF_RANGE: faces that refer to vertices the file does not have, naming the face', async () => {
    await expectCode(text('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nf 1 2 4\n'), 'index.obj', 'INDEX_OUT_OF_RANGE', /face 2/);
    await expectCode(text('OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 1 7\n'), 'index.off', 'INDEX_OUT_OF_RANGE', /face 1/);
    const ply = toPly(triangle([0, 1, 2, 0, 1, 3]), 'binary_big_endian');
    await expectCode(ply, 'index.ply', 'INDEX_OUT_OF_RANGE', /face 1/);
  });

  it('PARSE: a PLY list with a negative length or a fractional vertex index, in binary as in ASCII', async () => {
    const cases: [number[][], PlyListType, PlyListType, RegExp][] = [
      // A well-formed face follows: reading on would take its bytes from the wrong place.
      [[[-1, 0, 1, 2], [3, 0, 1, 2]], 'char', 'int', /expected a list length, found -1$/],
      [[[3, 0, 1, 1.5]], 'uchar', 'float', /expected a vertex index, found 1\.5$/],
    ];
    for (const [faces, countType, indexType, detail] of cases) {
      const ascii = await expectCode(facePly('ascii', faces, countType, indexType), 'list.ply', 'PARSE', detail);
      for (const format of ['binary_little_endian', 'binary_big_endian'] as const) {
        const binary = await expectCode(facePly(format, faces, countType, indexType), 'list.ply', 'PARSE', detail);
        // The same complaint, placed by face where ASCII places it by line.
        expect(binary.detail).toBe(ascii.detail.replace(/^line \d+: /, 'face 0 (0-based): '));
      }
    }
    // Whole numbers stored as floats are indices all the same.
    const whole = await loadMesh(facePly('binary_little_endian', [[3, 0, 1, 2]], 'uchar', 'float'), { file: 'whole.ply' });
    expect(Array.from(whole.triangles)).toEqual([0, 1, 2]);
  });

  it('INDEX_OUT_OF_RANGE: a binary PLY face with fewer than 3 vertices is checked like the others', async () => {
    const faces = [[3, 0, 1, 2], [2, 0, 7]];
    await expectCode(facePly('ascii', faces, 'uchar', 'int'), 'short.ply', 'INDEX_OUT_OF_RANGE', /face 1 \(0-based\) refers to vertex 7/);
    await expectCode(facePly('binary_little_endian', faces, 'uchar', 'int'), 'short.ply', 'INDEX_OUT_OF_RANGE', /face 1 \(0-based\) refers to vertex 7/);
  });

  it('NOT_TRIANGLES: a PLY point cloud and an OBJ with only lines', async () => {
    const points = 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 0 0\n0 1 0\n';
    await expectCode(text(points), 'points.ply', 'NOT_TRIANGLES');
    await expectCode(text('v 0 0 0\nv 1 0 0\nl 1 2\n'), 'lines.obj', 'NOT_TRIANGLES');
  });

  it('NO_TRIANGLES: a glTF with no meshes, and faces that are all degenerate', async () => {
    await expectCode(text('{"asset": {"version": "2.0"}, "scenes": [{"nodes": []}], "scene": 0}'), 'nothing.gltf', 'NO_TRIANGLES');
    await expectCode(text('v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\nf 1 1 2\n'), 'flat.obj', 'NO_TRIANGLES');
    const source = { file: 'memory', positions: new Float32Array(9), triangles: new Uint32Array([0, 1, 2]), primitives: [] };
    expect(() => prepareMesh(source)).toThrow(expect.objectContaining({ code: 'NO_TRIANGLES', file: 'memory' }));
    // Nothing at all is no surface either, not a trivially closed one.
    const nothing = { file: 'memory', positions: new Float32Array(0), triangles: new Uint32Array(0), primitives: [] };
    expect(() => prepareMesh(nothing)).toThrow(expect.objectContaining({ code: 'NO_TRIANGLES', file: 'memory' }));
  });

  it('UNSUPPORTED_FORMAT: an STL, and bytes that match no format', async () => {
    await expectCode(text('solid cube\nfacet normal 0 0 1\nendsolid cube\n'), 'cube.stl', 'UNSUPPORTED_FORMAT');
    await expectCode(text('hello, this is not a mesh\n'), 'notes.txt', 'UNSUPPORTED_FORMAT');
  });
});
