import type { Model } from '../../core/model/model.js';
import { prepareNetworkInput } from '../../core/model/network-input.js';
import { predictMesh } from '../../core/model/predict.js';
import type { MeshPredictor } from '../gltf-transform/segment.js';
import { UsageError } from './command.js';

/** What `--backend` accepts. */
export type BackendChoice = 'cpu' | 'webgpu' | 'onnx' | 'auto';

/** The backends `--backend` names, for parsing and help. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['cpu', 'webgpu', 'onnx', 'auto'];

/** A backend ready to segment meshes. */
export interface Predictor {
  /** The backend in use, with the adapter for WebGPU. */
  readonly name: string;
  /** Why `auto` ended up on the cpu backend. */
  readonly fallback?: string;
  readonly predict: MeshPredictor;
  dispose(): Promise<void>;
}

/** Parses `--backend` (default `auto`); anything unknown is a usage error. */
export function parseBackend(text: string | undefined): BackendChoice {
  const choice = (text ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(choice)) throw new UsageError(`--backend '${text}': expected one of ${BACKEND_CHOICES.join(', ')}`);
  return choice;
}

/**
 * Opens a backend. `webgpu` and `onnx` fail with their own errors when unavailable; `auto` takes
 * WebGPU on a hardware adapter and otherwise the cpu backend, saying why (a software adapter
 * such as SwiftShader is slower than the cpu backend).
 */
export async function createPredictor(choice: BackendChoice): Promise<Predictor> {
  if (choice === 'cpu') return cpuPredictor();
  if (choice === 'onnx') return onnxPredictor();
  const { createWebGpuBackend, WebGpuError } = await import('../../shaders/index.js');
  let backend;
  try {
    backend = await createWebGpuBackend();
  } catch (error) {
    if (choice === 'auto' && error instanceof WebGpuError) return cpuPredictor(`no WebGPU (${error.code})`);
    throw error;
  }
  if (choice === 'auto' && backend.softwareAdapter) {
    backend.dispose();
    return cpuPredictor(`the only WebGPU adapter is a software one (${backend.adapterDescription}); pass --backend webgpu to use it anyway`);
  }
  return {
    name: `webgpu (${backend.adapterDescription})`,
    predict: (model, mesh, geometry) => backend.predict(model.network, model.parameters, prepareNetworkInput(mesh, model.preprocessing, geometry)),
    async dispose() {
      backend.dispose();
    },
  };
}

function cpuPredictor(fallback?: string): Predictor {
  return { name: 'cpu', ...(fallback ? { fallback } : {}), predict: predictMesh, async dispose() {} };
}

// One onnxruntime-node session per model, created on first use (the graph is exported from the model then).
async function onnxPredictor(): Promise<Predictor> {
  const { createOnnxBackend } = await import('../onnx/index.js');
  const sessions = new Map<Model, ReturnType<typeof createOnnxBackend>>();
  const session = (model: Model) => {
    let backend = sessions.get(model);
    if (!backend) sessions.set(model, (backend = createOnnxBackend(model, { runtime: 'node' })));
    return backend;
  };
  return {
    name: 'onnx (onnxruntime-node)',
    predict: async (model, mesh, geometry) => (await session(model)).predictMesh(mesh, geometry),
    async dispose() {
      await Promise.all([...sessions.values()].map(async (backend) => (await backend).dispose()));
    },
  };
}
