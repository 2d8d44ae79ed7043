import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { DatasetError, listLabeledDataset } from '../../../../plugin/cli/dataset.js';
import { dataDifferences, fingerprintData, isDataFingerprint, type DataFingerprint, type MeshFingerprint } from '../../../../plugin/cli/training/data-fingerprint.js';
import { sphereDataset, writeLabelledSphere } from '../labelled-spheres.js';

const mesh = (stem: string, meshHash = `m-${stem}`, labelsHash = `l-${stem}`): MeshFingerprint => ({ stem, mesh: meshHash, labels: labelsHash });
const data = (training: MeshFingerprint[], validation: MeshFingerprint[] = [], labels = ['a', 'b']): DataFingerprint => ({ labels, training, validation });

describe('fingerprintData', () => {
  it('records the label names and the SHA-256 of every mesh and labels file, in order, and survives JSON', async () => {
    const dir = await sphereDataset();
    const { labels, items } = await listLabeledDataset(dir);
    const fingerprint = await fingerprintData(labels, items.slice(0, 2), items.slice(2));
    const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
    expect(fingerprint).toEqual({
      labels: ['bottom', 'top'],
      training: [
        { stem: 'sphere-1', mesh: await sha256(items[0]!.mesh), labels: await sha256(items[0]!.labels) },
        { stem: 'sphere-2', mesh: await sha256(items[1]!.mesh), labels: await sha256(items[1]!.labels) },
      ],
      validation: [{ stem: 'sphere-3', mesh: await sha256(items[2]!.mesh), labels: await sha256(items[2]!.labels) }],
    });
    const stored = JSON.parse(JSON.stringify(fingerprint));
    expect(isDataFingerprint(stored)).toBe(true);
    expect(dataDifferences(stored, fingerprint)).toEqual([]);
    expect(isDataFingerprint({ labels: [], training: [{ stem: 'x' }], validation: [] })).toBe(false);
    expect(isDataFingerprint(undefined)).toBe(false);
  });

  it('tells a re-written mesh file from the same bytes, and fails with IO naming a file it cannot read', async () => {
    const dir = await sphereDataset();
    const { labels, items } = await listLabeledDataset(dir);
    const before = await fingerprintData(labels, items, []);
    await writeLabelledSphere(dir, 2);
    expect(dataDifferences(before, await fingerprintData(labels, items, []))).toEqual([]);
    await rm(items[1]!.labels);
    const error = await fingerprintData(labels, items, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('IO');
    expect((error as DatasetError).message).toBe(`${items[1]!.labels}: cannot be read (ENOENT)`);
  });
});

describe('dataDifferences', () => {
  it('names label names, meshes added, removed, changed and relabelled, per split', () => {
    const saved = data([mesh('a'), mesh('b'), mesh('c'), mesh('d')], [mesh('v')]);
    expect(dataDifferences(saved, data([mesh('a'), mesh('b'), mesh('c'), mesh('d')], [mesh('v')], ['b', 'a']))).toEqual(["the label names (the checkpoint's: a, b)"]);
    const now = data([mesh('a', 'other'), mesh('b', 'm-b', 'other'), mesh('d'), mesh('e')], [mesh('v'), mesh('c')]);
    expect(dataDifferences(saved, now)).toEqual([
      'training meshes: 1 added (e), 1 removed (c), 1 changed (a), 1 relabelled (b)',
      'validation meshes: 1 added (c)',
    ]);
  });

  it('pairs stems that repeat across data folders in order, lists at most three names, and notices another order', () => {
    expect(dataDifferences(data([mesh('a'), mesh('a', 'x')]), data([mesh('a'), mesh('a', 'y'), mesh('a')]))).toEqual(['training meshes: 1 added (a), 1 changed (a)']);
    const many = ['p', 'q', 'r', 's', 't'].map((stem) => mesh(stem));
    expect(dataDifferences(data([]), data(many))).toEqual(['training meshes: 5 added (p, q, r and 2 more)']);
    expect(dataDifferences(data([mesh('a'), mesh('b')]), data([mesh('b'), mesh('a')]))).toEqual(['training meshes: in another order']);
  });
});
