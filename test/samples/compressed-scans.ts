import { Document, Logger, WebIO } from '@gltf-transform/core';
import { EXTMeshoptCompression, KHRDracoMeshCompression, KHRMeshQuantization } from '@gltf-transform/extensions';
import { meshopt } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptEncoder } from 'meshoptimizer';
import type { SourceMesh } from '../../core/mesh/mesh.js';

function documentOf(source: SourceMesh): Document {
  const document = new Document();
  document.setLogger(new Logger(Logger.Verbosity.WARN));
  const buffer = document.createBuffer();
  const position = document.createAccessor().setType('VEC3').setArray(source.positions.slice()).setBuffer(buffer);
  const indices = document.createAccessor().setType('SCALAR').setArray(source.triangles.slice()).setBuffer(buffer);
  const primitive = document.createPrimitive().setAttribute('POSITION', position).setIndices(indices);
  const mesh = document.createMesh('scan').addPrimitive(primitive);
  document.createScene().addChild(document.createNode('scan').setMesh(mesh));
  return document;
}

/** A scan as a Draco-compressed GLB, as scanning apps export them. */
export async function dracoGlb(source: SourceMesh): Promise<Uint8Array> {
  const document = documentOf(source);
  document.createExtension(KHRDracoMeshCompression).setRequired(true);
  const io = new WebIO().registerExtensions([KHRDracoMeshCompression]).registerDependencies({ 'draco3d.encoder': await draco3d.createEncoderModule() });
  return io.writeBinary(document);
}

/** A scan as a meshopt-compressed, quantized GLB. */
export async function meshoptGlb(source: SourceMesh): Promise<Uint8Array> {
  await MeshoptEncoder.ready;
  const document = documentOf(source);
  await document.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium' }));
  const io = new WebIO().registerExtensions([EXTMeshoptCompression, KHRMeshQuantization]).registerDependencies({ 'meshopt.encoder': MeshoptEncoder });
  return io.writeBinary(document);
}
