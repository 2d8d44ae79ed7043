import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Architecture } from '../../../core/model/architecture.js';
import type { FieldShape } from '../../../core/model/layers/feature-layout.js';
import { Network } from '../../../core/model/network.js';
import type { Preprocessing } from '../../../core/model/network-input.js';
import { predictInput } from '../../../core/model/predict.js';
import { sampleGradients, type TrainingSample } from '../../../core/model/sample-gradients.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { loadSample } from './load-sample.js';
import { toTransferableError, type TransferableError } from '../../../workers/segmentation-worker-error.js';
import { sampleLoadError } from './sample-failure.js';
import { describeSample, type SampleSpec } from './sample-spec.js';

/** What one loaded sample looks like from the outside. */
export interface LoadedSample {
  readonly name: string;
  readonly vertices: number;
  readonly featureShape: FieldShape;
}

/** A worker's share of the data, kept prepared between steps. */
const samples: TrainingSample[] = [];
let network: Network | null = null;
let labelCount = 0;

/** The API a training worker exposes over comlink. */
const api = {
  /**
   * Loads and prepares samples; their ids are their positions in this worker, in order. Stops at
   * the first sample that fails and resolves to why, as data (a thrown error would lose its code).
   */
  async load(specs: SampleSpec[], classes: number, preprocessing: Preprocessing): Promise<{ loaded: LoadedSample[] } | { failure: TransferableError }> {
    labelCount = classes;
    const loaded: LoadedSample[] = [];
    for (const spec of specs) {
      let sample: TrainingSample;
      try {
        sample = await loadSample(spec, labelCount, preprocessing);
      } catch (error) {
        return { failure: toTransferableError(sampleLoadError(error, spec)) };
      }
      samples.push(sample);
      loaded.push({ name: describeSample(spec), vertices: sample.input.meshVertexCount, featureShape: sample.input.featureShape });
    }
    return { loaded };
  },

  /** Builds the network every later call uses. */
  configure(architecture: Architecture, featureShape: FieldShape): number {
    network = new Network(architecture, featureShape);
    return network.parameterCount;
  },

  /** Summed gradients of the given samples, each in a random gauge and dropout drawn from `seed`. */
  gradients(parameters: Float32Array, ids: number[], seed: number) {
    const net = requireNetwork();
    const gradients = new Float32Array(parameters.length);
    let loss = 0;
    let accuracy = 0;
    for (const id of ids) {
      const result = sampleGradients(net, parameters, samples[id]!, gradients, mulberry32(seed * 31 + id));
      loss += result.loss;
      accuracy += result.accuracy;
    }
    return Comlink.transfer({ gradients, loss, accuracy, samples: ids.length }, [gradients.buffer]);
  },

  /** Correct and counted vertices over the given samples. */
  evaluate(parameters: Float32Array, ids: number[]): { correct: number; vertices: number } {
    const net = requireNetwork();
    let correct = 0;
    let vertices = 0;
    for (const id of ids) {
      const sample = samples[id]!;
      const { labels } = predictInput(net, parameters, sample.input);
      for (let v = 0; v < labels.length; v++) if (labels[v] === sample.labels[v]) correct++;
      vertices += labels.length;
    }
    return { correct, vertices };
  },
};

/** The type a pool wraps. */
export type TrainingWorkerApi = typeof api;

function requireNetwork(): Network {
  if (!network) throw new Error('training worker: configure() first.');
  return network;
}

Comlink.expose(api, nodeEndpoint(parentPort!));
