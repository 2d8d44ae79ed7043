import { AdamW, learningRate } from './adam.js';
import type { Model } from './model.js';
import { mulberry32 } from '../mesh/seeded-random.js';

/** Summed over a batch by whoever computes gradients: this thread or a pool of workers. */
export interface BatchGradients {
  /** Sum over the batch's samples of each sample's mean loss gradient. */
  readonly gradients: Float32Array;
  /** Sum of the samples' area-weighted mean losses. */
  readonly loss: number;
  /** Sum of the samples' area-weighted accuracies. */
  readonly accuracy: number;
  readonly samples: number;
}

/** Where training gets its gradients and validation scores; the CLI backs it with worker threads. */
export interface GradientSource {
  /**
   * Training samples (meshes, augmented copies included) per partition: each step draws the same
   * number from every partition, so workers that each own one get equal work. Sample ids run
   * through the partitions in order.
   */
  readonly partitions: readonly number[];
  /** Gradients of the given training samples at `parameters`, each in a random gauge drawn from `seed`. */
  gradients(parameters: Float32Array, samples: readonly number[], seed: number): Promise<BatchGradients>;
  /** Vertex accuracy over the validation meshes (NaN when there are none). */
  validate(parameters: Float32Array): Promise<number>;
}

/** Options of {@link train}. */
export interface TrainOptions {
  epochs: number;
  /** Samples per step. */
  batchSize: number;
  /** Peak learning rate of the warm-up + cosine schedule. */
  learningRate: number;
  weightDecay: number;
  seed: number;
  /** Called after every step, for progress bars. */
  onStep?: (progress: TrainProgress) => void;
  /** Called after every epoch with a checkpoint to save. */
  onEpoch?: (checkpoint: TrainCheckpoint, progress: TrainProgress) => Promise<void> | void;
  /** Resume from this checkpoint. */
  resume?: TrainCheckpoint;
}

/** Defaults of {@link TrainOptions}. */
export const TRAIN_DEFAULTS = { epochs: 40, batchSize: 2, learningRate: 1e-2, weightDecay: 1e-4, seed: 1 } as const;

/** Where training stands. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Running mean training loss of the epoch. */
  loss: number;
  /** Running mean training accuracy of the epoch. */
  trainAccuracy: number;
  /** Validation accuracy after the last finished epoch. */
  validationAccuracy: number;
  /** Seconds since (re)start, and an estimate of those left. */
  elapsed: number;
  remaining: number;
}

/** Everything needed to continue training exactly where it stopped. */
export interface TrainCheckpoint {
  /** Epochs finished. */
  epoch: number;
  parameters: Float32Array;
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  adamStep: number;
  validationAccuracy: number;
  history: { epoch: number; loss: number; trainAccuracy: number; validationAccuracy: number; seconds: number }[];
}

/**
 * Trains `model.parameters` in place: AdamW with a warm-up and cosine learning rate, batches drawn
 * by a generator seeded with `seed` and the epoch, so the same seed and data give the same weights,
 * resumed runs included.
 */
export async function train(model: Model, source: GradientSource, options: TrainOptions): Promise<TrainCheckpoint> {
  const { epochs, batchSize, seed } = options;
  const parameters = model.parameters;
  const adam = new AdamW(parameters.length, { weightDecay: options.weightDecay });
  const history: TrainCheckpoint['history'] = [];
  let startEpoch = 0;
  let validationAccuracy = Number.NaN;
  if (options.resume) {
    const r = options.resume;
    if (r.parameters.length !== parameters.length) throw new Error(`train: the checkpoint has ${r.parameters.length} parameters, the model ${parameters.length}.`);
    parameters.set(r.parameters);
    adam.firstMoment.set(r.firstMoment);
    adam.secondMoment.set(r.secondMoment);
    adam.step = r.adamStep;
    startEpoch = r.epoch;
    validationAccuracy = r.validationAccuracy;
    history.push(...r.history);
  }
  const partitions = source.partitions;
  const perPartition = Math.max(1, Math.round(batchSize / partitions.length));
  const firstIds = partitions.map((_, p) => partitions.slice(0, p).reduce((a, b) => a + b, 0));
  const stepsPerEpoch = Math.max(1, Math.floor(Math.max(...partitions) / perPartition));
  const totalSteps = epochs * stepsPerEpoch;
  const started = performance.now();
  let stepsRun = 0;
  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochStarted = performance.now();
    const random = mulberry32(seed * 1_000_003 + epoch);
    const orders = partitions.map((count, p) => shuffled(count, random).map((i) => firstIds[p]! + i));
    let lossSum = 0;
    let accuracySum = 0;
    let sampleSum = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      // Partitions smaller than the largest wrap around.
      const batch = orders.flatMap((order) => order.length === 0 ? [] : Array.from({ length: perPartition }, (_, i) => order[(step * perPartition + i) % order.length]!));
      const result = await source.gradients(parameters, batch, seed * 7919 + epoch * stepsPerEpoch + step);
      const gradients = result.gradients;
      for (let i = 0; i < gradients.length; i++) gradients[i]! /= result.samples;
      const globalStep = epoch * stepsPerEpoch + step;
      adam.update(parameters, gradients, learningRate(options.learningRate, globalStep / totalSteps));
      lossSum += result.loss;
      accuracySum += result.accuracy;
      sampleSum += result.samples;
      stepsRun++;
      const elapsed = (performance.now() - started) / 1000;
      options.onStep?.({
        epoch: epoch + 1, epochs, step: step + 1, stepsPerEpoch,
        loss: lossSum / sampleSum, trainAccuracy: accuracySum / sampleSum, validationAccuracy,
        elapsed, remaining: (elapsed / stepsRun) * (totalSteps - globalStep - 1),
      });
    }
    validationAccuracy = await source.validate(parameters);
    history.push({ epoch: epoch + 1, loss: lossSum / sampleSum, trainAccuracy: accuracySum / sampleSum, validationAccuracy, seconds: (performance.now() - epochStarted) / 1000 });
    const checkpoint: TrainCheckpoint = {
      epoch: epoch + 1, parameters: parameters.slice(), firstMoment: adam.firstMoment.slice(), secondMoment: adam.secondMoment.slice(),
      adamStep: adam.step, validationAccuracy, history: history.slice(),
    };
    const elapsed = (performance.now() - started) / 1000;
    await options.onEpoch?.(checkpoint, {
      epoch: epoch + 1, epochs, step: stepsPerEpoch, stepsPerEpoch, loss: lossSum / sampleSum, trainAccuracy: accuracySum / sampleSum,
      validationAccuracy, elapsed, remaining: (elapsed / Math.max(1, stepsRun)) * (totalSteps - (epoch + 1) * stepsPerEpoch),
    });
  }
  return {
    epoch: epochs, parameters: parameters.slice(), firstMoment: adam.firstMoment.slice(), secondMoment: adam.secondMoment.slice(),
    adamStep: adam.step, validationAccuracy, history,
  };
}

/** 0 … n − 1 in a random order. */
function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
