import { Logger, NodeIO, WebIO, type PlatformIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';

// Decoder modules are large WebAssembly instances: created on first use, once per process.
let dracoDecoder: Promise<unknown> | null = null;
let meshoptDecoder: Promise<unknown> | null = null;
let dracoEncoder: Promise<unknown> | null = null;
let meshoptEncoder: Promise<unknown> | null = null;

function loadDracoDecoder(): Promise<unknown> {
  dracoDecoder ??= import('draco3dgltf').then((module) => {
    // A CommonJS package: its exports sit on `default` under Node's ESM loader.
    const draco = (module.default ?? module) as Pick<typeof module, 'createDecoderModule'>;
    return draco.createDecoderModule();
  });
  return dracoDecoder;
}

function loadDracoEncoder(): Promise<unknown> {
  dracoEncoder ??= import('draco3dgltf').then((module) => {
    const draco = (module.default ?? module) as Pick<typeof module, 'createEncoderModule'>;
    return draco.createEncoderModule();
  });
  return dracoEncoder;
}

function loadMeshoptEncoder(): Promise<unknown> {
  meshoptEncoder ??= import('meshoptimizer/encoder').then(async ({ MeshoptEncoder }) => {
    await MeshoptEncoder.ready;
    return MeshoptEncoder;
  });
  return meshoptEncoder;
}

function loadMeshoptDecoder(): Promise<unknown> {
  meshoptDecoder ??= import('meshoptimizer/decoder').then(async ({ MeshoptDecoder }) => {
    await MeshoptDecoder.ready;
    return MeshoptDecoder;
  });
  return meshoptDecoder;
}

/** Which parts of glTF I/O a document needs. */
export interface GltfIOOptions {
  /** Extension names the document uses (`extensionsUsed`), so only the needed decoders load. */
  extensionsUsed: readonly string[];
  /** NodeIO (reads external resources from disk) instead of the platform-neutral WebIO. */
  node: boolean;
  /** Also the encoders, so writing re-applies the Draco or meshopt compression the document uses. */
  encode?: boolean;
}

/**
 * A glTF-Transform I/O with every extension registered and the Draco and meshopt decoders the
 * document needs. Warnings stay quiet: a scan's unused extras are not the caller's problem.
 * An image file that cannot be read becomes a texture without image data; remove those with
 * dropMissingImages (drop-missing-images.ts) before writing, or the written glTF is invalid.
 */
export async function gltfIO(options: GltfIOOptions): Promise<PlatformIO> {
  const io = options.node ? new NodeIO() : new WebIO();
  // Not strict: labels need only the geometry, so a scan whose texture files are lost still loads.
  io.setLogger(new Logger(Logger.Verbosity.ERROR)).registerExtensions(ALL_EXTENSIONS).setStrictResources(false);
  const used = new Set(options.extensionsUsed);
  if (used.has('KHR_draco_mesh_compression')) {
    io.registerDependencies({ 'draco3d.decoder': await loadDracoDecoder() });
    if (options.encode) io.registerDependencies({ 'draco3d.encoder': await loadDracoEncoder() });
  }
  if (used.has('EXT_meshopt_compression') || used.has('KHR_meshopt_compression')) {
    io.registerDependencies({ 'meshopt.decoder': await loadMeshoptDecoder() });
    if (options.encode) io.registerDependencies({ 'meshopt.encoder': await loadMeshoptEncoder() });
  }
  return io;
}
