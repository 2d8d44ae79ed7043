import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
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

async function expectCode(bytes: Uint8Array, file: string, code: MeshErrorCode, detail?: RegExp): Promise<MeshError> {
  const error = await failure(bytes, file);
  expect(error.code, error.message).toBe(code);
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  if (detail) expect(error.detail).toMatch(detail);
  return error;
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

  it('NAN_POSITION: an OBJ vertex that is not a number, naming the vertex', async () => {
    await expectCode(text('v 0 0 0\nv 1 0 0\nv nan 1 0\nf 1 2 3\n'), 'nan.obj', 'NAN_POSITION', /vertex 2\b/);
    await expectCode(text('v 0 0 0\nv 1 0 0\nv 0 inf 0\nf 1 2 3\n'), 'inf.obj', 'NAN_POSITION', /vertex 2\b/);
  });

  it('PARSE: an unreadable number, with its line', async () => {
    await expectCode(text('v 0 0 0\nv 1 0 0\nv 0 1x 0\nf 1 2 3\n'), 'typo.obj', 'PARSE', /line 3/);
    await expectCode(text('OFF\n3 1 0\n0 0 0\n1 0 0\n0 one 0\n3 0 1 2\n'), 'typo.off', 'PARSE', /line 5/);
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
