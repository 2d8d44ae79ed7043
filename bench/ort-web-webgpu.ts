/// <reference types="@webgpu/types" />
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ModuleImporter } from '../plugin/onnx/onnx-runtime.js';

/** Dawn's GPU object with `navigator.gpu` pointing at it, and the adapters onnxruntime asked for through it. */
export interface NodeWebGpu {
  /** The `webgpu` package's GPU; keep it referenced for the life of every device made from it (Dawn crashes when it is collected). */
  readonly gpu: GPU;
  /** "vendor architecture description device" of every adapter requested through `navigator.gpu`, in order. */
  readonly navigatorAdapters: string[];
}

/** "vendor architecture description device" without repeats, as shaders/gpu-device.ts describes an adapter. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info as GPUAdapterInfo | undefined;
  const parts = [info?.vendor, info?.architecture, info?.description, info?.device].filter((part): part is string => typeof part === 'string' && part.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(' ') : 'unknown WebGPU adapter';
}

/**
 * WebGPU for onnxruntime-web under Node: the `webgpu` package's globals, `navigator.gpu` as a
 * view of Dawn's GPU that records each adapter it hands out, and a GPUQueue.writeBuffer that
 * accepts views of a SharedArrayBuffer (onnxruntime's threaded wasm memory), which Dawn's Node
 * binding refuses with "Invalid argument" where Chromium takes them.
 * @returns null when the `webgpu` package is not installed.
 */
export async function installNodeWebGpu(): Promise<NodeWebGpu | null> {
  let module: { create: (options: string[]) => GPU; globals: object };
  try {
    module = (await import('webgpu' as string)) as typeof module;
  } catch {
    return null;
  }
  const scope = globalThis as { GPUBufferUsage?: unknown; GPUQueue?: { prototype: GPUQueue }; navigator?: { gpu?: GPU } };
  if (scope.GPUBufferUsage === undefined) Object.assign(globalThis, module.globals);
  const gpu = module.create([]);
  const navigatorAdapters: string[] = [];
  const recording = new Proxy(gpu, {
    get(target, key) {
      if (key === 'requestAdapter') {
        return async (options?: GPURequestAdapterOptions) => {
          const adapter = await target.requestAdapter(options);
          if (adapter) navigatorAdapters.push(describeAdapter(adapter));
          return adapter;
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  if (scope.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(scope.navigator, 'gpu', { value: recording, configurable: true });
  copySharedUploads(scope.GPUQueue!.prototype);
  return { gpu, navigatorAdapters };
}

/** Wraps writeBuffer so that data in a SharedArrayBuffer is copied to an ordinary one first (one memcpy of the upload). */
function copySharedUploads(queue: GPUQueue): void {
  const marked = queue as GPUQueue & { erlangenSharedUploads?: true };
  if (marked.erlangenSharedUploads) return;
  const writeBuffer = queue.writeBuffer;
  queue.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: GPUSize64, data: GPUAllowSharedBufferSource, dataOffset?: GPUSize64, size?: GPUSize64) {
    const bytes = ArrayBuffer.isView(data) ? data.buffer : data;
    if (bytes instanceof SharedArrayBuffer) {
      const view = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
      const elementBytes = ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data ? (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
      const copy = view.slice();
      // dataOffset and size count elements of a typed array; keep that meaning on the byte copy.
      return writeBuffer.call(this, buffer, offset, copy, dataOffset === undefined ? undefined : dataOffset * elementBytes, size === undefined ? undefined : size * elementBytes);
    }
    return writeBuffer.call(this, buffer, offset, data, dataOffset, size);
  } as GPUQueue['writeBuffer'];
  marked.erlangenSharedUploads = true;
}

/**
 * An importer for createOnnxBackend's 'web' runtime that loads onnxruntime-web's WebGPU build
 * (`onnxruntime-web/webgpu`: the WebGPU execution provider on the asyncify wasm) instead of the
 * package's Node entry, which has only the wasm provider, and hands it the wasm binary from disk
 * (its default fetch of a file URL does not work in Node), running on one wasm thread.
 */
export const ortWebGpuImporter: ModuleImporter = async () => {
  const ort = (await import('onnxruntime-web/webgpu')) as unknown as { env: { wasm: { wasmBinary?: ArrayBufferLike | Uint8Array; numThreads?: number } } };
  const wasm = createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm');
  ort.env.wasm.wasmBinary ??= new Uint8Array(await readFile(wasm));
  ort.env.wasm.numThreads = 1;
  return ort;
};
