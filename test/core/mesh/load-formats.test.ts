import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebIO } from '@gltf-transform/core';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import type { Mesh, SourceMesh } from '../../../core/mesh/mesh.js';
import { bytesOf, cubeDocument, toObj, toOff, toPly, type RawMesh } from '../../fixtures/mesh-files.js';

const SMPL = new URL('../../../samples/scans/smpl-human/human_man.obj', import.meta.url).pathname;

let cube: SourceMesh;
let reference: Mesh;
let directory: string;

beforeAll(async () => {
  cube = await loadSourceMesh(await new WebIO().writeBinary(cubeDocument().document), { file: 'cube.glb' });
  reference = prepareMesh(cube);
  directory = await mkdtemp(join(tmpdir(), 'erlangen-mesh-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function expectIdentical(mesh: Mesh): void {
  expect(mesh.positions).toEqual(reference.positions);
  expect(mesh.triangles).toEqual(reference.triangles);
  expect(mesh.sourceToMesh).toEqual(reference.sourceToMesh);
  expect(mesh.repairs).toEqual([]);
}

describe('loadSourceMesh: OBJ, PLY, OFF', () => {
  const raw = (): RawMesh => cube;
  const cases: [string, () => Uint8Array][] = [
    ['cube.obj', () => bytesOf(toObj(raw()))],
    ['cube-vt-vn.obj', () => bytesOf(toObj(raw(), 'v/vt/vn'))],
    ['cube-negative.obj', () => bytesOf(toObj(raw(), 'negative'))],
    ['cube-ascii.ply', () => toPly(raw(), 'ascii')],
    ['cube-le.ply', () => toPly(raw(), 'binary_little_endian')],
    ['cube-be.ply', () => toPly(raw(), 'binary_big_endian')],
    ['cube.off', () => bytesOf(toOff(raw()))],
    ['cube-colour.off', () => bytesOf(toOff(raw(), true))],
  ];
  for (const [name, write] of cases) {
    it(`${name} gives the same welded mesh as the GLB`, async () => {
      const source = await loadSourceMesh(write(), { file: name });
      expect(source.file).toBe(name);
      expect(source.positions).toEqual(cube.positions);
      expect(source.primitives).toEqual([{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount: 24 }]);
      expectIdentical(prepareMesh(source));
    });
  }

  it('reads from a path, by extension, and by sniffing bytes without a name', async () => {
    const path = join(directory, 'cube.ply');
    await writeFile(path, toPly(cube, 'binary_little_endian'));
    expectIdentical(prepareMesh(await loadSourceMesh(path)));
    for (const bytes of [bytesOf(toObj(cube)), toPly(cube, 'ascii'), bytesOf(toOff(cube))]) {
      const source = await loadSourceMesh(bytes);
      expect(source.file).toBe('<bytes>');
      expectIdentical(prepareMesh(source));
    }
    expectIdentical(prepareMesh(await loadSourceMesh(bytesOf(toObj(cube)), { format: 'obj', file: 'no-extension' })));
  });

  it('reads a .gltf with an external .bin from its path', async () => {
    const { NodeIO } = await import('@gltf-transform/core');
    const path = join(directory, 'cube.gltf');
    await new NodeIO().write(path, cubeDocument().document);
    expectIdentical(prepareMesh(await loadSourceMesh(path)));
  });

  it('fan-triangulates OBJ, PLY and OFF polygons the same way', async () => {
    const quads = { obj: 'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 2 0 0\nf 1 2 3 4\nf 2 5 3\n', off: 'OFF\n5 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n2 0 0\n4 0 1 2 3\n3 1 4 2\n' };
    const ply = 'ply\nformat ascii 1.0\nelement vertex 5\nproperty float x\nproperty float y\nproperty float z\nelement face 2\nproperty list uchar uint vertex_index\nend_header\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n2 0 0\n4 0 1 2 3\n3 1 4 2\n';
    const expected = Uint32Array.from([0, 1, 2, 0, 2, 3, 1, 4, 2]);
    expect((await loadSourceMesh(bytesOf(quads.obj), { file: 'q.obj' })).triangles).toEqual(expected);
    expect((await loadSourceMesh(bytesOf(quads.off), { file: 'q.off' })).triangles).toEqual(expected);
    expect((await loadSourceMesh(bytesOf(ply), { file: 'q.ply' })).triangles).toEqual(expected);
  });

  it('reads OFF counts on the header line, comments anywhere and CRLF line ends', async () => {
    const text = 'OFF 3 1 0\r\n# a comment\r\n0 0 0 # first\r\n\r\n1 0 0\r\n0 1 0\r\n3 0 1 2\r\n';
    const source = await loadSourceMesh(bytesOf(text), { file: 'crlf.off' });
    expect(Array.from(source.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(source.triangles)).toEqual([0, 1, 2]);
  });

  it('ignores OBJ vertex colours and other records, and reads exponents', async () => {
    const text = 'mtllib x.mtl\nv 1e-3 -2.5E+2 3 0.1 0.2 0.3\nv 1 0 0\nv 0 1 0\nvt 0 0\ng part\nusemtl skin\ns off\nf 1/1 2/1 3/1\n';
    const source = await loadSourceMesh(bytesOf(text), { file: 'colour.obj' });
    expect(Array.from(source.positions.subarray(0, 3))).toEqual([Math.fround(1e-3), -250, 3]);
    expect(Array.from(source.triangles)).toEqual([0, 1, 2]);
  });

  it('joins an OBJ line that ends in a backslash with the next, keeping line numbers for errors', async () => {
    const joined = 'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 2 0 0\nvt 0 0\nf 1 2 3 4\nf 2 5 3\n';
    // Continued after a blank and right after a token, with LF and CRLF, in records read and skipped.
    const continued = 'v 0 0 \\\n0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 2 0 0\nvt 0 \\\r\n0\nf 1 2 \\\n 3 4\nf 2 5\\\r\n3\n';
    const expected = await loadSourceMesh(bytesOf(joined), { file: 'q.obj' });
    const source = await loadSourceMesh(bytesOf(continued), { file: 'q.obj' });
    expect(source.positions).toEqual(expected.positions);
    expect(source.triangles).toEqual(expected.triangles);
    // After a continued record read and one skipped, the bad index sits on line 7, the third line of its face record.
    const bad = 'v 0 0 \\\n0\nvt 0 \\\n0\nf 1 \\\n2 \\\nx\n';
    await expect(loadSourceMesh(bytesOf(bad), { file: 'bad.obj' })).rejects.toMatchObject({ code: 'PARSE', message: expect.stringMatching(/^bad\.obj: line 7: /) });
    // A comment is not continued: the vertex after a note that ends in a backslash still counts.
    const noted = await loadSourceMesh(bytesOf('# from C:\\scans\\\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3 # note \\\nv 0 0 1\nf 1 2 4\n'), { file: 'noted.obj' });
    expect(noted.positions.length / 3).toBe(4);
    expect(Array.from(noted.triangles)).toEqual([0, 1, 2, 0, 1, 3]);
    // A backslash inside a line is no continuation.
    await expect(loadSourceMesh(bytesOf('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 \\ 3\n'), { file: 'mid.obj' })).rejects.toMatchObject({ code: 'PARSE' });
  });

  it('loads the bundled SMPL body with one source vertex per v record, matching its labels', async () => {
    const source = await loadSourceMesh(SMPL);
    expect(source.positions.length / 3).toBe(6890);
    expect(source.triangles.length / 3).toBe(13776);
    const labels = (await readFile(SMPL.replace(/\.obj$/, '.labels.txt'), 'utf8')).trim().split('\n');
    expect(labels.length).toBe(6890);
    const mesh = prepareMesh(source);
    expect(mesh.positions.length / 3).toBe(6890);
    expect(mesh.repairs).toEqual([]);
  });
});
