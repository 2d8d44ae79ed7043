import type { BufferGeometry, Matrix4, Mesh } from 'three';
import type { Repair } from '../../core/mesh/mesh.js';
import { createBrowserSegmentationWorker } from '../../workers/browser-worker.js';
import type { SegmentationWorkerClient } from '../../workers/segmentation-client.js';
import { SegmentationWorkerError } from '../../workers/segmentation-worker-error.js';
import type { ProgressCallback, SegmentationBackend, SegmentationStage } from '../../workers/segmentation-types.js';
import { sourceMeshFromGeometry } from './source-mesh-from-geometry.js';

/** Options of a {@link MeshSegmenter}. */
export interface MeshSegmenterOptions {
  /** The bytes of a model file (e.g. `samples/models/human-parts.erlm`) and its name for messages. */
  model: { bytes: Uint8Array; file: string };
  /** Starts a worker; defaults to a browser module Worker. Node: `createNodeSegmentationWorker` from `erlangen/worker/node`. */
  createWorker?: () => SegmentationWorkerClient;
  /** Default backend of {@link MeshSegmenter.segment}; default `auto` (WebGPU when an adapter exists, else cpu). */
  backend?: SegmentationBackend;
}

/** Options of one {@link MeshSegmenter.segment} call. */
export interface MeshSegmentOptions {
  backend?: SegmentationBackend;
  /** Forward passes over other samplings of the hierarchy, probabilities averaged (default 1; each costs a pass). */
  passes?: number;
  /** Diffusion of the probabilities over the mesh before labelling, in squared level-1 spacings (default 0). */
  smoothing?: number;
  /** Called as each stage (weld, geometry, features, segment) starts and ends. */
  onProgress?: ProgressCallback;
}

/** Labels of a three.js geometry, one per vertex as the geometry stores them (split vertices included). */
export interface MeshSegmentation {
  /** Class per geometry vertex (0xffffffff where repair dropped the vertex). */
  readonly labels: Uint32Array;
  /** Softmax probability of that class per geometry vertex. */
  readonly confidences: Float32Array;
  /** Class names of the model, indexed by label. */
  readonly labelNames: readonly string[];
  readonly backend: 'cpu' | 'webgpu';
  readonly adapter?: string;
  /** Why `auto` ran on the cpu. */
  readonly fallbackReason?: string;
  /** Welded vertices the network saw. */
  readonly meshVertexCount: number;
  readonly repairs: readonly Repair[];
  /** Milliseconds per stage. */
  readonly timings: Partial<Record<SegmentationStage, number>>;
}

/**
 * Segments three.js meshes in a worker: the geometry's vertices (with a Mesh's local transform, so
 * its scale counts; labels do not depend on placement) go to the worker, which welds, prepares and runs
 * the network; labels come back per vertex of the geometry as it is. One job at a time;
 * {@link cancel} rejects the running job at once and stops its worker (a fresh one starts on the
 * next call).
 */
export class MeshSegmenter {
  private worker: SegmentationWorkerClient | null = null;
  private ready: Promise<readonly string[]> | null = null;
  private running: { reject: (error: Error) => void } | null = null;
  private disposed = false;

  constructor(private readonly options: MeshSegmenterOptions) {}

  /** Labels per vertex of `target`'s geometry. Rejects with code BUSY while another call runs, CANCELLED when cancelled. */
  async segment(target: Mesh | BufferGeometry, options: MeshSegmentOptions = {}): Promise<MeshSegmentation> {
    if (this.disposed) throw new SegmentationWorkerError('DISPOSED', 'MeshSegmenter: disposed; create a new one.');
    if (this.running) throw new SegmentationWorkerError('BUSY', 'MeshSegmenter: a segmentation is running; await it or cancel() it first.');
    const geometry = 'isBufferGeometry' in target ? target : target.geometry;
    const name = geometry.name || ('name' in target && target.name) || '<three.js mesh>';
    const source = sourceMeshFromGeometry(geometry, 'isBufferGeometry' in target ? { name } : { name, matrix: localMatrix(target) });
    let cancel: (error: Error) => void = () => {};
    const cancelled = new Promise<never>((_, reject) => { cancel = reject; });
    const job = { reject: cancel };
    this.running = job;
    try {
      return await Promise.race([cancelled, this.run(source.positions, source.triangles, source.file, options)]);
    } finally {
      // After a cancel() a newer job may already be running: this late finally must leave it be.
      if (this.running === job) this.running = null;
    }
  }

  /** Stops the running segmentation now: its promise rejects with code CANCELLED. False when none runs. */
  cancel(): boolean {
    const job = this.running;
    if (!job) return false;
    // Cleared here, not in the job's finally (which runs later), so the next segment() starts at once.
    this.running = null;
    job.reject(new SegmentationWorkerError('CANCELLED', 'MeshSegmenter: the segmentation was cancelled.'));
    // The worker may be deep inside a synchronous stage: stop it rather than wait.
    this.reset();
    return true;
  }

  /** Stops the worker and frees its memory. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancel();
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    await worker?.dispose();
  }

  private async run(positions: Float32Array, triangles: Uint32Array, file: string, options: MeshSegmentOptions): Promise<MeshSegmentation> {
    const { worker, labelNames } = await this.connect();
    let prepared, result;
    try {
      prepared = await worker.prepare({ kind: 'arrays', positions, triangles, file }, options.onProgress);
      const { passes, smoothing } = options;
      result = await worker.segment({ backend: options.backend ?? this.options.backend ?? 'auto', ...(passes === undefined ? {} : { passes }), ...(smoothing === undefined ? {} : { smoothing }) }, options.onProgress);
    } catch (error) {
      // A crashed worker is replaced on the next call; a bad mesh leaves it as it is.
      if ((error as { code?: string }).code === 'WORKER_FAILED' && this.worker === worker) this.reset();
      throw error;
    }
    return {
      labels: result.labels,
      confidences: result.confidences,
      labelNames,
      backend: result.backend,
      meshVertexCount: prepared.meshVertexCount,
      repairs: prepared.repairs,
      timings: { ...prepared.timings, ...result.timings },
      ...(result.adapter ? { adapter: result.adapter } : {}),
      ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
    };
  }

  private async connect(): Promise<{ worker: SegmentationWorkerClient; labelNames: readonly string[] }> {
    if (!this.worker || !this.ready) {
      const worker = (this.options.createWorker ?? createBrowserSegmentationWorker)();
      this.worker = worker;
      // A copy: the worker may be restarted after a cancel and needs the model again.
      this.ready = worker.loadModel(this.options.model.bytes.slice(), this.options.model.file, { transfer: true }).then((summary) => summary.labels);
      this.ready.catch(() => {});
    }
    const worker = this.worker;
    try {
      return { worker, labelNames: await this.ready };
    } catch (error) {
      // A model that failed to load (or a worker that failed to start) is tried afresh next time.
      if (this.worker === worker) this.reset();
      throw error;
    }
  }

  private reset(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
  }
}

/** The mesh's local matrix as its position, rotation and scale give it now. */
function localMatrix(mesh: Mesh): Matrix4 {
  // As three's own updateMatrixWorld does: a mesh without auto update keeps the matrix set by hand.
  if (mesh.matrixAutoUpdate) mesh.updateMatrix();
  return mesh.matrix;
}
