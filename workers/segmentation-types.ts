import type { Repair } from '../core/mesh/mesh.js';
import type { MeshFormat } from '../core/mesh/detect-format.js';

/** Which forward pass runs: the cpu reference, WebGPU kernels, or WebGPU when an adapter exists (else cpu). */
export type SegmentationBackend = 'cpu' | 'webgpu' | 'auto';

/** A scan to prepare: the bytes of a file, or triangle arrays (one entry per vertex as the caller holds them). */
export type MeshInput =
  | { readonly kind: 'file'; readonly bytes: Uint8Array; readonly file: string; readonly format?: MeshFormat }
  | { readonly kind: 'arrays'; readonly positions: Float32Array; readonly triangles: Uint32Array; readonly file?: string };

/** The stages of a job, in order; `load` only runs for file input. */
export type SegmentationStage = 'load' | 'weld' | 'geometry' | 'features' | 'segment';

/** One progress report: a stage started, or finished after `ms` milliseconds. */
export interface StageProgress {
  readonly stage: SegmentationStage;
  readonly state: 'start' | 'done';
  /** Time the stage took (0 at `start`). */
  readonly ms: number;
}

/** Called for every {@link StageProgress}; runs on the caller's thread. */
export type ProgressCallback = (progress: StageProgress) => void;

/** What a loaded model is, as the main thread needs it. */
export interface ModelSummary {
  readonly labels: readonly string[];
  readonly parameterCount: number;
  readonly metadata: Record<string, unknown>;
}

/** The scan held by a worker after `prepare`. */
export interface PrepareResult {
  /** Vertices as given (file vertices, or entries of the arrays). */
  readonly sourceVertexCount: number;
  /** Welded vertices the network sees. */
  readonly meshVertexCount: number;
  readonly triangleCount: number;
  readonly repairs: readonly Repair[];
  /** For file input only: the file's own vertices and triangles, to display what was segmented. */
  readonly source?: { readonly positions: Float32Array; readonly triangles: Uint32Array };
  /** Milliseconds per stage run. */
  readonly timings: Partial<Record<SegmentationStage, number>>;
}

/** Options of a `segment` call. */
export interface SegmentOptions {
  /** Defaults to `auto`. */
  readonly backend?: SegmentationBackend;
  /** Forward passes over other samplings of the hierarchy, probabilities averaged (PredictionOptions.passes; default 1). */
  readonly passes?: number;
  /** Diffusion of the probabilities over the mesh, in squared level-1 spacings (PredictionOptions.smoothing; default 0). */
  readonly smoothing?: number;
}

/** Labels of a prepared scan. */
export interface SegmentResult {
  /** Per source vertex: its class, or {@link NO_LABEL} where repair dropped the vertex. */
  readonly labels: Uint32Array;
  /** Per source vertex: the softmax probability of its class (0 where dropped). */
  readonly confidences: Float32Array;
  /** Per welded mesh vertex, as the network computed them. */
  readonly meshLabels: Uint32Array;
  readonly meshConfidences: Float32Array;
  /** The backend that ran. */
  readonly backend: 'cpu' | 'webgpu';
  /** The adapter, when WebGPU ran. */
  readonly adapter?: string;
  /** Why `auto` ran on the cpu, when it did. */
  readonly fallbackReason?: string;
  readonly timings: Partial<Record<SegmentationStage, number>>;
}

/** Label of a source vertex that is not part of the welded mesh (dropped by repair). */
export const NO_LABEL = 0xffffffff;
