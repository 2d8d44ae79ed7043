/** Why the WebGPU backend could not run. Codes are stable: callers fall back to `cpu` on any of them. */
export type WebGpuErrorCode =
  /** No WebGPU implementation: no `navigator.gpu` and the optional `webgpu` package is not installed. */
  | 'NO_WEBGPU'
  /** WebGPU exists but offers no adapter (no GPU, blocklisted driver, no Vulkan/Metal/D3D12 driver). */
  | 'NO_ADAPTER'
  /** The device was lost (driver reset, GPU removed, too long a submission) or disposed. */
  | 'DEVICE_LOST'
  /** The GPU ran out of memory for this mesh. */
  | 'OUT_OF_MEMORY'
  /** One row of data (a vertex's neighbourhood, a layer's weights) does not fit in one buffer binding. */
  | 'TOO_LARGE'
  /** The network or its input does not fit together (parameter count, levels, feature shape). */
  | 'INVALID_INPUT'
  /** WebGPU reported a validation error: a bug in erlangen. */
  | 'INTERNAL';

/** How to get a working setup, appended to adapter errors. */
export const WEBGPU_HELP =
  'Use a browser with WebGPU, or in Node install the optional `webgpu` package (npm install webgpu); ' +
  'without a GPU, SwiftShader works: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json NODEVICE_SELECT=1 ' +
  '(Debian package chromium). `--backend cpu` works everywhere.';

/** A typed WebGPU backend error: `code` for programs, `message` (with what to do) for people. */
export class WebGpuError extends Error {
  override readonly name = 'WebGpuError';

  /**
   * @param code stable machine-readable cause.
   * @param detail what went wrong and what to do about it.
   */
  constructor(
    readonly code: WebGpuErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`webgpu: ${detail}`, options);
  }
}
