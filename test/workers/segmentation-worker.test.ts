import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSourceMesh } from '../../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../../core/mesh/prepare-mesh.js';
import { decodeModel } from '../../core/model/model.js';
import { labelsOfSourceVertices, predictMesh } from '../../core/model/predict.js';
import { NO_VERTEX } from '../../core/mesh/mesh.js';
import { MeshError } from '../../core/mesh/mesh-error.js';
import { ModelFileError } from '../../core/model/model-file-error.js';
import { createNodeSegmentationWorker } from '../../workers/node-worker.js';
import type { SegmentationWorkerClient } from '../../workers/segmentation-client.js';
import { SegmentationWorkerError } from '../../workers/segmentation-worker-error.js';
import type { StageProgress } from '../../workers/segmentation-types.js';

const MODEL_FILE = 'samples/models/human-parts.erlm';
const SCAN_FILE = 'samples/scans/smpl-human/human_man.obj';
const modelBytes = new Uint8Array(readFileSync(MODEL_FILE));
const scanBytes = () => new Uint8Array(readFileSync(SCAN_FILE));

/** The cpu reference on the main thread: labels and confidences per file vertex. */
async function reference() {
  const model = decodeModel(modelBytes, MODEL_FILE);
  const source = await loadSourceMesh(scanBytes(), { file: SCAN_FILE });
  const mesh = prepareMesh(source);
  const prediction = predictMesh(model, mesh);
  const confidences = Float32Array.from(mesh.sourceToMesh, (v) => (v === NO_VERTEX ? 0 : prediction.confidences[v]!));
  return { source, mesh, prediction, labels: labelsOfSourceVertices(mesh, prediction.labels), confidences };
}

