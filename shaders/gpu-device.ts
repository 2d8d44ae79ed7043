/// <reference types="@webgpu/types" />
import { WEBGPU_HELP, WebGpuError } from './webgpu-error.js';

/** The Node `webgpu` module, loaded once; null when it is not installed. */
let nodeModule: Promise<{ create: (options: string[]) => GPU; globals: object } | null> | null = null;
/** Dawn's GPU object, created once and kept for the life of the process (Dawn crashes when it is collected). */
let nodeInstance: GPU | null = null;

/** The optional `webgpu` package with its constants (GPUBufferUsage, …) installed as globals; null without it. */
async function loadNodeModule(): Promise<{ create: (options: string[]) => GPU; globals: object } | null> {
  nodeModule ??= import('webgpu' as string).then(
    (module: { create: (options: string[]) => GPU; globals: object }) => {
      if (typeof (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage === 'undefined') Object.assign(globalThis, module.globals);
      return module;
    },
    () => null,
  );
  return nodeModule;
}

/** The GPU entry point: the option, `navigator.gpu`, or the Node package. */
async function findGpu(gpu: GPU | undefined): Promise<GPU> {
  const hasConstants = typeof (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage !== 'undefined';
  if (gpu) {
    // A GPU handed in from Node still needs the WebGPU constants as globals.
    if (!hasConstants) await loadNodeModule();
    return gpu;
  }
  const fromNavigator = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (fromNavigator) return fromNavigator;
  const module = await loadNodeModule();
  if (module) return (nodeInstance ??= module.create([]));
  throw new WebGpuError('NO_WEBGPU', `this environment has no WebGPU. ${WEBGPU_HELP}`);
}

/** "vendor architecture description" of an adapter, or a fallback when it tells nothing. */
function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info as GPUAdapterInfo | undefined;
  const parts = [info?.vendor, info?.architecture, info?.description, info?.device].filter((part): part is string => typeof part === 'string' && part.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(' ') : 'unknown WebGPU adapter';
}

/** Adapters that emulate a GPU on the CPU (SwiftShader, llvmpipe/lavapipe, WARP). */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render|warp/i;

/** Whether an adapter is a CPU emulation: flagged as a fallback adapter, or named like one. */
function isSoftwareAdapter(adapter: GPUAdapter, description: string): boolean {
  return (adapter.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(description);
}

/** A device with the adapter's own limits (not WebGPU's defaults) and those of `wantedFeatures` the adapter has, its adapter's description and whether it is a software one, and the GPU it came from. */
export async function requestGpuDevice(gpuOption?: GPU, wantedFeatures: readonly GPUFeatureName[] = []): Promise<{ gpu: GPU; device: GPUDevice; adapterDescription: string; softwareAdapter: boolean }> {
  const gpu = await findGpu(gpuOption);
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    throw new WebGpuError('NO_ADAPTER', `requesting a WebGPU adapter failed (${(error as Error).message}). ${WEBGPU_HELP}`, { cause: error });
  }
  if (!adapter) throw new WebGpuError('NO_ADAPTER', `no WebGPU adapter was found. ${WEBGPU_HELP}`);
  const limits = adapter.limits;
  try {
    const device = await adapter.requestDevice({
      requiredFeatures: wantedFeatures.filter((feature) => adapter.features.has(feature)),
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      },
    });
    const adapterDescription = describeAdapter(adapter);
    return { gpu, device, adapterDescription, softwareAdapter: isSoftwareAdapter(adapter, adapterDescription) };
  } catch (error) {
    throw new WebGpuError('NO_ADAPTER', `the WebGPU adapter would not create a device (${(error as Error).message}). ${WEBGPU_HELP}`, { cause: error });
  }
}
