import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModelFile, encodeModelFile } from '../../../core/model/model-file.js';
import { run, sphereDataset, writeLabelledSphere } from './labelled-spheres.js';

// A network small enough that an epoch on three 162-vertex spheres takes a fraction of a second.
const TINY = ['--channels', '4,4', '--output-channels', '4', '--augment', '0', '--workers', '1'];

async function outputFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'erlangen-train-'));
}

describe('erlangen train refuses, before preparing any mesh', () => {
  it('a checkpoint made with other data, naming what differs, and one that does not record its data', async () => {
    const data = await sphereDataset();
    const out = join(await outputFolder(), 'spheres.erlm');
    const train = (...extra: string[]) => run(['train', '--data', data, ...TINY, '--epochs', '2', '--out', out, ...extra]);
    expect((await run(['train', '--data', data, ...TINY, '--epochs', '1', '--out', out])).code).toBe(0);
    const refused = async (message: string, ...extra: string[]) => {
      const result = await train(...extra);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`erlangen: ${out}.checkpoint: the checkpoint was made with ${message}; delete it to start over. [CHECKPOINT_MISMATCH]\n`);
    };

    await writeLabelledSphere(data, 4);
    await refused('other data (training meshes: 1 added (sphere-4))');
    await rm(join(data, 'sphere-4.off'));
    await rm(join(data, 'sphere-4.labels.txt'));

    // Swapped names would silently swap what the class indices mean.
    const names = join(data, 'labels.json');
    await writeFile(names, JSON.stringify({ labels: ['top', 'bottom'] }));
    await refused("other data (the label names (the checkpoint's: bottom, top))");
    await writeFile(names, JSON.stringify({ labels: ['bottom', 'top'] }));

    const labels = join(data, 'sphere-2.labels.txt');
    const saved = await readFile(labels, 'utf8');
    await writeFile(labels, saved.replace(/^1$/m, '0'));
    await refused('other data (training meshes: 1 relabelled (sphere-2))');
    await writeFile(labels, saved);

    await refused('other settings (--holdout) and other data (training meshes: 1 removed (sphere-3); validation meshes: 1 added (sphere-3))', '--holdout', 'sphere-3');
    // The network option that differs is named, not every candidate.
    await refused('other settings (--output-channels, --dropout)', '--output-channels', '8', '--dropout', '0.2');

    const resumed = await train();
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('resuming after epoch 1');

    // A checkpoint of an earlier version, without its data recorded, cannot be checked.
    const checkpoint = decodeModelFile(new Uint8Array(await readFile(`${out}.checkpoint`)), 'checkpoint');
    const { data: _, ...metadata } = checkpoint.metadata!;
    await writeFile(`${out}.checkpoint`, encodeModelFile({ ...checkpoint, metadata }));
    const unrecorded = await train('--epochs', '3');
    expect(unrecorded.code).toBe(1);
    expect(unrecorded.stderr).toBe(`erlangen: ${out}.checkpoint: the checkpoint was made by an earlier version of erlangen that did not record its data, so it cannot be checked against this data; delete it to start over. [CHECKPOINT_MISMATCH]\n`);
  });

  it('an --out that is a folder or cannot be made, and makes a missing folder for --out and export-onnx -o', async () => {
    const data = await sphereDataset();
    const dir = await outputFolder();
    const folder = await run(['train', '--data', data, ...TINY, '--epochs', '1', '--out', dir]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(`erlangen: ${dir}: is a folder; name the file to write (in that folder or elsewhere) [WRITE_FAILED]\n`);
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const blocked = await run(['train', '--data', data, ...TINY, '--epochs', '1', '--out', join(file, 'm.erlm')]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toBe(`erlangen: ${join(file, 'm.erlm')}: cannot make its folder ${file} (${file} is a file, not a folder) [WRITE_FAILED]\n`);

    const nested = join(dir, 'new', 'models', 'm.erlm');
    expect((await run(['train', '--data', data, ...TINY, '--epochs', '1', '--out', nested])).code).toBe(0);
    expect(existsSync(nested)).toBe(true);
    const onnx = join(dir, 'other', 'm.onnx');
    const exported = await run(['export-onnx', '--model', nested, '-o', onnx]);
    expect(exported.code).toBe(0);
    expect(existsSync(onnx)).toBe(true);
    const onnxFolder = await run(['export-onnx', '--model', nested, '-o', dir]);
    expect(onnxFolder.code).toBe(1);
    expect(onnxFolder.stderr).toContain('is a folder; name the file to write (in that folder or elsewhere) [WRITE_FAILED]');
  });

  it('data folders whose label names differ, with LABEL_NAMES', async () => {
    const first = await sphereDataset();
    const second = await sphereDataset();
    await writeFile(join(second, 'labels.json'), JSON.stringify({ labels: ['top', 'bottom'] }));
    const result = await run(['train', '--data', first, '--val', second, ...TINY, '--out', join(await outputFolder(), 'm.erlm')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`erlangen: ${join(second, 'labels.json')}: names the labels top, bottom, but ${join(first, 'labels.json')} names bottom, top; every data folder needs the same names in the same order [LABEL_NAMES]\n`);
  });

  it('a --holdout that matches no mesh, and numbers not in plain decimal digits, as usage errors', async () => {
    const data = await sphereDataset();
    const out = join(await outputFolder(), 'm.erlm');
    const none = await run(['train', '--data', data, ...TINY, '--holdout', 'cube', '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`erlangen: --holdout 'cube' matches no mesh in ${data} (stems there run from sphere-1 to sphere-3)\n`);
    const all = await run(['train', '--data', data, ...TINY, '--holdout', 'sphere', '--out', out]);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain(`--holdout 'sphere' matches every mesh in ${data}, leaving none to train on`);
    for (const [flag, text, must] of [
      ['--epochs', '0x2', 'a whole number ≥ 1'], ['--workers', ' 1', 'a whole number ≥ 1'], ['--seed', '1e1', 'a whole number ≥ 0'],
      ['--batch', '+2', 'a whole number ≥ 1'], ['--augment', '1.0', 'a whole number ≥ 0'], ['--channels', '4, 4', 'a whole number ≥ 1'],
      ['--lr', '1e-3', 'a positive number'], ['--stretch', '1.1 ', 'a factor from 1 to 2'], ['--dropout', '0x0', 'a probability from 0 to below 1'],
    ] as const) {
      const result = await run(['train', '--data', data, '--out', out, flag, text]);
      expect(result.code).toBe(2);
      const shown = flag === '--channels' ? ' 4' : text;
      expect(result.stderr).toContain(`erlangen: ${flag} '${shown}': must be ${must}, in plain decimal digits\n`);
    }
    const zero = await run(['train', '--data', data, '--out', out, '--epochs', '0']);
    expect(zero.stderr).toContain("erlangen: --epochs '0': must be a whole number ≥ 1\n");
    expect(existsSync(out)).toBe(false);
  });
});

describe('erlangen train reports a bad training sample', () => {
  it('with its own code, naming its file once, from any worker', async () => {
    const data = await sphereDataset();
    const labels = join(data, 'sphere-2.labels.txt');
    await writeFile(labels, '0\n'.repeat(100));
    const dir = await outputFolder();
    await mkdir(join(dir, 'models'));
    // Copies of the mesh on two workers: whichever fails first, the error is about the file.
    const result = await run(['train', '--data', data, ...TINY, '--augment', '1', '--workers', '2', '--out', join(dir, 'models', 'm.erlm')]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('erlangen: '))).toEqual([`erlangen: ${labels}: has 100 labels for 162 vertices [LABEL_COUNT]`]);
    // The same line eval prints.
    const model = await run(['train', '--data', await sphereDataset(), ...TINY, '--epochs', '1', '--out', join(dir, 'good.erlm')]);
    expect(model.code).toBe(0);
    const evaluation = await run(['eval', '--data', data, '--model', join(dir, 'good.erlm')]);
    expect(evaluation.stderr).toContain(`erlangen: ${labels}: has 100 labels for 162 vertices [LABEL_COUNT]\n`);
  });
});
