import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const viewer = fileURLToPath(new URL('.', import.meta.url));
const repository = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The WebGPU backend (shaders/webgpu-backend.ts) is imported on demand by the worker. Until it
 * exists, that import resolves to a module that rejects, so the worker falls back to cpu with
 * this reason instead of the build failing.
 */
function optionalWebGpuBackend(): Plugin {
  const missing = '\0erlangen-webgpu-backend-missing';
  const nodeOnly = '\0erlangen-webgpu-node-only';
  return {
    name: 'erlangen-optional-webgpu-backend',
    enforce: 'pre',
    resolveId(source, importer) {
      // Dawn for Node (the `webgpu` package) has no place in a page: browsers have navigator.gpu.
      if (source === 'webgpu') return nodeOnly;
      if (!source.endsWith('shaders/webgpu-backend.js') || !importer) return null;
      const file = fileURLToPath(new URL(source.replace(/\.js$/, '.ts'), `file://${importer}`));
      return existsSync(file) ? file : missing;
    },
    load(id) {
      if (id === nodeOnly) return "throw new Error('the webgpu package is Dawn for Node; in a browser WebGPU comes from navigator.gpu');";
      if (id !== missing) return null;
      return "export async function createWebGpuBackend() { throw Object.assign(new Error('this build has no WebGPU backend (shaders/webgpu-backend.ts)'), { code: 'NOT_BUILT' }); }";
    },
  };
}

/**
 * Draco's decoder (draco3dgltf, an Emscripten build) fetches `draco_decoder_gltf.wasm` next to
 * the page (main thread) or the worker script (assets/): serve and emit it from node_modules.
 */
function dracoDecoderWasm(): Plugin {
  const name = 'draco_decoder_gltf.wasm';
  const wasm = () => readFileSync(`${repository}node_modules/draco3dgltf/${name}`);
  return {
    name: 'erlangen-draco-decoder-wasm',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (!request.url?.split('?')[0]!.endsWith(`/${name}`)) return next();
        response.setHeader('content-type', 'application/wasm');
        response.end(wasm());
      });
    },
    generateBundle() {
      for (const fileName of [name, `assets/${name}`]) this.emitFile({ type: 'asset', fileName, source: wasm() });
    },
  };
}

/** The Erlangen viewer: `vite -c samples/viewer/vite.config.ts` (dev) or `vite build` + `vite preview` with this config. */
export default defineConfig({
  root: viewer,
  base: './',
  publicDir: false,
  resolve: {
    // The viewer uses the package's public entry points, served from the sources.
    alias: [
      { find: /^erlangen\/three$/, replacement: `${repository}plugin/three/index.ts` },
      { find: /^erlangen\/worker$/, replacement: `${repository}workers/index.ts` },
      { find: /^erlangen\/gltf-transform$/, replacement: `${repository}plugin/gltf-transform/index.ts` },
      { find: /^erlangen$/, replacement: `${repository}core/index.ts` },
    ],
  },
  plugins: [optionalWebGpuBackend(), dracoDecoderWasm()],
  worker: { format: 'es', plugins: () => [optionalWebGpuBackend()] },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, open: false, fs: { allow: [repository] } },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true, open: false },
  build: { outDir: `${repository}dist/viewer`, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
