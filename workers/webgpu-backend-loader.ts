import type { Network } from '../core/model/network.js';
import type { NetworkInput } from '../core/model/network-input.js';

/** The part of `shaders/webgpu-backend.ts` the worker uses. */
export interface WebGpuBackendLike {
  readonly adapterDescription: string;
  readonly softwareAdapter: boolean;
  predict(network: Network, parameters: Float32Array, input: NetworkInput): Promise<{ labels: Uint32Array; confidences: Float32Array; logits?: Float32Array }>;
  dispose(): void;
}

/** What `shaders/webgpu-backend.ts` exports. */
export interface WebGpuBackendModule {
  createWebGpuBackend(options?: Record<string, unknown>): Promise<WebGpuBackendLike>;
}

/** Loads the WebGPU backend module on demand, so the cpu path (and a bundle that never uses WebGPU) does not load the kernels. */
export async function loadWebGpuBackendModule(): Promise<WebGpuBackendModule> {
  return import('../shaders/webgpu-backend.js');
}
