/**
 * Segmentation in a worker (`erlangen/worker`): a comlink API used the same way from a browser
 * `Worker` and Node `worker_threads`, and a small pool. Node's starter is in `erlangen/worker/node`.
 * @packageDocumentation
 */
export { createSegmentationApi, type SegmentationApi, type SegmentationApiOptions } from './segmentation-api.js';
export { SegmentationWorkerClient, type SegmentationWorkerHandle } from './segmentation-client.js';
export { createBrowserSegmentationWorker, clientOfBrowserWorker } from './browser-worker.js';
export { SegmentationWorkerPool, type SegmentationWorkerPoolOptions, type PoolJobResult } from './segmentation-pool.js';
export { SegmentationWorkerError, type SegmentationWorkerErrorCode } from './segmentation-worker-error.js';
export type { WebGpuBackendLike, WebGpuBackendModule } from './webgpu-backend-loader.js';
export {
  NO_LABEL,
  type MeshInput,
  type ModelSummary,
  type PrepareResult,
  type ProgressCallback,
  type SegmentationBackend,
  type SegmentationStage,
  type SegmentOptions,
  type SegmentResult,
  type StageProgress,
} from './segmentation-types.js';
