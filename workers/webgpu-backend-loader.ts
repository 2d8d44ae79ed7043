import type { Network } from '../core/model/network.js';
import type { NetworkInput } from '../core/model/network-input.js';

/** The part of `shaders/webgpu-backend.ts` the worker uses. */
export interface WebGpuBackendLike {
  readonly adapterDescription: string;
  predict(network: Network, parameters: Float32Array, input: NetworkInput): Promise<{ labels: Uint32Array; confidences: Float32Array; logits?: Float32Array }>;
  dispose(): void;
}

/** What `shaders/webgpu-backend.ts` exports. */
export interface WebGpuBackendModule {
  createWebGpuBackend(options?: Record<string, unknown>): Promise<WebGpuBackendLike>;
}

/**
 * Loads the WebGPU backend module on demand, so the cpu path works (and bundles stay small)
 * whether or not the WebGPU backend is built; a missing module rejects like a missing adapter.
 */
export async function loadWebGpuBackendModule(): Promise<WebGpuBackendModule> {
  // @ts-ignore -- written alongside this worker; until it exists the import fails at run time and `auto` falls back to cpu.
  const module = (await import('../shaders/webgpu-backend.js')) as Partial<WebGpuBackendModule>;
  if (typeof module.createWebGpuBackend !== 'function') throw new Error('shaders/webgpu-backend does not export createWebGpuBackend');
  return module as WebGpuBackendModule;
}
