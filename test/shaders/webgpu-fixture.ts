/// <reference types="@webgpu/types" />
import { existsSync } from 'node:fs';
import { describe } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from '../../shaders/index.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** How to get an adapter, printed when the GPU suites are skipped. */
export const NO_ADAPTER_REASON =
  'skipped: no WebGPU adapter (install the optional `webgpu` package; without a GPU install Debian\'s chromium for SwiftShader, ' +
  `VK_ICD_FILENAMES=${SWIFTSHADER_ICD} NODEVICE_SELECT=1)`;

/** The Node WebGPU entry point, with SwiftShader selected when its driver is installed and nothing else was chosen; null without the package. */
export async function nodeGpu(): Promise<GPU | null> {
  if (existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
    process.env.NODEVICE_SELECT ??= '1';
  }
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    return create([]);
  } catch {
    return null;
  }
}

/** Kept for the life of the test process: Dawn crashes when its GPU object is collected. */
export const gpu: GPU | null = await nodeGpu();
const adapter = gpu ? await gpu.requestAdapter() : null;

/** Whether the GPU suites run; in CI a missing adapter fails instead of skipping. */
export const hasAdapter = adapter !== null;
if (!hasAdapter && process.env.CI === 'true') throw new Error(`CI requires a WebGPU adapter for the GPU suites: ${NO_ADAPTER_REASON}`);

/** `describe` when an adapter exists, else `describe.skip` with the reason in the name. */
export const describeGpu: typeof describe = hasAdapter ? describe : (((name: string, fn: () => void) => describe.skip(`${name} (${NO_ADAPTER_REASON})`, fn)) as typeof describe);

/** A backend on the test adapter. */
export function testBackend(options: Omit<WebGpuBackendOptions, 'gpu'> = {}): Promise<WebGpuBackend> {
  return createWebGpuBackend({ ...options, gpu: gpu! });
}

/** max |a − b| / max |a|: the relative error the 1e-4 bound is stated in. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / (scale || 1);
}
