import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError } from '../../../../core/mesh/file-error.js';
import { MeshError } from '../../../../core/mesh/mesh-error.js';
import { PREPROCESSING_DEFAULTS } from '../../../../core/model/network-input.js';
import { DatasetError } from '../../../../plugin/cli/dataset.js';
import { loadSample } from '../../../../plugin/cli/training/load-sample.js';
import { sampleLoadError, TRAINING_FILE_ERRORS } from '../../../../plugin/cli/training/sample-failure.js';
import { fromTransferableError, toTransferableError } from '../../../../workers/segmentation-worker-error.js';
import type { SampleSpec } from '../../../../plugin/cli/training/sample-spec.js';
import { TrainError } from '../../../../plugin/cli/training/train-error.js';
import { TrainingWorkerPool } from '../../../../plugin/cli/training/worker-pool.js';
import { writeLabelledSphere } from '../labelled-spheres.js';

const original = (dir: string, stem = 'sphere-1'): SampleSpec => ({ mesh: join(dir, `${stem}.off`), labels: join(dir, `${stem}.labels.txt`), retriangulation: { kind: 'none' } });

async function sphereFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'erlangen-sample-'));
  await writeLabelledSphere(dir, 1);
  return dir;
}

describe('sampleLoadError through toTransferableError and fromTransferableError', () => {
  it('carry a failure across the worker boundary with its class, code, file, message and stack', () => {
    const spec = original('/data');
    for (const error of [
      new DatasetError('LABEL_COUNT', '/data/sphere-1.labels.txt', 'has 6 labels for 162 vertices'),
      new MeshError('PARSE', '/data/sphere-1.off', 'line 3: not a number'),
      new TrainError('PREPARE_FAILED', '/data/sphere-1.off', 'cannot be prepared for training (no)'),
      new FileError('OTHER', '/data/x', 'something'),
    ]) {
      const rebuilt = fromTransferableError(structuredClone(toTransferableError(sampleLoadError(error, spec))), TRAINING_FILE_ERRORS) as FileError;
      expect(rebuilt.constructor).toBe(error.constructor);
      expect([rebuilt.name, rebuilt.code, rebuilt.file, rebuilt.message, rebuilt.stack]).toEqual([error.name, error.code, error.file, error.message, error.stack]);
    }
    const plain = fromTransferableError(toTransferableError(sampleLoadError(new RangeError('boom'), spec)), TRAINING_FILE_ERRORS) as FileError;
    expect(plain).toBeInstanceOf(TrainError);
    expect([plain.code, plain.message]).toEqual(['PREPARE_FAILED', '/data/sphere-1.off: cannot be loaded for training (boom)']);
  });
});

describe('loadSample', () => {
  it('names the copy when preparing a re-triangulated copy fails, and leaves a file error as it is', async () => {
    const dir = await sphereFolder();
    // Fewer than the simplifier's 4 vertices: the files are fine, the copy cannot be made.
    const copy: SampleSpec = { ...original(dir), retriangulation: { kind: 'simplify', vertices: 2 } };
    const error = await loadSample(copy, 2, PREPROCESSING_DEFAULTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainError);
    expect((error as TrainError).code).toBe('PREPARE_FAILED');
    expect((error as TrainError).message).toMatch(new RegExp(`^${copy.mesh.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: its copy \\(simplify:2\\) cannot be prepared for training \\(.*targetVertexCount must be 4 or more`));
    await writeFile(copy.labels, '0\n');
    const fileError = await loadSample(copy, 2, PREPROCESSING_DEFAULTS).catch((e: unknown) => e);
    expect(fileError).toBeInstanceOf(DatasetError);
    expect((fileError as DatasetError).message).toBe(`${copy.labels}: has 1 labels for 162 vertices`);
  });
});

describe('TrainingWorkerPool.start', () => {
  it('rejects with the failing sample\'s own error class and code from a worker thread', async () => {
    const dir = await sphereFolder();
    const spec = original(dir);
    await writeFile(spec.labels, '0\n0\n');
    const error = await TrainingWorkerPool.start(1, [spec], [], 2, PREPROCESSING_DEFAULTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect([(error as DatasetError).code, (error as DatasetError).file, (error as DatasetError).message]).toEqual(['LABEL_COUNT', spec.labels, `${spec.labels}: has 2 labels for 162 vertices`]);
  });
});
