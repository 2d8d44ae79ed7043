import { SegmentationWorkerClient } from './segmentation-client.js';
import { SegmentationWorkerError } from './segmentation-worker-error.js';

/**
 * Starts the segmentation worker in a browser module `Worker`. Bundlers that understand
 * `new Worker(new URL(…, import.meta.url))` (Vite, webpack 5, Parcel) emit the worker chunk.
 */
export function createBrowserSegmentationWorker(): SegmentationWorkerClient {
  const worker = new Worker(new URL('./segmentation-worker.js', import.meta.url), { type: 'module', name: 'erlangen-segmentation' });
  return clientOfBrowserWorker(worker);
}

/** A client for a `Worker` you started yourself from `erlangen/worker`'s segmentation-worker module. */
export function clientOfBrowserWorker(worker: Worker): SegmentationWorkerClient {
  const failure = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new SegmentationWorkerError('WORKER_FAILED', `the segmentation worker failed: ${event.message || 'it could not be started (check that its script is served)'}`));
    });
  });
  return new SegmentationWorkerClient({ endpoint: worker, terminate: () => worker.terminate(), failure });
}
