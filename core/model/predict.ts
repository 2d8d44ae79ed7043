import { NO_VERTEX, type Mesh } from '../mesh/mesh.js';
import type { GaugeGeometry } from '../geometry/gauge-geometry.js';
import type { Model } from './model.js';
import type { Network } from './network.js';
import { computeGaugeGeometry } from '../geometry/compute-gauge-geometry.js';
import { prepareNetworkInput, type NetworkInput } from './network-input.js';
import { predictionOptions, ProbabilityEnsemble, type PredictionOptions } from './prediction-ensemble.js';

/** Per mesh vertex: the most likely class and its softmax probability. */
export interface Prediction {
  readonly labels: Uint32Array;
  readonly confidences: Float32Array;
}

/**
 * Segments a welded mesh with the CPU backend: labels per mesh vertex (map to file vertices with
 * `mesh.sourceToMesh`). `options` may average several samplings and smooth the result (PredictionOptions).
 */
export function predictMesh(model: Model, mesh: Mesh, geometry?: GaugeGeometry, options?: PredictionOptions): Prediction {
  const { passes, smoothing } = predictionOptions(options);
  if (passes === 1 && smoothing === 0) return predictInput(model.network, model.parameters, prepareNetworkInput(mesh, model.preprocessing, geometry));
  const gauge = geometry ?? computeGaugeGeometry(mesh);
  const ensemble = new ProbabilityEnsemble(gauge.vertexCount, model.network.architecture.classes);
  for (let pass = 0; pass < passes; pass++) ensemble.add(model.network.forward(model.parameters, prepareNetworkInput(mesh, model.preprocessing, gauge, pass)).logits);
  return ensemble.prediction(mesh, gauge, model.preprocessing, smoothing);
}

/** Segments a mesh already prepared with the model's preprocessing. */
export function predictInput(network: Network, parameters: Float32Array, input: NetworkInput): Prediction {
  const { logits } = network.forward(parameters, input);
  return labelsFromLogits(logits, network.architecture.classes);
}

/** Argmax and softmax probability of each row of `logits`. */
export function labelsFromLogits(logits: Float32Array, classes: number): Prediction {
  const count = logits.length / classes;
  const labels = new Uint32Array(count);
  const confidences = new Float32Array(count);
  for (let v = 0; v < count; v++) {
    const base = v * classes;
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[base + k]! > logits[base + best]!) best = k;
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(logits[base + k]! - logits[base + best]!);
    labels[v] = best;
    confidences[v] = 1 / sum;
  }
  return { labels, confidences };
}

/** Per file vertex, the label of its mesh vertex (`fallback` for file vertices the mesh dropped). */
export function labelsOfSourceVertices(mesh: Pick<Mesh, 'sourceToMesh'>, labels: Uint32Array, fallback = 0): Uint32Array {
  const out = new Uint32Array(mesh.sourceToMesh.length);
  for (let s = 0; s < out.length; s++) {
    const v = mesh.sourceToMesh[s]!;
    out[s] = v === NO_VERTEX ? fallback : labels[v]!;
  }
  return out;
}

/** Per welded mesh vertex, the label of a file vertex welded into it (the inverse of labelsOfSourceVertices). */
export function labelsOfMeshVertices(mesh: Pick<Mesh, 'sourceToMesh' | 'positions'>, fileLabels: Uint32Array): Uint32Array {
  const labels = new Uint32Array(mesh.positions.length / 3);
  for (let s = 0; s < fileLabels.length; s++) {
    const v = mesh.sourceToMesh[s]!;
    if (v !== NO_VERTEX) labels[v] = fileLabels[s]!;
  }
  return labels;
}
