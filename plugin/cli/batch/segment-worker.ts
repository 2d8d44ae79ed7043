import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { decodeModel, type Model } from '../../../core/model/model.js';
import type { PredictionOptions } from '../../../core/model/prediction-ensemble.js';
import { createPredictor, type BackendChoice, type Predictor } from '../backend.js';
import type { LabellingStamp } from './labelling-stamp.js';
import { segmentFile, type FileJob, type FileResult } from './segment-file.js';

/** How a segment worker is set up: the same for every file it is given. */
export interface SegmentWorkerSettings {
  /** The model file's bytes (already checked by the caller) and its path, for messages. */
  readonly modelBytes: Uint8Array;
  readonly modelFile: string;
  readonly backend: BackendChoice;
  /** Passes and smoothing of every prediction. */
  readonly prediction: PredictionOptions;
  readonly colors: boolean;
  /** Recorded in every output, so a later run knows what labelled it. */
  readonly stamp: LabellingStamp;
}

let model: Model | null = null;
let predictor: Predictor | null = null;
let colors = false;
let stamp: LabellingStamp | null = null;

/** The API a segment worker exposes over comlink. */
const api = {
  /** Loads the model and opens the backend; resolves to the backend in use and why it fell back, if it did. */
  async init(settings: SegmentWorkerSettings): Promise<{ backend: string; fallback?: string }> {
    model = decodeModel(settings.modelBytes, settings.modelFile);
    predictor = await createPredictor(settings.backend, settings.prediction);
    colors = settings.colors;
    stamp = settings.stamp;
    return { backend: predictor.name, ...(predictor.fallback ? { fallback: predictor.fallback } : {}) };
  },
  /** Segments one file; failures come back as an error row. */
  segment(job: FileJob): Promise<FileResult> {
    if (!model || !predictor || !stamp) throw new Error('segment worker: init() first.');
    return segmentFile(job, { model, predict: predictor.predict, colors, stamp });
  },
  /** Releases the backend (a GPU device, an onnxruntime session) before the thread ends. */
  async dispose(): Promise<void> {
    await predictor?.dispose();
    predictor = null;
  },
};

/** The type of {@link api}, for `Comlink.wrap`. */
export type SegmentWorkerApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort!));
