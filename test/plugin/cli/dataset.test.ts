import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, listLabeledDataset, readVertexLabels, type DatasetErrorCode } from '../../../plugin/cli/dataset.js';
import { FileError } from '../../../core/mesh/file-error.js';
import { prepareOutputFile, writeFileAtomic } from '../../../plugin/cli/write-file-atomic.js';

const FAUST_TRAIN = '../shared/data/faust-parts/train';
const SMPL = 'samples/scans/smpl-human';
const TRIANGLE = 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n';
const LABEL_NAMES = JSON.stringify({ labels: ['left', 'right'] });

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'erlangen-dataset-'));
}

async function expectDatasetError(promise: Promise<unknown>, code: DatasetErrorCode, file: string, message?: RegExp) {
  const error = await promise.then(
    () => expect.fail('expected a DatasetError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as DatasetError).code).toBe(code);
  expect((error as DatasetError).file).toBe(file);
  expect((error as DatasetError).message.startsWith(`${file}: `)).toBe(true);
  if (message) expect((error as DatasetError).message).toMatch(message);
}

describe('listLabeledDataset', () => {
  it('lists the bundled bodies with labels.json in the folder itself', async () => {
    const dataset = await listLabeledDataset(SMPL);
    expect(dataset.labels).toEqual(['head', 'hand', 'lower-arm', 'upper-arm', 'body', 'upper-leg', 'lower-leg', 'foot']);
    expect(dataset.labelsFile).toBe(join(SMPL, 'labels.json'));
    expect(dataset.items).toEqual([
      { mesh: join(SMPL, 'human_man.obj'), labels: join(SMPL, 'human_man.labels.txt'), stem: 'human_man' },
      { mesh: join(SMPL, 'human_woman.obj'), labels: join(SMPL, 'human_woman.labels.txt'), stem: 'human_woman' },
    ]);
    const labels = await readVertexLabels(dataset.items[0]!.labels, 6890, dataset.labels.length);
    expect(labels.length).toBe(6890);
    expect(new Set(labels).size).toBe(8);
  });

  // The FAUST parts set lives outside the repository, in the shared data folder; skip where it is absent.
  it.runIf(existsSync(FAUST_TRAIN))('lists the FAUST parts training set', async () => {
    const dataset = await listLabeledDataset(FAUST_TRAIN);
    // train/ has its own copy of faust-parts/labels.json; the parent fallback is tested on a temporary folder below.
    expect(dataset.labels).toEqual(JSON.parse(await readFile(join(FAUST_TRAIN, '..', 'labels.json'), 'utf8')).labels);
    expect(dataset.items.length).toBeGreaterThan(10);
    expect(dataset.items[0]!.stem).toBe('tr_reg_000');
    const stems = dataset.items.map((item) => item.stem);
    expect(stems).toEqual([...stems].sort());
    expect((await readVertexLabels(dataset.items[0]!.labels, 6890, 8)).length).toBe(6890);
  });

  it('sorts by stem, ignores other files, and prefers labels.json in the folder over the parent', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'train');
    await mkdir(dir);
    await writeFile(join(parent, 'labels.json'), JSON.stringify({ labels: ['parent'] }));
    for (const name of ['b.ply', 'a.obj', 'C.off', 'notes.txt']) await writeFile(join(dir, name), '');
    for (const stem of ['a', 'b', 'C']) await writeFile(join(dir, `${stem}.labels.txt`), '0');
    expect((await listLabeledDataset(dir)).labels).toEqual(['parent']);
    await writeFile(join(dir, 'labels.json'), LABEL_NAMES);
    const dataset = await listLabeledDataset(dir);
    expect(dataset.labels).toEqual(['left', 'right']);
    expect(dataset.items.map((item) => item.stem)).toEqual(['C', 'a', 'b']);
  });

  it('reads a labels.json and labels files that start with a UTF-8 byte order mark, as Windows editors write them', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'labels.json'), `\uFEFF${LABEL_NAMES}`);
    await writeFile(join(dir, 'a.off'), TRIANGLE);
    await writeFile(join(dir, 'a.labels.txt'), '\uFEFF1 0 1\n');
    const dataset = await listLabeledDataset(dir);
    expect(dataset.labels).toEqual(['left', 'right']);
    expect(Array.from(await readVertexLabels(dataset.items[0]!.labels, 3, 2))).toEqual([1, 0, 1]);
  });

  it('names the first mesh without labels, rather than scoring a partly labelled set', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'labels.json'), LABEL_NAMES);
    for (const name of ['a.off', 'b.off', 'c.off', 'a.labels.txt']) await writeFile(join(dir, name), '');
    await expectDatasetError(listLabeledDataset(dir), 'MISSING_LABELS', join(dir, 'b.labels.txt'), /and 1 more/);
  });

  it('refuses two meshes with the same stem', async () => {
    const dir = await tempDir();
    for (const name of ['a.off', 'a.obj', 'a.labels.txt', 'labels.json']) await writeFile(join(dir, name), LABEL_NAMES);
    await expectDatasetError(listLabeledDataset(dir), 'MISSING_LABELS', join(dir, 'a.off'), /shares the stem/);
  });

  it('explains a missing or malformed labels.json, naming it', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'set');
    await mkdir(dir);
    await writeFile(join(dir, 'a.off'), TRIANGLE);
    await writeFile(join(dir, 'a.labels.txt'), '0 1 0');
    await expectDatasetError(listLabeledDataset(dir), 'LABEL_NAMES', join(dir, 'labels.json'), /missing \(looked there and in/);
    for (const [text, message] of [
      ['{"labels": [', /is not JSON/],
      ['["a"]', /no non-empty "labels" array/],
      ['{"labels": []}', /no non-empty "labels" array/],
      ['{"labels": ["a", 2]}', /label 1 is 2/],
      ['{"labels": ["a", "a"]}', /appears twice/],
    ] as const) {
      await writeFile(join(dir, 'labels.json'), text);
      await expectDatasetError(listLabeledDataset(dir), 'LABEL_NAMES', join(dir, 'labels.json'), message);
    }
  });

  it('reports a missing folder and a folder without meshes', async () => {
    const dir = await tempDir();
    await expectDatasetError(listLabeledDataset(join(dir, 'nope')), 'IO', join(dir, 'nope'), /ENOENT/);
    await writeFile(join(dir, 'labels.json'), LABEL_NAMES);
    await expectDatasetError(listLabeledDataset(dir), 'NO_MESHES', dir, /no meshes \(.*\.obj.*\) in this folder/);
  });
});

