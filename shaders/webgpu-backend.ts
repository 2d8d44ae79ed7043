/// <reference types="@webgpu/types" />
import type { Network } from '../core/model/network.js';
import type { NetworkInput } from '../core/model/network-input.js';
import { GpuContext } from './gpu-context.js';
import { gpuForward } from './gpu-forward.js';
import { requestGpuDevice } from './gpu-device.js';
import { WebGpuError } from './webgpu-error.js';

export { WebGpuError, type WebGpuErrorCode } from './webgpu-error.js';

/** Per mesh vertex: the most likely class, its softmax probability, and all class logits (vertex-major). */
export interface WebGpuPrediction {
  labels: Uint32Array;
  confidences: Float32Array;
  logits: Float32Array;
}

/** The network's forward pass on one GPUDevice; use it from the thread that created it. */
export interface WebGpuBackend {
  /** Adapter vendor/architecture/description, for logs and the viewer. */
  readonly adapterDescription: string;
  /** The adapter emulates a GPU on the CPU (SwiftShader, llvmpipe): slower than the cpu backend, so `auto` choices skip it. */
  readonly softwareAdapter: boolean;
  /** Logits, labels and confidences of every mesh vertex; one upload and one read-back. Calls run one at a time. */
  predict(network: Network, parameters: Float32Array, input: NetworkInput): Promise<WebGpuPrediction>;
  /** Destroys the device; later calls fail with DEVICE_LOST. */
  dispose(): void;
}

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /** The WebGPU entry point; default `navigator.gpu`, else (Node) the optional `webgpu` package. */
  gpu?: GPU;
  /** cap maxStorageBufferBindingSize (tests force tiling) */
  maxBindingBytes?: number;
}

/** Creates the WebGPU backend: finds an adapter, requests its own limits, and compiles kernels on first use. */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const { gpu, device, adapterDescription, softwareAdapter } = await requestGpuDevice(options.gpu);
  const context = new GpuContext(device, options.maxBindingBytes);
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  return {
    adapterDescription,
    softwareAdapter,
    predict(network, parameters, input) {
      const run = async (): Promise<WebGpuPrediction> => {
        if (disposed) throw new WebGpuError('DEVICE_LOST', 'the WebGPU backend was disposed; create a new one.');
        const result = await gpuForward(context, network, parameters, input);
        return { labels: result.labels, confidences: result.confidences, logits: result.logits };
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      device.destroy();
      // Referenced here so the closure keeps Dawn's GPU object alive as long as the backend.
      void gpu;
    },
  };
}
