import { decodeModelFile, encodeModelFile } from '../../../core/model/model-file.js';
import { ModelFileError } from '../../../core/model/model-file-error.js';
import { modelFileContent, type Model } from '../../../core/model/model.js';
import type { TrainCheckpoint } from '../../../core/model/train.js';
import { isDataFingerprint, type DataFingerprint } from './data-fingerprint.js';

/**
 * A checkpoint is a model file whose parameter block holds the weights and both Adam moments
 * (3 × N floats) and whose metadata holds the optimiser step, epochs done and history, the run's
 * settings and what identifies its data; it cannot be mistaken for a model because the
 * parameter count does not match the architecture.
 */
export function encodeCheckpoint(model: Model, checkpoint: TrainCheckpoint, settings: Record<string, unknown>, data: DataFingerprint): Uint8Array {
  const n = checkpoint.parameters.length;
  const block = new Float32Array(3 * n);
  block.set(checkpoint.parameters, 0);
  block.set(checkpoint.firstMoment, n);
  block.set(checkpoint.secondMoment, 2 * n);
  return encodeModelFile({
    ...modelFileContent(model),
    parameters: block,
    metadata: {
      checkpoint: { epoch: checkpoint.epoch, adamStep: checkpoint.adamStep, validationAccuracy: checkpoint.validationAccuracy, history: checkpoint.history },
      settings,
      data,
    },
  });
}

/** What a checkpoint file holds: the training state and what resuming must match. */
export interface DecodedCheckpoint {
  readonly checkpoint: TrainCheckpoint;
  readonly architecture: Record<string, unknown>;
  readonly preprocessing: Record<string, unknown>;
  /** The settings the run was started with. */
  readonly settings: Record<string, unknown>;
  /** Its data; null in checkpoints of versions that did not record it. */
  readonly data: DataFingerprint | null;
}

/** The training state in a checkpoint file, and the settings and data it was started with (resuming must match them). */
export function decodeCheckpoint(bytes: Uint8Array, file: string): DecodedCheckpoint {
  const content = decodeModelFile(bytes, file);
  const meta = content.metadata?.['checkpoint'] as Partial<TrainCheckpoint> | undefined;
  if (!meta || typeof meta.epoch !== 'number' || content.parameters.length % 3 !== 0) {
    throw new ModelFileError('INVALID', file, 'is a model file but not a training checkpoint.');
  }
  const n = content.parameters.length / 3;
  const block = content.parameters;
  const data = content.metadata?.['data'];
  return {
    checkpoint: {
      epoch: meta.epoch,
      adamStep: meta.adamStep ?? 0,
      validationAccuracy: meta.validationAccuracy ?? Number.NaN,
      history: meta.history ?? [],
      parameters: block.slice(0, n),
      firstMoment: block.slice(n, 2 * n),
      secondMoment: block.slice(2 * n),
    },
    architecture: content.architecture,
    preprocessing: content.preprocessing,
    settings: (content.metadata?.['settings'] as Record<string, unknown>) ?? {},
    data: isDataFingerprint(data) ? data : null,
  };
}
