import { describe, expect, it } from 'vitest';
import { Logger, WebIO } from '@gltf-transform/core';
import { EXTMeshoptCompression, KHRDracoMeshCompression, KHRMeshQuantization } from '@gltf-transform/extensions';
import { meshopt } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptEncoder } from 'meshoptimizer';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { meshTopology } from '../../../core/mesh/topology.js';
import { cubeDocument, transformCorner } from '../../fixtures/mesh-files.js';
import { expectSameMesh, signedVolume } from './mesh-compare.js';

const LEE_PERRY_SMITH = new URL('../../../samples/scans/lee-perry-smith/LeePerrySmith.glb', import.meta.url).pathname;

async function cubeGlb(options: { mirror?: boolean } = {}): Promise<Uint8Array> {
  return new WebIO().writeBinary(cubeDocument(options).document);
}

describe('loadSourceMesh: glTF', () => {
  it('loads a seamed cube in two primitives under transformed nodes and welds it to 8 vertices', async () => {
    const source = await loadSourceMesh(await cubeGlb(), { file: 'cube.glb' });
    expect(source.file).toBe('cube.glb');
    expect(source.positions.length / 3).toBe(24);
    expect(source.triangles.length / 3).toBe(12);
    expect(source.primitives).toEqual([
      { node: 0, mesh: 0, primitive: 0, firstVertex: 0, vertexCount: 12 },
      { node: 0, mesh: 0, primitive: 1, firstVertex: 12, vertexCount: 12 },
    ]);
    const mesh = prepareMesh(source);
    expect(mesh.positions.length / 3).toBe(8);
    expect(mesh.triangles.length / 3).toBe(12);
    expect(mesh.repairs).toEqual([]);
    // Every source vertex maps to a mesh vertex at exactly its position.
    for (let s = 0; s < 24; s++) {
      const m = mesh.sourceToMesh[s]!;
      for (let k = 0; k < 3; k++) expect(mesh.positions[3 * m + k]).toBe(source.positions[3 * s + k]);
    }
    // The node transforms are applied: the corners are the transformed unit cube's.
    const expected = [0, 1].flatMap((x) => [0, 1].flatMap((y) => [0, 1].map((z) => transformCorner(x, y, z).join(' '))));
    const actual = Array.from({ length: 8 }, (_, v) => Array.from(mesh.positions.subarray(3 * v, 3 * v + 3), (x) => Math.round(x * 1e5) / 1e5 + 0).join(' '));
    expect(actual.sort()).toEqual(expected.sort());
    // Scale 2·3·4 = 24: outward faces enclose +24 (six times the volume is 144).
    expect(signedVolume(mesh)).toBeCloseTo(6 * 24, 4);
    expect(meshTopology(mesh)).toMatchObject({ components: 1, boundaryLoops: 0, boundaryEdges: 0 });
  });

  it('flips the winding of a mirrored instance so faces stay outward', async () => {
    const mesh = await loadMesh(await cubeGlb({ mirror: true }), { file: 'mirrored.glb' });
    expect(signedVolume(mesh)).toBeCloseTo(6 * 24, 4);
  });

  it('loads a Draco-compressed cube to the same mesh within quantization', async () => {
    const { document } = cubeDocument();
    document.createExtension(KHRDracoMeshCompression).setRequired(true);
    const io = new WebIO()
      .registerExtensions([KHRDracoMeshCompression])
      .registerDependencies({ 'draco3d.encoder': await draco3d.createEncoderModule() });
    const glb = await io.writeBinary(document);
    expect(new TextDecoder().decode(glb.subarray(0, 2000))).toContain('KHR_draco_mesh_compression');
    const reference = await loadMesh(await cubeGlb());
    const mesh = await loadMesh(glb, { file: 'draco.glb' });
    // 14-bit quantization over a box 4 units wide.
    expectSameMesh(mesh, reference, 1e-3);
  });

  it('loads a meshopt-compressed, quantized cube to the same mesh within quantization', async () => {
    await MeshoptEncoder.ready;
    const { document } = cubeDocument();
    document.setLogger(new Logger(Logger.Verbosity.WARN));
    await document.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium' }));
    const io = new WebIO()
      .registerExtensions([EXTMeshoptCompression, KHRMeshQuantization])
      .registerDependencies({ 'meshopt.encoder': MeshoptEncoder });
    const glb = await io.writeBinary(document);
    expect(new TextDecoder().decode(glb.subarray(0, 2000))).toContain('EXT_meshopt_compression');
    const reference = await loadMesh(await cubeGlb());
    expectSameMesh(await loadMesh(glb, { file: 'meshopt.glb' }), reference, 1e-3);
  });

  it('loads sparse positions (a zero base with indices and values in their own bufferViews) to the same mesh', async () => {
    const { document } = cubeDocument();
    for (const primitive of document.getRoot().listMeshes()[0]!.listPrimitives()) primitive.getAttribute('POSITION')!.setSparse(true);
    // Quiet: the writer warns that dense data makes a poor sparse accessor.
    const glb = await new WebIO().setLogger(new Logger(Logger.Verbosity.ERROR)).writeBinary(document);
    expect(new TextDecoder().decode(glb.subarray(0, 2000))).toContain('"sparse"');
    expectSameMesh(await loadMesh(glb, { file: 'sparse.glb' }), await loadMesh(await cubeGlb()), 0);
  });

  it('loads the bundled Draco-compressed Lee Perry-Smith head from its path', async () => {
    const source = await loadSourceMesh(LEE_PERRY_SMITH);
    expect(source.file).toBe(LEE_PERRY_SMITH);
    expect(source.positions.length / 3).toBeGreaterThan(1000);
    const mesh = prepareMesh(source);
    expect(mesh.triangles.length / 3).toBeGreaterThan(1000);
    expect(mesh.sourceToMesh.length).toBe(source.positions.length / 3);
    expect(meshTopology(mesh).components).toBeGreaterThanOrEqual(1);
  });
});
