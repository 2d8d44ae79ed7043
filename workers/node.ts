/**
 * Node entry of `erlangen/worker` (`erlangen/worker/node`): everything in `erlangen/worker` plus
 * a starter for worker_threads.
 * @packageDocumentation
 */
export * from './index.js';
export { createNodeSegmentationWorker } from './node-worker.js';
