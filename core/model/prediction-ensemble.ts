import { computeGaugeGeometry } from '../geometry/compute-gauge-geometry.js';
import type { GaugeGeometry } from '../geometry/gauge-geometry.js';
import type { Mesh } from '../mesh/mesh.js';
import type { Model } from './model.js';
import { prepareNetworkInput, type NetworkInput, type Preprocessing } from './network-input.js';
import type { Prediction } from './predict.js';
import { smoothProbabilities } from './smooth-probabilities.js';

/** How much work a prediction may spend beyond one forward pass. */
export interface PredictionOptions {
  /**
   * Forward passes over different samplings of the hierarchy (prepareNetworkInput's
   * `samplingStart` 0 … passes − 1), their class probabilities averaged: each pass costs one
   * hierarchy, features and forward pass, and the average no longer depends on where one
   * sampling happened to put the level-1 vertices.
   */
  passes?: number;
  /**
   * Heat flow of the (averaged) class probabilities over the surface before the argmax, for a
   * time of `smoothing` · s², s the level-1 spacing (smoothProbabilities); 0 none. Boundaries that
   * zigzag between mesh vertices straighten; elsewhere labels move little.
   */
  smoothing?: number;
}

/** Defaults of {@link PredictionOptions}: one pass, no smoothing, as the network was trained. */
export const PREDICTION_DEFAULTS: Required<PredictionOptions> = { passes: 1, smoothing: 0 };

/** The options with defaults filled in; a RangeError for passes that are not a whole number from 1 to 64 or smoothing outside 0 to 16. */
export function predictionOptions(options: PredictionOptions = {}): Required<PredictionOptions> {
  const passes = options.passes ?? PREDICTION_DEFAULTS.passes;
  const smoothing = options.smoothing ?? PREDICTION_DEFAULTS.smoothing;
  if (!(Number.isInteger(passes) && passes >= 1 && passes <= 64)) throw new RangeError(`passes must be a whole number from 1 to 64, got ${passes}.`);
  if (!(smoothing >= 0 && smoothing <= 16)) throw new RangeError(`smoothing must be a number from 0 to 16, got ${smoothing}.`);
  return { passes, smoothing };
}

/** Class probabilities of several forward passes of one mesh, averaged, then smoothed and labelled. */
export class ProbabilityEnsemble {
  private readonly sum: Float64Array;
  private readonly exps: Float64Array;
  private count = 0;

  constructor(
    private readonly vertexCount: number,
    private readonly classes: number,
  ) {
    this.sum = new Float64Array(vertexCount * classes);
    this.exps = new Float64Array(classes);
  }

  /** Adds one pass's logits (vertex-major) as softmax probabilities. */
  add(logits: Float32Array): void {
    const C = this.classes, exps = this.exps;
    if (logits.length !== this.vertexCount * C) throw new Error(`ProbabilityEnsemble: expected ${this.vertexCount} × ${C} logits, got ${logits.length}.`);
    for (let v = 0; v < this.vertexCount; v++) {
      const row = v * C;
      let largest = -Infinity;
      for (let k = 0; k < C; k++) largest = Math.max(largest, logits[row + k]!);
      let total = 0;
      for (let k = 0; k < C; k++) total += (exps[k] = Math.exp(logits[row + k]! - largest));
      for (let k = 0; k < C; k++) this.sum[row + k] += exps[k]! / total;
    }
    this.count++;
  }

  /**
   * The most likely class of every vertex and its probability, after heat flow of the mean
   * probabilities over `mesh` for `smoothing` · s² (smoothingTime).
   */
  prediction(
    mesh: Pick<Mesh, 'positions' | 'triangles'>,
    geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas' | 'oneRing' | 'totalArea'>,
    preprocessing: Preprocessing,
    smoothing: number,
  ): Prediction {
    if (this.count === 0) throw new Error('ProbabilityEnsemble: no pass was added.');
    const C = this.classes;
    const mean = new Float32Array(this.sum.length);
    for (let i = 0; i < mean.length; i++) mean[i] = this.sum[i]! / this.count;
    const probabilities = smoothing > 0 ? smoothProbabilities(mean, C, mesh, geometry, smoothingTime(preprocessing, geometry.totalArea, smoothing)) : mean;
    const labels = new Uint32Array(this.vertexCount);
    const confidences = new Float32Array(this.vertexCount);
    for (let v = 0; v < this.vertexCount; v++) {
      const row = v * C;
      let best = 0;
      for (let k = 1; k < C; k++) if (probabilities[row + k]! > probabilities[row + best]!) best = k;
      labels[v] = best;
      confidences[v] = probabilities[row + best]!;
    }
    return { labels, confidences };
  }
}

/** What {@link predictPasses} calls around each pass. */
export interface PassHooks {
  /** Pass 0's input when it is already prepared (with samplingStart 0). */
  readonly first?: NetworkInput;
  /** Runs before each pass after the first; a rejection stops the prediction (a cancel). */
  readonly beforePass?: (pass: number) => Promise<void>;
}

/**
 * predictMesh's passes and smoothing for a backend that runs one prepared input at a time and
 * returns its logits (webgpu, onnx, the worker's cpu): one plain pass when the options ask for no more.
 */
export async function predictPasses(
  model: Pick<Model, 'architecture' | 'preprocessing'>,
  mesh: Mesh,
  geometry: GaugeGeometry | undefined,
  options: PredictionOptions,
  run: (input: NetworkInput) => Promise<Prediction & { logits?: Float32Array }>,
  hooks: PassHooks = {},
): Promise<Prediction> {
  const { passes, smoothing } = predictionOptions(options);
  const inputOf = (pass: number, gauge?: GaugeGeometry) => (pass === 0 && hooks.first) || prepareNetworkInput(mesh, model.preprocessing, gauge, pass);
  if (passes === 1 && smoothing === 0) return run(inputOf(0, geometry));
  const gauge = geometry ?? computeGaugeGeometry(mesh);
  const ensemble = new ProbabilityEnsemble(gauge.vertexCount, model.architecture.classes);
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) await hooks.beforePass?.(pass);
    const { logits } = await run(inputOf(pass, gauge));
    if (!logits) throw new Error('predictPasses: the backend returned no logits to average.');
    ensemble.add(logits);
  }
  return ensemble.prediction(mesh, gauge, model.preprocessing, smoothing);
}

/** The heat-flow time, in mesh units², of `smoothing` · s², s = spacingFraction · √area the level-1 spacing. */
export function smoothingTime(preprocessing: Pick<Preprocessing, 'spacingFraction'>, totalArea: number, smoothing: number): number {
  return smoothing * preprocessing.spacingFraction ** 2 * totalArea;
}
