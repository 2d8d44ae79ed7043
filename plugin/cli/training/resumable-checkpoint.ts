import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Architecture } from '../../../core/model/architecture.js';
import { PREPROCESSING_DEFAULTS } from '../../../core/model/network-input.js';
import type { TrainCheckpoint } from '../../../core/model/train.js';
import { decodeCheckpoint } from './checkpoint.js';
import { dataDifferences, type DataFingerprint } from './data-fingerprint.js';
import { TrainError } from './train-error.js';

/** What a resumed run must share with the checkpoint's, by the option that sets it; --epochs may grow and --workers change. */
export const RESUMED_SETTINGS: Readonly<Record<string, string>> = {
  data: '--data', val: '--val', holdout: '--holdout', seed: '--seed', augment: '--augment', stretch: '--stretch', batchSize: '--batch', learningRate: '--lr',
};

// The network's fields an option sets; the class count follows the label names, which the data comparison names.
const NETWORK_OPTIONS: Readonly<Partial<Record<keyof Architecture, string>>> = {
  channels: '--channels', outputChannels: '--output-channels', dropout: '--dropout', classes: 'the number of label names',
};

/** What this run would resume with: its network, settings (by RESUMED_SETTINGS key, and `epochs`) and data. */
export interface ResumingRun {
  readonly architecture: Architecture;
  readonly settings: Readonly<Record<string, unknown>> & { readonly epochs: number };
  readonly data: DataFingerprint;
}

/**
 * The training state of the checkpoint `file`, if this run may resume it.
 * @throws TrainError `CHECKPOINT_MISMATCH` naming what differs: the options (network ones
 * included) and the data (label names, meshes added, removed, changed or relabelled); or saying
 * that the checkpoint does not record its data, was made by a version that prepares meshes
 * differently, or is past the epochs asked for. ModelFileError when it is not a checkpoint.
 */
export async function resumableCheckpoint(file: string, run: ResumingRun): Promise<TrainCheckpoint> {
  const saved = decodeCheckpoint(new Uint8Array(await readFile(file)), file);
  const refuse = (detail: string) => new TrainError('CHECKPOINT_MISMATCH', file, `${detail}; delete it to start over.`);
  // Folders compare as absolute paths, so `data` and `./data` are the same folder.
  const comparable = (key: string, value: unknown): string => JSON.stringify(Array.isArray(value) && (key === 'data' || key === 'val') ? value.map((dir) => resolve(String(dir))) : value);
  const options = Object.entries(RESUMED_SETTINGS).filter(([key]) => comparable(key, saved.settings[key]) !== comparable(key, run.settings[key])).map(([, option]) => option);
  options.push(...networkDifferences(saved.architecture, run.architecture, saved.data !== null));
  const data = saved.data === null ? [] : dataDifferences(saved.data, run.data);
  if (options.length > 0 || data.length > 0) {
    const parts = [...(options.length > 0 ? [`other settings (${options.join(', ')})`] : []), ...(data.length > 0 ? [`other data (${data.join('; ')})`] : [])];
    throw refuse(`the checkpoint was made with ${parts.join(' and ')}`);
  }
  // Accepting it could resume on other meshes, or with class indices that mean other labels, unnoticed.
  if (saved.data === null) throw refuse('the checkpoint was made by an earlier version of erlangen that did not record its data, so it cannot be checked against this data');
  // Its weights were trained on inputs prepared its way; another version's preprocessing would feed them other inputs.
  if (JSON.stringify(saved.preprocessing) !== JSON.stringify(PREPROCESSING_DEFAULTS)) {
    throw refuse('the checkpoint was made by a version of erlangen that prepares meshes differently');
  }
  // Resuming with more epochs extends training; with fewer it would return the later weights as if they were the earlier.
  if (saved.checkpoint.epoch > run.settings.epochs) {
    throw refuse(`the checkpoint is at epoch ${saved.checkpoint.epoch}, past the ${run.settings.epochs} asked for`);
  }
  return saved.checkpoint;
}

// The options whose network fields differ; fields no option sets differ only between versions of erlangen.
function networkDifferences(saved: Record<string, unknown>, architecture: Architecture, dataRecorded: boolean): string[] {
  const differ = Object.keys({ ...saved, ...architecture }).filter((key) => JSON.stringify(saved[key]) !== JSON.stringify((architecture as unknown as Record<string, unknown>)[key]));
  // With the data recorded, a new class count shows as other label names there.
  const named = differ.filter((key) => key in NETWORK_OPTIONS && !(key === 'classes' && dataRecorded)).map((key) => NETWORK_OPTIONS[key as keyof Architecture]!);
  const fixed = differ.filter((key) => !(key in NETWORK_OPTIONS));
  return fixed.length > 0 ? [...named, `the network's built-in ${fixed.join(', ')} (another version of erlangen)`] : named;
}
