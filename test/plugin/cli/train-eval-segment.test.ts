import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { readLabels } from '../../../plugin/gltf-transform/read-labels.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from '../../core/model/network-fixtures.js';
import { run, sphereDataset } from './labelled-spheres.js';
import { createModel, decodeModel, encodeModel } from '../../../core/model/model.js';
import { decodeModelFile, encodeModelFile } from '../../../core/model/model-file.js';
import { mulberry32 } from '../../../core/mesh/seeded-random.js';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { predictMesh } from '../../../core/model/predict.js';

describe('erlangen train, eval and segment', () => {
  it('train writes a model and a checkpoint, resumes from it, and eval and segment use the model', async () => {
    const data = await sphereDataset();
    const out = join(await mkdtemp(join(tmpdir(), 'erlangen-model-')), 'spheres.erlm');
    const first = await run(['train', '--data', data, '--holdout', 'sphere-3', '--epochs', '1', '--workers', '2', '--augment', '0', '--out', out]);
    expect(first.stderr).toContain('epoch 1/1');
    expect(first.stderr).not.toContain('not multiples of 4');
    expect(first.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(`${out}.checkpoint`)).toBe(true);
    // The same folder spelled otherwise, and another worker count, still resume.
    const second = await run(['train', '--data', `${data}/.`, '--holdout', 'sphere-3', '--epochs', '2', '--workers', '1', '--augment', '0', '--out', out]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('resuming after epoch 1');
    expect(JSON.parse(second.stdout).epochs).toBe(2);
    const fewer = await run(['train', '--data', data, '--holdout', 'sphere-3', '--epochs', '1', '--workers', '1', '--augment', '0', '--out', out]);
    expect(fewer.code).toBe(1);
    expect(fewer.stderr).toContain('the checkpoint is at epoch 2, past the 1 asked for');
    const otherSettings = await run(['train', '--data', data, '--holdout', 'sphere-3', '--epochs', '3', '--workers', '1', '--augment', '1', '--lr', '0.02', '--out', out]);
    expect(otherSettings.code).toBe(1);
    expect(otherSettings.stderr).toContain('the checkpoint was made with other settings (--augment, --lr)');
    expect(otherSettings.stderr).not.toContain('preparing');
    const otherNetwork = await run(['train', '--data', data, '--holdout', 'sphere-3', '--epochs', '3', '--workers', '1', '--augment', '0', '--channels', '8,8', '--out', out]);
    expect(otherNetwork.code).toBe(1);
    expect(otherNetwork.stderr).toContain('other settings (--channels); delete it to start over. [CHECKPOINT_MISMATCH]');
    // A checkpoint of a version that prepared meshes otherwise (here: before coarseSurface existed) is not resumed.
    const saved = decodeModelFile(new Uint8Array(await readFile(`${out}.checkpoint`)), 'checkpoint');
    const { coarseSurface: _, ...older } = saved.preprocessing;
    await writeFile(`${out}.checkpoint`, encodeModelFile({ ...saved, preprocessing: older }));
    const otherVersion = await run(['train', '--data', data, '--holdout', 'sphere-3', '--epochs', '3', '--workers', '1', '--augment', '0', '--out', out]);
    expect(otherVersion.code).toBe(1);
    expect(otherVersion.stderr).toContain('prepares meshes differently; delete it to start over');

    const evaluation = await run(['eval', '--data', data, '--model', out, '--json']);
    expect(evaluation.code).toBe(0);
    const result = JSON.parse(evaluation.stdout);
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'areaWeightedAccuracy', 'confusion', 'meanIoU', 'meshes', 'perClass', 'vertices'].sort());
    expect(result.meshes).toBe(3);
    expect(result.vertices).toBe(3 * 162);
    const confusion = result.confusion as number[][];
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(3 * 162);
    expect((confusion[0]![0]! + confusion[1]![1]!) / (3 * 162)).toBeCloseTo(result.accuracy, 12);
    expect(result.perClass.map((c: { name: string }) => c.name)).toEqual(['bottom', 'top']);

    const labeled = await mkdtemp(join(tmpdir(), 'erlangen-labeled-'));
    const segment = await run(['segment', join(data, 'sphere-1.off'), join(data, 'missing.off'), '-o', labeled, '--model', out, '--backend', 'cpu']);
    expect(segment.code).toBe(1);
    expect(segment.stderr).toMatch(/missing\.off: .*\[IO\]/);
    const written = readLabels(await new NodeIO().registerExtensions(ALL_EXTENSIONS).read(join(labeled, 'sphere-1.glb')));
    expect(written.labels.length).toBe(162);
    expect(written.labelNames).toEqual(['bottom', 'top']);
    expect(written.labels.every((l) => l === 0 || l === 1)).toBe(true);
  }, 120_000);

  it('trains the network --channels, --output-channels and --dropout ask for, says which widths run without SIMD, and rejects values that cannot work', async () => {
    const data = await sphereDataset();
    const out = join(await mkdtemp(join(tmpdir(), 'erlangen-model-')), 'narrow.erlm');
    const trained = await run(['train', '--data', data, '--holdout', 'sphere-3', '--epochs', '1', '--workers', '1', '--augment', '0', '--channels', '4,6', '--output-channels', '5', '--dropout', '0', '--out', out]);
    expect(trained.code).toBe(0);
    const model = decodeModel(new Uint8Array(await readFile(out)), out);
    expect(model.architecture.channels).toEqual([4, 6]);
    expect(model.architecture.outputChannels).toBe(5);
    expect(model.architecture.dropout).toBe(0);
    expect(trained.stderr).toContain('channel counts 6, 5 are not multiples of 4');
    const tooMany = await run(['train', '--data', data, '--channels', '4,4,4,4', '--out', out]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('--channels needs 1 to 3 comma-separated counts');
    expect((await run(['train', '--data', data, '--channels', '4,x', '--out', out])).code).toBe(2);
    const shrink = await run(['train', '--data', data, '--stretch', '0.9', '--out', out]);
    expect(shrink.code).toBe(2);
    expect(shrink.stderr).toContain("--stretch '0.9': must be a factor from 1 to 2");
    const always = await run(['train', '--data', data, '--dropout', '1', '--out', out]);
    expect(always.code).toBe(2);
    expect(always.stderr).toContain("--dropout '1': must be a probability from 0 to below 1");
  }, 60_000);

  it('eval and segment average --passes samplings and --smooth the probabilities as predictMesh does, and refuse values out of range', async () => {
    const data = await sphereDataset();
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-passes-'));
    const file = join(dir, 'small.erlm');
    const input = prepareNetworkInput(bumpySphere(2, 1), SMALL_PREPROCESSING);
    const model = createModel({ ...smallArchitecture(12, 'silu'), classes: 2 }, SMALL_PREPROCESSING, input.featureShape, ['bottom', 'top'], mulberry32(2));
    await writeFile(file, encodeModel(model));
    const options = { passes: 3, smoothing: 2 };
    let correct = 0, plainCorrect = 0, total = 0;
    for (const seed of [1, 2, 3]) {
      const mesh = bumpySphere(2, seed);
      const truth = Array.from({ length: mesh.positions.length / 3 }, (_, v) => (mesh.positions[3 * v + 2]! > 0 ? 1 : 0));
      const labels = predictMesh(model, mesh, undefined, options).labels;
      const plain = predictMesh(model, mesh).labels;
      truth.forEach((t, v) => { correct += labels[v] === t ? 1 : 0; plainCorrect += plain[v] === t ? 1 : 0; total++; });
    }
    const evaluation = await run(['eval', '--data', data, '--model', file, '--passes', '3', '--smooth', '2', '--json']);
    expect(evaluation.code).toBe(0);
    expect(JSON.parse(evaluation.stdout).accuracy).toBe(correct / total);
    expect(correct).not.toBe(plainCorrect);
    const segment = await run(['segment', join(data, 'sphere-2.off'), '-o', dir, '--model', file, '--backend', 'cpu', '--passes', '3', '--smooth', '2', '--quiet']);
    expect(segment.code).toBe(0);
    const written = readLabels(await new NodeIO().registerExtensions(ALL_EXTENSIONS).read(join(dir, 'sphere-2.glb')));
    expect(Array.from(written.labels)).toEqual(Array.from(predictMesh(model, bumpySphere(2, 2), undefined, options).labels));
    for (const [flag, value, message] of [['--passes', '0', '--passes \'0\': passes must be a whole number from 1 to 64'], ['--smooth', '20', '--smooth \'20\': smoothing must be a number from 0 to 16']]) {
      for (const command of [['eval', '--data', data], ['segment', join(data, 'sphere-1.off'), '-o', dir]]) {
        const refused = await run([...command, '--model', file, flag!, value!]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(message);
      }
    }
  }, 60_000);

  it('reports a corrupt model file as one line with its code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-bad-'));
    const file = join(dir, 'bad.erlm');
    const model = createModel(smallArchitecture(12), SMALL_PREPROCESSING, { channels: 16, maxOrder: 2 }, ['a', 'b', 'c', 'd', 'e'], mulberry32(1));
    const bytes = encodeModel(model);
    await writeFile(file, bytes.subarray(0, bytes.length >> 1));
    const { code, stderr } = await run(['segment', 'samples/scans/spot/spot.obj', '-o', dir, '--model', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^erlangen: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .* \\[TRUNCATED\\]\\n$`));
  });

  it('explains its options with --help and an example', async () => {
    for (const command of ['train', 'eval', 'segment']) {
      const { code, stdout } = await run([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Examples?:/);
    }
  });
});
