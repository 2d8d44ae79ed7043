import type { SegmentationWorkerClient } from './segmentation-client.js';
import type { MeshInput, PrepareResult, ProgressCallback, SegmentOptions, SegmentResult } from './segmentation-types.js';

/** Options of a {@link SegmentationWorkerPool}. */
export interface SegmentationWorkerPoolOptions {
  /** Starts one worker (`createNodeSegmentationWorker` or `createBrowserSegmentationWorker`). */
  createWorker: () => SegmentationWorkerClient;
  /** Number of workers; defaults to 2. */
  size?: number;
  /** The model file every worker loads. */
  model: { bytes: Uint8Array; file: string };
}

/** One finished job of a pool. */
export interface PoolJobResult {
  readonly prepared: PrepareResult;
  readonly segmented: SegmentResult;
}

interface QueuedJob {
  readonly input: MeshInput;
  readonly options: SegmentOptions;
  readonly onProgress: ProgressCallback | undefined;
  readonly resolve: (result: PoolJobResult) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  client: SegmentationWorkerClient;
  ready: Promise<unknown>;
  busy: boolean;
}

/**
 * N segmentation workers for batch work, one job each at a time, jobs queued in order.
 * A job's error rejects only that job; a worker that crashed is replaced before its next job.
 */
export class SegmentationWorkerPool {
  private readonly slots: Slot[];
  private readonly queue: QueuedJob[] = [];
  private closed = false;

  constructor(private readonly options: SegmentationWorkerPoolOptions) {
    const size = options.size ?? 2;
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`SegmentationWorkerPool: size must be a positive integer, got ${size}.`);
    this.slots = Array.from({ length: size }, () => this.startSlot());
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** Prepares and segments one scan on the next free worker. */
  run(input: MeshInput, options: SegmentOptions = {}, onProgress?: ProgressCallback): Promise<PoolJobResult> {
    if (this.closed) return Promise.reject(new Error('SegmentationWorkerPool: the pool is closed; create a new one.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, options, onProgress, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; queued jobs reject. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('SegmentationWorkerPool: closed before this job ran.'));
    await Promise.all(this.slots.map((slot) => slot.client.dispose()));
  }

  private startSlot(): Slot {
    const client = this.options.createWorker();
    // Each worker gets its own copy: a transferred buffer could not be sent twice.
    const ready = client.loadModel(this.options.model.bytes.slice(), this.options.model.file, { transfer: true });
    ready.catch(() => {});
    return { client, ready, busy: false };
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.busy) void this.runOn(slot, this.queue.shift()!);
    }
  }

  private async runOn(slot: Slot, job: QueuedJob): Promise<void> {
    slot.busy = true;
    try {
      await slot.ready;
      const prepared = await slot.client.prepare(job.input, job.onProgress);
      const segmented = await slot.client.segment(job.options, job.onProgress);
      job.resolve({ prepared, segmented });
    } catch (error) {
      job.reject(error);
      // A crashed worker (or one whose model failed to load) is replaced, so later jobs are not affected.
      if ((error as { code?: string }).code === 'WORKER_FAILED' && !this.closed) {
        slot.client.terminate();
        Object.assign(slot, this.startSlot());
      }
    } finally {
      slot.busy = false;
      if (!this.closed) this.dispatch();
    }
  }
}
