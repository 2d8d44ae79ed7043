import type { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { startModuleWorker } from '../start-worker.js';
import { failedFile, type FileJob, type FileResult } from './segment-file.js';
import type { SegmentWorkerApi, SegmentWorkerSettings } from './segment-worker.js';

/** One worker thread and its comlink proxy. */
interface Slot {
  worker: Worker;
  api: Comlink.Remote<SegmentWorkerApi>;
  /** Rejects when the thread dies (out of memory, a crash), so its job fails instead of hanging. */
  died: Promise<never>;
}

/**
 * Segments files on `size` worker threads, one file per worker at a time. A file that crashes its
 * worker becomes an error row and the worker is replaced, so one bad file never stops the batch.
 */
export class SegmentPool {
  private constructor(
    private readonly settings: SegmentWorkerSettings,
    private readonly slots: Slot[],
    /** The backend the workers use, and why it fell back, if it did. */
    readonly backend: { backend: string; fallback?: string },
  ) {}

  /** Starts the workers and loads the model in each; a bad model file or backend rejects here. */
  static async start(size: number, settings: SegmentWorkerSettings): Promise<SegmentPool> {
    const slots = Array.from({ length: size }, () => startSlot());
    try {
      const backends = await Promise.all(slots.map((slot) => Promise.race([slot.died, slot.api.init(settings)])));
      return new SegmentPool(settings, slots, backends[0]!);
    } catch (error) {
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
      throw error;
    }
  }

  /** Runs every job, calling `onResult` as each finishes (in finishing order); resolves when all are done. */
  async run(jobs: readonly FileJob[], onResult: (result: FileResult) => void): Promise<void> {
    let next = 0;
    const drain = async (s: number): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const start = performance.now();
        try {
          onResult(await Promise.race([this.slots[s]!.died, this.slots[s]!.api.segment(job)]));
        } catch (error) {
          onResult(failedFile(job, crashError(error), performance.now() - start));
          await this.slots[s]!.worker.terminate();
          this.slots[s] = startSlot();
          await Promise.race([this.slots[s]!.died, this.slots[s]!.api.init(this.settings)]);
        }
      }
    };
    await Promise.all(this.slots.map((_, s) => drain(s)));
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => Promise.race([slot.died, slot.api.dispose()]).catch(() => undefined)));
    for (const slot of this.slots) slot.api[Comlink.releaseProxy]();
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}

function startSlot(): Slot {
  const worker = startModuleWorker(import.meta.url, 'segment-worker');
  const died = new Promise<never>((_, reject) => {
    worker.once('error', (error) => reject(error));
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
  });
  died.catch(() => {});
  return { worker, api: Comlink.wrap<SegmentWorkerApi>(nodeEndpoint(worker)), died };
}

// Node reports a worker's heap exhaustion as ERR_WORKER_OUT_OF_MEMORY.
function crashError(error: unknown): Error {
  const code = (error as { code?: string }).code;
  const reason = code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'ran out of memory' : (error as Error).message;
  return Object.assign(new Error(`segmenting it crashed its worker (${reason})`), { code: 'WORKER_CRASHED' });
}
