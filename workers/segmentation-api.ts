import * as Comlink from 'comlink';
import { loadSourceMesh } from '../core/mesh/load-source-mesh.js';
import { NO_VERTEX, type Mesh, type SourceMesh } from '../core/mesh/mesh.js';
import { prepareMesh } from '../core/mesh/prepare-mesh.js';
import { computeGaugeGeometry } from '../core/geometry/compute-gauge-geometry.js';
import { decodeModel, type Model } from '../core/model/model.js';
import { prepareNetworkInput, type NetworkInput } from '../core/model/network-input.js';
import { labelsFromLogits, type Prediction } from '../core/model/predict.js';
import { predictionOptions, predictPasses } from '../core/model/prediction-ensemble.js';
import type { GaugeGeometry } from '../core/geometry/gauge-geometry.js';
import { SegmentationWorkerError, toTransferableError } from './segmentation-worker-error.js';
import { NO_LABEL, type MeshInput, type ModelSummary, type PrepareResult, type ProgressCallback, type SegmentationStage, type SegmentOptions, type SegmentResult } from './segmentation-types.js';
import { loadWebGpuBackendModule, type WebGpuBackendLike } from './webgpu-backend-loader.js';

/** Options of {@link createSegmentationApi}. */
export interface SegmentationApiOptions {
  /** Where the WebGPU backend comes from; tests and hosts without it pass their own. */
  loadWebGpuBackend?: () => Promise<WebGpuBackendLike>;
  /** Wraps a result so its buffers are transferred, not copied (comlink's `transfer` inside a worker). */
  transfer?: <T>(value: T, buffers: Transferable[]) => T;
}

/** A scan held between `prepare` and `segment`. */
interface PreparedScan {
  readonly mesh: Mesh;
  readonly gauge: GaugeGeometry;
  readonly input: NetworkInput;
}

// A macrotask boundary: lets a queued `cancel` message run between stages of a synchronous job.
const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The segmentation worker's API, independent of how it is exposed: one model, one prepared scan
 * and at most one job at a time. Errors are thrown as {@link TransferableError} objects so their
 * `code` survives postMessage; the client turns them back into errors.
 */
