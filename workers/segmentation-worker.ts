/**
 * Browser worker entry: `new Worker(new URL('./segmentation-worker.js', import.meta.url), { type: 'module' })`.
 * The worker that owns the GPUDevice does all GPU work; only labels and confidences leave it.
 */
import * as Comlink from 'comlink';
import { createSegmentationApi } from './segmentation-api.js';

Comlink.expose(createSegmentationApi({ transfer: Comlink.transfer }), self as unknown as Comlink.Endpoint);