describe('readVertexLabels', () => {
  it('reads whitespace-separated integers on any number of lines', async () => {
    const file = join(await tempDir(), 'x.labels.txt');
    await writeFile(file, '0 1\r\n1\t0\n\n1\n');
    expect(Array.from(await readVertexLabels(file, 5, 2))).toEqual([0, 1, 1, 0, 1]);
  });

  it('says how many labels there are for how many vertices', async () => {
    const file = join(await tempDir(), 'x.labels.txt');
    await writeFile(file, '0\n'.repeat(6889));
    await expectDatasetError(readVertexLabels(file, 6890, 8), 'LABEL_COUNT', file, /has 6889 labels for 6890 vertices$/);
  });

  it('names the line of a token that is not a label, and of a label out of range', async () => {
    const file = join(await tempDir(), 'x.labels.txt');
    for (const bad of ['1.5', '-1', 'head', '2e1']) {
      await writeFile(file, `0\n1\n${bad}\n`);
      await expectDatasetError(readVertexLabels(file, 3, 8), 'LABEL_PARSE', file, new RegExp(`line 3: "${bad.replace('.', '\\.')}" is not a label`));
    }
    await writeFile(file, '0\n8\n1\n');
    await expectDatasetError(readVertexLabels(file, 3, 8), 'LABEL_RANGE', file, /line 2: label 8 is out of range for 8 classes \(0 to 7\)/);
  });

  it('reports a missing file as IO', async () => {
    const file = join(await tempDir(), 'missing.labels.txt');
    await expectDatasetError(readVertexLabels(file, 3, 8), 'IO', file, /ENOENT/);
  });
});

describe('writeFileAtomic', () => {
  it('writes and replaces a file, leaving no temporary behind', async () => {
    const dir = await tempDir();
    const file = join(dir, 'model.erlm');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect(Array.from(await readFile(file))).toEqual([1, 2, 3]);
    await writeFileAtomic(file, 'text');
    expect(await readFile(file, 'utf8')).toBe('text');
    expect(await readdir(dir)).toEqual(['model.erlm']);
  });

  it('fails naming the target, removes its temporary and leaves what was there', async () => {
    const dir = await tempDir();
    const blocked = join(dir, 'blocked');
    await mkdir(blocked);
    await writeFile(join(blocked, 'keep'), 'x');
    await expect(writeFileAtomic(blocked, 'data')).rejects.toThrow(new RegExp(`^${blocked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write \\(`));
    expect((await readdir(dir)).sort()).toEqual(['blocked']);
    expect(await readdir(blocked)).toEqual(['keep']);
    await expect(writeFileAtomic(join(dir, 'missing', 'file'), 'data')).rejects.toThrow(/cannot write \(ENOENT\)/);
    const error = await writeFileAtomic(blocked, 'data').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect([(error as FileError).code, (error as FileError).file]).toEqual(['WRITE_FAILED', blocked]);
  });
});

describe('prepareOutputFile', () => {
  it('makes the folders above the file, and refuses a folder or a folder that is a file with WRITE_FAILED', async () => {
    const dir = await tempDir();
    const nested = join(dir, 'a', 'b', 'model.erlm');
    await prepareOutputFile(nested);
    await writeFileAtomic(nested, 'x');
    expect(await readFile(nested, 'utf8')).toBe('x');
    for (const [path, detail] of [
      [join(dir, 'a'), 'is a folder; name the file to write (in that folder or elsewhere)'],
      [join(nested, 'c', 'file'), `cannot make its folder ${join(nested, 'c')} (${nested} is a file, not a folder)`],
    ] as const) {
      const error = await prepareOutputFile(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileError);
      expect([(error as FileError).code, (error as FileError).message]).toEqual(['WRITE_FAILED', `${path}: ${detail}`]);
    }
  });
});
