import * as Comlink from 'comlink';
import type { SegmentationApi } from './segmentation-api.js';
import { fromTransferableError, SegmentationWorkerError } from './segmentation-worker-error.js';
import type { MeshInput, ModelSummary, PrepareResult, ProgressCallback, SegmentOptions, SegmentResult } from './segmentation-types.js';

/** A started worker: where to post messages, how to stop it, and a promise that rejects if it dies. */
export interface SegmentationWorkerHandle {
  readonly endpoint: Comlink.Endpoint;
  terminate(): unknown;
  /** Rejects when the worker crashes or exits; never resolves. */
  readonly failure: Promise<never>;
}

/**
 * The main-thread side of a segmentation worker (browser `Worker` or Node `worker_threads`):
 * the same calls either way, buffers transferred in and out, typed errors restored as their
 * classes (`MeshError`, `ModelFileError`, `SegmentationWorkerError`) with `code` and `file`.
 * One job at a time: a second call while one runs rejects with code BUSY.
 */
export class SegmentationWorkerClient {
  private readonly remote: Comlink.Remote<SegmentationApi>;
  private terminated = false;
  private stop: (error: Error) => void = () => {};
  // Rejects pending calls when the worker is stopped from this side (a browser Worker sends no event then).
  private readonly stopped = new Promise<never>((_, reject) => { this.stop = reject; });

  constructor(private readonly handle: SegmentationWorkerHandle) {
    this.remote = Comlink.wrap<SegmentationApi>(handle.endpoint);
    handle.failure.catch(() => {});
    this.stopped.catch(() => {});
  }

  /** Sends a model file; with `transfer`, its buffer moves to the worker (and is detached here). */
  loadModel(bytes: Uint8Array, file: string, options: { transfer?: boolean } = {}): Promise<ModelSummary> {
    const sent = options.transfer ? Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]) : bytes;
    return this.call(() => this.remote.loadModel(sent, file));
  }

  /** Loads and prepares a scan in the worker. Its buffers are transferred: copy them first if you still need them. */
  prepare(input: MeshInput, onProgress?: ProgressCallback): Promise<PrepareResult> {
    const buffers = input.kind === 'file' ? [input.bytes.buffer] : [input.positions.buffer, input.triangles.buffer];
    return this.call(() => this.remote.prepare(Comlink.transfer(input, [...new Set(buffers)] as ArrayBuffer[]), listener(onProgress)));
  }

  /** Segments the prepared scan. */
  segment(options: SegmentOptions = {}, onProgress?: ProgressCallback): Promise<SegmentResult> {
    return this.call(() => this.remote.segment(options, listener(onProgress)));
  }

  /** Asks the running job to stop at its next stage boundary (it rejects with code CANCELLED); false when none runs. */
  cancel(): Promise<boolean> {
    return this.call(() => this.remote.cancel());
  }

  /** Frees the worker's model, scan and GPU device and stops the worker. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.terminated) return;
    try {
      await Promise.race([this.remote.dispose(), this.handle.failure, delay(1000)]);
    } catch { /* a dead worker has nothing left to free */ }
    this.terminate();
  }

  /** Stops the worker at once, abandoning any job (its promise rejects with code CANCELLED). */
  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.stop(new SegmentationWorkerError('CANCELLED', 'the segmentation worker was stopped while this job ran.'));
    this.remote[Comlink.releaseProxy]();
    this.handle.terminate();
  }

  private async call<T>(invoke: () => Promise<T>): Promise<T> {
    if (this.terminated) throw new SegmentationWorkerError('DISPOSED', 'this segmentation worker was disposed; create a new one.');
    try {
      return await Promise.race([invoke(), this.handle.failure, this.stopped]);
    } catch (error) {
      throw fromTransferableError(error);
    }
  }
}

function listener(onProgress: ProgressCallback | undefined): ProgressCallback | undefined {
  return onProgress ? Comlink.proxy(onProgress) : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
