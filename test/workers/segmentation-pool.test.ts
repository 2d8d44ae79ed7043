import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import { icosphere } from '../fixtures/meshes.js';
import { createNodeSegmentationWorker } from '../../workers/node-worker.js';
import { createSegmentationApi } from '../../workers/segmentation-api.js';
import { SegmentationWorkerClient } from '../../workers/segmentation-client.js';
import { SegmentationWorkerPool } from '../../workers/segmentation-pool.js';
import { SegmentationWorkerError } from '../../workers/segmentation-worker-error.js';

/** A worker on this thread over a MessageChannel, whose crash the test decides. */
function inProcessWorker(): { client: SegmentationWorkerClient; crash: () => void } {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createSegmentationApi({ transfer: Comlink.transfer }), port2);
  let crash: () => void = () => {};
  const failure = new Promise<never>((_, reject) => { crash = () => reject(new SegmentationWorkerError('WORKER_FAILED', 'the test crashed this worker')); });
  const client = new SegmentationWorkerClient({ endpoint: port1, terminate: () => { port1.close(); port2.close(); }, failure });
  return { client, crash };
}

const MODEL_FILE = 'samples/models/human-parts.erlm';
const SCANS = ['samples/scans/smpl-human/human_man.obj', 'samples/scans/smpl-human/human_woman.obj'];

describe('SegmentationWorkerPool', () => {
  it('runs jobs on two workers, isolates a bad file to its own job and gives each scan the same labels as alone', async () => {
    const pool = new SegmentationWorkerPool({ createWorker: createNodeSegmentationWorker, size: 2, model: { bytes: new Uint8Array(readFileSync(MODEL_FILE)), file: MODEL_FILE } });
    try {
      const input = (file: string) => ({ kind: 'file' as const, bytes: new Uint8Array(readFileSync(file)), file });
      const jobs = [
        pool.run(input(SCANS[0]!), { backend: 'cpu' }),
        pool.run({ kind: 'file', bytes: new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 99\nend_header\n1 2 3\n'), file: 'cut.ply' }, { backend: 'cpu' }),
        pool.run(input(SCANS[1]!), { backend: 'cpu' }),
        pool.run(input(SCANS[0]!), { backend: 'cpu' }),
      ];
      const settled = await Promise.allSettled(jobs);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'MeshError', file: 'cut.ply' });
      const [man, , woman, manAgain] = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
      expect(man!.segmented.labels.length).toBe(man!.prepared.sourceVertexCount);
      expect(woman!.segmented.labels.length).toBe(woman!.prepared.sourceVertexCount);
      // The same scan on whichever worker: the cpu forward pass is deterministic.
      expect(manAgain!.segmented.labels).toEqual(man!.segmented.labels);
    } finally {
      await pool.close();
    }
    await expect(pool.run({ kind: 'file', bytes: new Uint8Array(1), file: 'x.obj' })).rejects.toThrow(/closed/);
  }, 60_000);

  it('replaces a worker that crashed during a job, so the next job runs', async () => {
    const started: ReturnType<typeof inProcessWorker>[] = [];
    const pool = new SegmentationWorkerPool({
      createWorker: () => { const worker = inProcessWorker(); started.push(worker); return worker.client; },
      size: 1,
      model: { bytes: new Uint8Array(readFileSync(MODEL_FILE)), file: MODEL_FILE },
    });
    try {
      const sphere = icosphere(3);
      const input = () => ({ kind: 'arrays' as const, positions: Float32Array.from(sphere.positions), triangles: sphere.triangles.slice() });
      const crashed = pool.run(input(), { backend: 'cpu' }, (p) => { if (p.stage === 'geometry' && started.length === 1) started[0]!.crash(); });
      const next = pool.run(input(), { backend: 'cpu' });
      await expect(crashed).rejects.toMatchObject({ code: 'WORKER_FAILED' });
      const result = await next;
      expect(result.segmented.labels.length).toBe(sphere.positions.length / 3);
      expect(started.length).toBe(2);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
