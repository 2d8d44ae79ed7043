import type { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Architecture } from '../../../core/model/architecture.js';
import type { FieldShape } from '../../../core/model/layers/feature-layout.js';
import type { Preprocessing } from '../../../core/model/network-input.js';
import type { BatchGradients, GradientSource } from '../../../core/model/train.js';
import type { LoadedSample, TrainingWorkerApi } from './training-worker.js';
import { fromTransferableError } from '../../../workers/segmentation-worker-error.js';
import { TRAINING_FILE_ERRORS } from './sample-failure.js';
import type { SampleSpec } from './sample-spec.js';
import { startModuleWorker } from '../start-worker.js';

/**
 * Data-parallel training over worker threads: each worker loads and prepares its share of the
 * samples once (so preprocessing runs in parallel too) and returns summed gradients of the
 * samples it is asked for; the main thread averages them and steps the optimiser.
 */
export class TrainingWorkerPool implements GradientSource {
  readonly partitions: number[];
  private readonly validationIds: number[][];

  private constructor(
    private readonly workers: Worker[],
    private readonly apis: Comlink.Remote<TrainingWorkerApi>[],
    private readonly failure: Promise<never>,
    trainingCounts: number[],
    validationCounts: number[],
  ) {
    this.partitions = trainingCounts;
    this.validationIds = validationCounts.map((count, w) => Array.from({ length: count }, (_, i) => trainingCounts[w]! + i));
  }

  /**
   * Starts `workerCount` workers and loads the samples round-robin.
   * @throws the first failing sample's own error (MeshError, DatasetError, TrainError), or an error
   * with code `WORKER_CRASHED` when a worker dies.
   */
  static async start(
    workerCount: number,
    training: readonly SampleSpec[],
    validation: readonly SampleSpec[],
    classes: number,
    preprocessing: Preprocessing,
  ): Promise<{ pool: TrainingWorkerPool; featureShape: FieldShape; loaded: LoadedSample[] }> {
    const workers = Array.from({ length: workerCount }, () => startModuleWorker(import.meta.url, 'training-worker'));
    const apis = workers.map((worker) => Comlink.wrap<TrainingWorkerApi>(nodeEndpoint(worker)));
    // A worker that dies (out of memory, a crash) fails the pending call instead of leaving it waiting forever.
    const failure = new Promise<never>((_, reject) => {
      for (const worker of workers) {
        // Coded as segment codes a crashed worker, so scripts can tell it from bad data.
        worker.once('error', (error) => reject(Object.assign(new Error(`a training worker failed: ${error.message}`, { cause: error }), { code: 'WORKER_CRASHED' })));
        worker.once('exit', (code) => { if (code !== 0) reject(Object.assign(new Error(`a training worker exited with code ${code}`), { code: 'WORKER_CRASHED' })); });
      }
    });
    failure.catch(() => {});
    const share = <T>(items: readonly T[], w: number) => items.filter((_, i) => i % workerCount === w);
    try {
      // The first sample that fails stops the start at once, with its own error, while other workers may still be loading.
      const load = async (api: Comlink.Remote<TrainingWorkerApi>, w: number) => {
        const result = await api.load([...share(training, w), ...share(validation, w)], classes, preprocessing);
        if ('failure' in result) throw fromTransferableError(result.failure, TRAINING_FILE_ERRORS);
        return result.loaded;
      };
      const loaded = await Promise.race([failure, Promise.all(apis.map(load))]);
      const pool = new TrainingWorkerPool(workers, apis, failure, apis.map((_, w) => share(training, w).length), apis.map((_, w) => share(validation, w).length));
      const all = loaded.flat();
      if (all.length === 0) throw new Error('no samples to train on.');
      return { pool, featureShape: all[0]!.featureShape, loaded: all };
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
  }

  /** Builds the network in every worker. */
  async configure(architecture: Architecture, featureShape: FieldShape): Promise<void> {
    await Promise.race([this.failure, Promise.all(this.apis.map((api) => api.configure(architecture, featureShape)))]);
  }

  async gradients(parameters: Float32Array, samples: readonly number[], seed: number): Promise<BatchGradients> {
    const perWorker: number[][] = this.apis.map(() => []);
    for (const id of samples) {
      let w = 0;
      let local = id;
      while (local >= this.partitions[w]!) local -= this.partitions[w++]!;
      perWorker[w]!.push(local);
    }
    const results = await Promise.race([this.failure, Promise.all(this.apis.map((api, w) => perWorker[w]!.length > 0 ? api.gradients(parameters, perWorker[w]!, seed * 17 + w) : null))]);
    let sum: BatchGradients | null = null;
    for (const result of results) {
      if (!result) continue;
      if (!sum) { sum = result; continue; }
      const g: Float32Array = sum.gradients;
      for (let i = 0; i < g.length; i++) g[i]! += result.gradients[i]!;
      sum = { gradients: g, loss: sum.loss + result.loss, accuracy: sum.accuracy + result.accuracy, samples: sum.samples + result.samples };
    }
    if (!sum) throw new Error('TrainingWorkerPool: an empty batch.');
    return sum;
  }

  async validate(parameters: Float32Array): Promise<number> {
    const results = await Promise.race([this.failure, Promise.all(this.apis.map((api, w) => api.evaluate(parameters, this.validationIds[w]!)))]);
    const correct = results.reduce((a, r) => a + r.correct, 0);
    const vertices = results.reduce((a, r) => a + r.vertices, 0);
    return vertices > 0 ? correct / vertices : Number.NaN;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    for (const api of this.apis) api[Comlink.releaseProxy]();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