export function createSegmentationApi(options: SegmentationApiOptions = {}) {
  const transfer = options.transfer ?? (<T>(value: T) => value);
  const loadWebGpu = options.loadWebGpuBackend ?? (async () => (await loadWebGpuBackendModule()).createWebGpuBackend());
  let model: Model | null = null;
  let prepared: PreparedScan | null = null;
  let busy: string | null = null;
  let cancelled = false;
  let disposed = false;
  let webGpu: Promise<WebGpuBackendLike> | null = null;

  /** Runs `job` as the only job, turning any error into a transferable one; `listener` is released after it. */
  async function exclusive<T>(name: string, job: () => Promise<T> | T, listener?: unknown): Promise<T> {
    try {
      if (disposed) throw new SegmentationWorkerError('DISPOSED', 'the segmentation worker was disposed; create a new one.');
      if (busy) throw new SegmentationWorkerError('BUSY', `cannot ${name} while ${busy} runs; wait for it or cancel() it first.`);
      busy = name;
      cancelled = false;
      try {
        return await job();
      } finally {
        busy = null;
        cancelled = false;
      }
    } catch (error) {
      throw toTransferableError(error);
    } finally {
      releaseListener(listener);
    }
  }

  /** Runs one stage between cancel checks, reporting its start and duration. */
  async function stage<T>(name: SegmentationStage, timings: Partial<Record<SegmentationStage, number>>, onProgress: ProgressCallback | undefined, work: () => T | Promise<T>): Promise<T> {
    await yieldToMessages();
    if (cancelled) throw new SegmentationWorkerError('CANCELLED', `cancelled before ${name}.`);
    report(onProgress, { stage: name, state: 'start', ms: 0 });
    const start = performance.now();
    const value = await work();
    const ms = performance.now() - start;
    timings[name] = ms;
    report(onProgress, { stage: name, state: 'done', ms });
    return value;
  }

  return {
    /** Decodes a model file (ModelFileError when wrong or corrupt); later jobs use it. */
    loadModel(bytes: Uint8Array, file: string): Promise<ModelSummary> {
      return exclusive('loadModel', () => {
        model = decodeModel(bytes, file);
        prepared = null;
        return { labels: [...model.labels], parameterCount: model.parameters.length, metadata: model.metadata };
      });
    },

    /** Loads (file input), welds and repairs a scan and computes the network input with the model's preprocessing. */
    prepare(input: MeshInput, onProgress?: ProgressCallback): Promise<PrepareResult> {
      return exclusive('prepare', async () => {
        const current = requireModel(model);
        prepared = null;
        const timings: Partial<Record<SegmentationStage, number>> = {};
        const source: SourceMesh = input.kind === 'file'
          ? await stage('load', timings, onProgress, () => loadSourceMesh(input.bytes, { file: input.file, ...(input.format ? { format: input.format } : {}) }))
          : { file: input.file ?? '<arrays>', positions: input.positions, triangles: input.triangles, primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount: input.positions.length / 3 }] };
        const mesh = await stage('weld', timings, onProgress, () => prepareMesh(source));
        const gauge = await stage('geometry', timings, onProgress, () => computeGaugeGeometry(mesh));
        const networkInput = await stage('features', timings, onProgress, () => prepareNetworkInput(mesh, current.preprocessing, gauge));
        await yieldToMessages();
        if (cancelled) throw new SegmentationWorkerError('CANCELLED', 'cancelled after features.');
        prepared = { mesh, gauge, input: networkInput };
        const result: PrepareResult = {
          sourceVertexCount: mesh.sourceToMesh.length,
          meshVertexCount: networkInput.meshVertexCount,
          triangleCount: mesh.triangles.length / 3,
          repairs: mesh.repairs,
          timings,
          ...(input.kind === 'file' ? { source: { positions: source.positions, triangles: source.triangles } } : {}),
        };
        if (input.kind !== 'file') return result;
        // weld keeps the source's triangles when nothing merges: a buffer the prepared mesh still uses is copied, not moved.
        const kept = new Set<ArrayBufferLike>([mesh.positions.buffer, mesh.triangles.buffer]);
        return transfer(result, [source.positions.buffer, source.triangles.buffer].filter((buffer) => !kept.has(buffer)) as ArrayBuffer[]);
      }, onProgress);
    },

    /** Runs the network on the prepared scan: labels and confidences per source vertex and per mesh vertex. */
    segment(segmentOptions: SegmentOptions = {}, onProgress?: ProgressCallback): Promise<SegmentResult> {
      return exclusive('segment', async () => {
        const current = requireModel(model);
        if (!prepared) throw new SegmentationWorkerError('NOT_PREPARED', 'segment() needs a prepared scan; call prepare() first.');
        const scan = prepared;
        const settings = predictionOptions(segmentOptions);
        const timings: Partial<Record<SegmentationStage, number>> = {};
        const requested = segmentOptions.backend ?? 'auto';
        let gpu: WebGpuBackendLike | null = null;
        let fallbackReason: string | undefined;
        if (requested !== 'cpu') {
          try {
            webGpu ??= loadWebGpu();
            gpu = await webGpu;
            // A software adapter runs the kernels slower than the cpu backend runs the network: `auto` skips it.
            if (requested === 'auto' && gpu.softwareAdapter) {
              fallbackReason = `only a software WebGPU adapter (${gpu.adapterDescription}), slower than the cpu backend; choose 'webgpu' to use it anyway`;
              gpu = null;
            }
          } catch (error) {
            webGpu = null;
            const reason = error instanceof Error ? error.message : String(error);
            if (requested === 'webgpu') throw new SegmentationWorkerError('NO_WEBGPU', `WebGPU is not available (${reason}); use backend 'cpu' or 'auto'.`, { cause: error });
            fallbackReason = `WebGPU unavailable: ${reason}`;
          }
        }
        const runPass = async (input: NetworkInput): Promise<Prediction & { logits?: Float32Array }> => {
          if (gpu) {
            try {
              return await gpu.predict(current.network, current.parameters, input);
            } catch (error) {
              // Device loss or out of memory: `auto` finishes on the cpu and says why; `webgpu` reports it.
              if (requested === 'webgpu') throw error;
              const failed = gpu;
              gpu = null;
              webGpu = null;
              failed.dispose();
              fallbackReason = `WebGPU failed: ${error instanceof Error ? error.message : String(error)}`;
            }
          }
          const { logits } = current.network.forward(current.parameters, input);
          return { ...labelsFromLogits(logits, current.network.architecture.classes), logits };
        };
        // A cancel stops between passes.
        const beforePass = async (pass: number) => {
          await yieldToMessages();
          if (cancelled) throw new SegmentationWorkerError('CANCELLED', `cancelled after pass ${pass} of ${settings.passes}.`);
        };
        const prediction: Prediction = await stage('segment', timings, onProgress, () => predictPasses(current, scan.mesh, scan.gauge, settings, runPass, { first: scan.input, beforePass }));
        await yieldToMessages();
        if (cancelled) throw new SegmentationWorkerError('CANCELLED', 'cancelled after segment.');
        const { labels, confidences } = perSourceVertex(scan.mesh, prediction);
        const result: SegmentResult = {
          labels, confidences,
          meshLabels: prediction.labels, meshConfidences: prediction.confidences,
          backend: gpu ? 'webgpu' : 'cpu',
          timings,
          ...(gpu ? { adapter: gpu.adapterDescription } : {}),
          ...(fallbackReason ? { fallbackReason } : {}),
        };
        // A backend may return views of one buffer: list each buffer once.
        return transfer(result, [...new Set([labels.buffer, confidences.buffer, prediction.labels.buffer as ArrayBuffer, prediction.confidences.buffer as ArrayBuffer])]);
      }, onProgress);
    },

    /** Asks the running job to stop at its next stage boundary; it then rejects with code CANCELLED. */
    cancel(): boolean {
      if (!busy) return false;
      cancelled = true;
      return true;
    },

    /** Whether a job runs now. */
    isBusy(): boolean {
      return busy !== null;
    },

    /** Frees the model, the scan and the GPU device; later calls reject with code DISPOSED. */
    async dispose(): Promise<void> {
      cancelled = true;
      disposed = true;
      model = null;
      prepared = null;
      const pending = webGpu;
      webGpu = null;
      if (pending) await pending.then((backend) => backend.dispose(), () => {});
    },
  };
}

