/**
 * erlangen/webgpu: the GEM-CNN forward pass as WGSL compute kernels on a GPUDevice.
 * @packageDocumentation
 */
export { createWebGpuBackend, WebGpuError, type WebGpuBackend, type WebGpuBackendOptions, type WebGpuErrorCode, type WebGpuPrediction } from './webgpu-backend.js';