describe('segmentation worker (worker_threads)', () => {
  let worker: SegmentationWorkerClient;
  let expected: Awaited<ReturnType<typeof reference>>;

  beforeAll(async () => {
    worker = createNodeSegmentationWorker();
    const [summary, ref] = await Promise.all([worker.loadModel(modelBytes, MODEL_FILE), reference()]);
    expect(summary.labels).toEqual(['head', 'hand', 'lower-arm', 'upper-arm', 'body', 'upper-leg', 'lower-leg', 'foot']);
    expected = ref;
  }, 60_000);

  afterAll(async () => worker?.dispose());

  it('prepares a file and segments it exactly like the cpu reference, reporting every stage in order', async () => {
    const events: StageProgress[] = [];
    const prepared = await worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE }, (p) => events.push(p));
    expect(prepared.sourceVertexCount).toBe(expected.source.positions.length / 3);
    expect(prepared.meshVertexCount).toBe(expected.mesh.positions.length / 3);
    expect(prepared.source!.positions).toEqual(expected.source.positions);
    const segmented = await worker.segment({ backend: 'cpu' }, (p) => events.push(p));
    // Same code on the same data in another thread: bit-identical, no tolerance needed.
    expect(segmented.labels).toEqual(expected.labels);
    expect(segmented.confidences).toEqual(expected.confidences);
    expect(segmented.meshLabels).toEqual(expected.prediction.labels);
    expect(segmented.backend).toBe('cpu');
    // Listener calls arrive asynchronously; give the last one a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.map((e) => `${e.stage}:${e.state}`)).toEqual([
      'load:start', 'load:done', 'weld:start', 'weld:done', 'geometry:start', 'geometry:done',
      'features:start', 'features:done', 'segment:start', 'segment:done',
    ]);
    for (const e of events) expect(e.ms).toBeGreaterThanOrEqual(0);
  });

  it('takes triangle arrays too, with split vertices labelled like the vertex they weld into', async () => {
    // Every triangle gets its own three vertices, as a non-indexed three.js geometry has.
    const { positions, triangles } = expected.source;
    const split = new Float32Array(triangles.length * 3);
    for (let c = 0; c < triangles.length; c++) split.set(positions.subarray(3 * triangles[c]!, 3 * triangles[c]! + 3), 3 * c);
    const prepared = await worker.prepare({ kind: 'arrays', positions: split, triangles: Uint32Array.from(triangles, (_, c) => c) });
    expect(prepared.sourceVertexCount).toBe(triangles.length);
    expect(prepared.meshVertexCount).toBe(expected.mesh.positions.length / 3);
    expect(prepared.source).toBeUndefined();
    const { labels } = await worker.segment({ backend: 'cpu' });
    // The weld numbers vertices by first use, so the network sees a permuted mesh: compare per corner, allowing the rare tie-breaking difference.
    let same = 0;
    for (let c = 0; c < triangles.length; c++) if (labels[c] === expected.labels[triangles[c]!]) same++;
    expect(same / triangles.length).toBeGreaterThan(0.99);
    for (let t = 0; t < triangles.length; t += 3) {
      // Corners that weld into one vertex carry one label.
      const first = new Map<number, number>();
      for (let k = 0; k < 3; k++) {
        const v = triangles[t + k]!;
        if (first.has(v)) expect(labels[t + k]).toBe(first.get(v));
        first.set(v, labels[t + k]!);
      }
    }
  });

  it('averages passes and smooths as predictMesh does, and refuses passes out of range', async () => {
    await worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE });
    const options = { passes: 2, smoothing: 1 };
    const result = await worker.segment({ backend: 'cpu', ...options });
    const model = decodeModel(modelBytes, MODEL_FILE);
    const reference = predictMesh(model, expected.mesh, undefined, options);
    expect(result.meshLabels).toEqual(reference.labels);
    expect(result.meshConfidences).toEqual(reference.confidences);
    expect(result.meshLabels).not.toEqual(expected.prediction.labels);
    await expect(worker.segment({ backend: 'cpu', passes: 0 })).rejects.toThrow(/passes must be a whole number from 1 to 64, got 0/);
  });

  it('runs auto on WebGPU or says why it fell back to cpu', async () => {
    await worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE });
    const result = await worker.segment({ backend: 'auto' });
    if (result.backend === 'cpu') {
      expect(result.fallbackReason).toMatch(/WebGPU/);
      expect(result.labels).toEqual(expected.labels);
    } else {
      expect(result.adapter).toBeTruthy();
      let same = 0;
      for (let s = 0; s < result.labels.length; s++) if (result.labels[s] === expected.labels[s]) same++;
      // Float32 kernels differ from the cpu by rounding only; labels change at near-ties alone.
      expect(same / result.labels.length).toBeGreaterThan(0.999);
    }
  });

  it('refuses a second job while one runs', async () => {
    const first = worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE });
    const second = worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE });
    await expect(second).rejects.toMatchObject({ name: 'SegmentationWorkerError', code: 'BUSY' });
    await expect(first).resolves.toMatchObject({ meshVertexCount: expected.mesh.positions.length / 3 });
  });

  it('cancels a running job at the next stage boundary and stays usable', async () => {
    let cancelled: Promise<boolean> | null = null;
    const job = worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE }, (p) => {
      if (p.stage === 'weld' && p.state === 'start') cancelled ??= worker.cancel();
    });
    await expect(job).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await cancelled).toBe(true);
    // Nothing prepared survives a cancelled prepare.
    await expect(worker.segment({ backend: 'cpu' })).rejects.toMatchObject({ code: 'NOT_PREPARED' });
    expect(await worker.cancel()).toBe(false);
    await worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE });
    expect((await worker.segment({ backend: 'cpu' })).labels).toEqual(expected.labels);
  });

  it('keeps the codes of errors thrown in the worker', async () => {
    const corrupt = new TextEncoder().encode('v 0 0 0\nv 1 0 0\nf 1 2 9\n');
    await expect(worker.prepare({ kind: 'file', bytes: corrupt, file: 'broken.obj' })).rejects.toMatchObject({ name: 'MeshError', code: 'INDEX_OUT_OF_RANGE', file: 'broken.obj' });
    await expect(worker.prepare({ kind: 'file', bytes: new Uint8Array([1, 2, 3, 4]), file: 'scan.stl' })).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    await expect(worker.loadModel(new Uint8Array(64), 'zeros.erlm')).rejects.toMatchObject({ name: 'ModelFileError', code: 'NOT_A_MODEL' });
  });

  it('restores errors thrown in the worker as their own classes, with code, file and message', async () => {
    const corrupt = new TextEncoder().encode('v 0 0 0\nv 1 0 0\nf 1 2 9\n');
    const scanError = await worker.prepare({ kind: 'file', bytes: corrupt, file: 'broken.obj' }).catch((error: unknown) => error);
    expect(scanError).toBeInstanceOf(MeshError);
    expect(scanError).toMatchObject({ code: 'INDEX_OUT_OF_RANGE', file: 'broken.obj', message: 'broken.obj: line 3: face 1 refers to vertex 9, but the file has only 2 vertices; fix the face in the exporter' });
    // A model file cut short: the header announces more bytes than there are.
    const modelError = await worker.loadModel(modelBytes.slice(0, 100), 'cut.erlm').catch((error: unknown) => error);
    expect(modelError).toBeInstanceOf(ModelFileError);
    expect(modelError).toMatchObject({ name: 'ModelFileError', code: 'TRUNCATED', file: 'cut.erlm' });
    expect((modelError as ModelFileError).message).toMatch(/^cut\.erlm: /);
    // What the worker itself refuses comes back as its own class too.
    const first = worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE });
    const busyError = await worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE }).catch((error: unknown) => error);
    expect(busyError).toBeInstanceOf(SegmentationWorkerError);
    expect(busyError).toMatchObject({ code: 'BUSY' });
    await first;
    // Built-in classes survive too.
    await expect(worker.segment({ backend: 'cpu', passes: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('segmentation worker lifecycle', () => {
  it('needs a model before prepare, and refuses every call after dispose', async () => {
    const worker = createNodeSegmentationWorker();
    try {
      await expect(worker.prepare({ kind: 'file', bytes: scanBytes(), file: SCAN_FILE })).rejects.toMatchObject({ code: 'NO_MODEL' });
      await worker.loadModel(modelBytes, MODEL_FILE);
      await worker.dispose();
      await expect(worker.segment()).rejects.toMatchObject({ code: 'DISPOSED' });
    } finally {
      worker.terminate();
    }
  }, 30_000);
});
