import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as THREE from 'three';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { decodeModel } from '../../../core/model/model.js';
import { labelsOfSourceVertices, predictMesh } from '../../../core/model/predict.js';
import { MeshSegmenter } from '../../../plugin/three/mesh-segmenter.js';
import { createNodeSegmentationWorker } from '../../../workers/node-worker.js';

const MODEL_FILE = 'samples/models/human-parts.erlm';
const SCAN_FILE = 'samples/scans/smpl-human/human_man.obj';
const modelBytes = new Uint8Array(readFileSync(MODEL_FILE));

let reference: Promise<Uint32Array> | null = null;

/** The body as an indexed geometry (a fresh one each call) and the cpu reference's labels per vertex (computed once). */
async function body() {
  const source = await loadSourceMesh(SCAN_FILE);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(source.positions.slice(), 3));
  geometry.setIndex(new THREE.BufferAttribute(source.triangles.slice(), 1));
  reference ??= Promise.resolve().then(() => {
    const mesh = prepareMesh(source);
    return labelsOfSourceVertices(mesh, predictMesh(decodeModel(modelBytes, MODEL_FILE), mesh).labels);
  });
  return { geometry, expected: await reference };
}

describe('MeshSegmenter', () => {
  const segmenter = new MeshSegmenter({ model: { bytes: modelBytes, file: MODEL_FILE }, createWorker: createNodeSegmentationWorker, backend: 'cpu' });
  afterAll(() => segmenter.dispose());

  it('labels every vertex of a THREE.Mesh as the cpu reference does, with stage timings', async () => {
    const { geometry, expected } = await body();
    const stages: string[] = [];
    const result = await segmenter.segment(new THREE.Mesh(geometry), { onProgress: (p) => { if (p.state === 'done') stages.push(p.stage); } });
    expect(result.labels).toEqual(expected);
    expect(result.labelNames[0]).toBe('head');
    expect(result.backend).toBe('cpu');
    expect(Object.keys(result.timings).sort()).toEqual(['features', 'geometry', 'segment', 'weld']);
    // The geometry keeps its arrays: only copies travel to the worker.
    expect(geometry.getAttribute('position').count).toBe(expected.length);
  }, 30_000);

  it('labels split vertices of a non-indexed geometry consistently with their welded vertex', async () => {
    const { geometry, expected } = await body();
    const split = geometry.toNonIndexed();
    const result = await segmenter.segment(split);
    const index = geometry.getIndex()!;
    expect(result.labels.length).toBe(index.count);
    let same = 0;
    for (let c = 0; c < index.count; c++) if (result.labels[c] === expected[index.getX(c)]) same++;
    // Welding a triangle soup numbers vertices differently; the network is equivariant up to rare tie-breaks.
    expect(same / index.count).toBeGreaterThan(0.99);
    const byVertex = new Map<number, number>();
    for (let c = 0; c < index.count; c++) {
      const v = index.getX(c);
      if (byVertex.has(v)) expect(result.labels[c]).toBe(byVertex.get(v));
      else byVertex.set(v, result.labels[c]!);
    }
  }, 30_000);

  it('cancels at once, refuses a second call while one runs, and works again afterwards', async () => {
    const { geometry, expected } = await body();
    const first = segmenter.segment(geometry);
    await expect(segmenter.segment(geometry)).rejects.toMatchObject({ code: 'BUSY' });
    expect(segmenter.cancel()).toBe(true);
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(segmenter.cancel()).toBe(false);
    expect((await segmenter.segment(geometry)).labels).toEqual(expected);
  }, 60_000);

  it('starts a fresh job right after cancel(), which the cancelled job\'s late finally leaves running', async () => {
    const { geometry, expected } = await body();
    const first = segmenter.segment(geometry);
    first.catch(() => {});
    expect(segmenter.cancel()).toBe(true);
    const second = segmenter.segment(geometry);
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    // The first job's finally has run by now: the second must still hold the segmenter.
    await expect(segmenter.segment(geometry)).rejects.toMatchObject({ code: 'BUSY' });
    expect((await second).labels).toEqual(expected);
    expect(segmenter.cancel()).toBe(false);
  }, 60_000);

  it('applies the mesh\'s local transform: a non-uniform scale labels as the geometry scaled beforehand', async () => {
    const { geometry, expected } = await body();
    const localPositions = (geometry.getAttribute('position').array as Float32Array).slice();
    const mesh = new THREE.Mesh(geometry);
    mesh.position.set(4, -2, 7);
    mesh.rotation.set(0.3, -1.1, 0.5);
    // Set after the last updateMatrix(): segment() must compose the matrix itself.
    mesh.scale.set(1, 1.6, 1);
    const scaled = await segmenter.segment(mesh);
    const transformed = (await body()).geometry.applyMatrix4(mesh.matrix);
    expect(scaled.labels).toEqual((await segmenter.segment(transformed)).labels);
    let changed = 0;
    for (let v = 0; v < expected.length; v++) if (scaled.labels[v] !== expected[v]) changed++;
    // Stretching the body by 1.6 in y moves part boundaries: some labels must change.
    expect(changed).toBeGreaterThan(0);
    // The geometry itself stays in the mesh's local space (where an overlay draws it).
    expect(geometry.getAttribute('position').array).toEqual(localPositions);
  }, 60_000);
});