/** The API a segmentation worker exposes. */
export type SegmentationApi = ReturnType<typeof createSegmentationApi>;

function requireModel(model: Model | null): Model {
  if (!model) throw new SegmentationWorkerError('NO_MODEL', 'no model is loaded; call loadModel() with the bytes of a model file first.');
  return model;
}

function report(onProgress: ProgressCallback | undefined, progress: Parameters<ProgressCallback>[0]): void {
  // Fire and forget: a slow or failing listener on the other thread must not stall or fail the job.
  if (!onProgress) return;
  try {
    void Promise.resolve(onProgress(progress)).catch(() => {});
  } catch { /* the listener's own error is not the job's */ }
}

// A listener proxied from another thread holds a message port open until released (comlink's releaseProxy).
function releaseListener(listener: unknown): void {
  const release = (listener as Record<symbol, unknown> | undefined)?.[Comlink.releaseProxy];
  if (typeof release === 'function') (release as () => void).call(listener);
}

function perSourceVertex(mesh: Mesh, prediction: Prediction): { labels: Uint32Array; confidences: Float32Array } {
  const count = mesh.sourceToMesh.length;
  const labels = new Uint32Array(count);
  const confidences = new Float32Array(count);
  for (let s = 0; s < count; s++) {
    const v = mesh.sourceToMesh[s]!;
    labels[s] = v === NO_VERTEX ? NO_LABEL : prediction.labels[v]!;
    confidences[s] = v === NO_VERTEX ? 0 : prediction.confidences[v]!;
  }
  return { labels, confidences };
}
