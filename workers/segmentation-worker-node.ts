/** Node worker_threads entry of the segmentation worker: the same API as the browser entry. */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createSegmentationApi } from './segmentation-api.js';

if (!parentPort) throw new Error('segmentation-worker-node: start this module as a worker thread (see createNodeSegmentationWorker).');
Comlink.expose(createSegmentationApi({ transfer: Comlink.transfer }), nodeEndpoint(parentPort));
