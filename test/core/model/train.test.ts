import { describe, expect, it } from 'vitest';
import { createModel, type Model } from '../../../core/model/model.js';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { predictInput } from '../../../core/model/predict.js';
import { sampleGradients, type TrainingSample } from '../../../core/model/sample-gradients.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { train, type BatchGradients, type GradientSource, type TrainCheckpoint } from '../../../core/model/train.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from './network-fixtures.js';

/** Two bumpy spheres labelled by the signs of z and x: enough structure for the loss to fall. */
function samples(): TrainingSample[] {
  return [1, 2].map((seed) => {
    const mesh = bumpySphere(3, seed);
    const input = prepareNetworkInput(mesh, SMALL_PREPROCESSING);
    const labels = new Uint8Array(input.meshVertexCount);
    for (let v = 0; v < labels.length; v++) labels[v] = (mesh.positions[3 * v + 2]! > 0 ? 1 : 0) + (mesh.positions[3 * v]! > 0 ? 2 : 0);
    return { input, labels };
  });
}

/** Gradients computed on this thread, one partition. */
function localSource(model: Model, data: TrainingSample[]): GradientSource {
  return {
    partitions: [data.length],
    async gradients(parameters, ids, seed): Promise<BatchGradients> {
      const gradients = new Float32Array(parameters.length);
      let loss = 0;
      let accuracy = 0;
      for (const id of ids) {
        const r = sampleGradients(model.network, parameters, data[id]!, gradients, mulberry32(seed * 31 + id));
        loss += r.loss;
        accuracy += r.accuracy;
      }
      return { gradients, loss, accuracy, samples: ids.length };
    },
    async validate(parameters) {
      const { labels } = predictInput(model.network, parameters, data[0]!.input);
      return labels.filter((l, v) => l === data[0]!.labels[v]).length / labels.length;
    },
  };
}

const data = samples();
const newModel = () => createModel({ ...smallArchitecture(12), classes: 4, dropout: 0.1 }, SMALL_PREPROCESSING, data[0]!.input.featureShape, ['a', 'b', 'c', 'd'], mulberry32(5));
const options = { epochs: 4, batchSize: 1, learningRate: 1e-2, weightDecay: 1e-4, seed: 3 };

describe('train', () => {
  it('lowers the loss', async () => {
    const model = newModel();
    const result = await train(model, localSource(model, data), options);
    expect(result.history[result.history.length - 1]!.loss).toBeLessThan(result.history[0]!.loss);
  });

  it('is deterministic for a seed, and a run resumed from a checkpoint ends where an uninterrupted one does', async () => {
    const a = newModel();
    await train(a, localSource(a, data), options);
    const b = newModel();
    let saved: TrainCheckpoint | undefined;
    const interrupted = train(b, localSource(b, data), {
      ...options,
      onEpoch: (checkpoint) => {
        saved = checkpoint;
        if (checkpoint.epoch === 2) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    const c = newModel();
    await train(c, localSource(c, data), { ...options, resume: saved });
    expect(c.parameters).toEqual(a.parameters);
  });
});
