import { softmaxCrossEntropy } from './layers/softmax-cross-entropy.js';
import type { Network } from './network.js';
import type { NetworkInput } from './network-input.js';
import { changeGauge, randomGauge } from './random-gauge.js';

/** A prepared mesh with the true label of every mesh vertex. */
export interface TrainingSample {
  readonly input: NetworkInput;
  readonly labels: Uint8Array;
}

/** Loss and accuracy of one sample, both weighted by vertex area so that dense regions do not count more. */
export interface SampleResult {
  readonly loss: number;
  readonly accuracy: number;
}

/**
 * Adds the gradient of one sample's area-weighted cross-entropy to `gradients`, in a random gauge
 * and with dropout drawn from `random`.
 */
export function sampleGradients(network: Network, parameters: Float32Array, sample: TrainingSample, gradients: Float32Array, random: () => number): SampleResult {
  const input = changeGauge(sample.input, randomGauge(sample.input.meshVertexCount, random));
  const pass = network.forward(parameters, input, { training: true, random });
  const classes = network.architecture.classes;
  const weights = areaWeights(input.vertexAreas);
  const gradLogits = new Float32Array(pass.logits.length);
  const loss = softmaxCrossEntropy(pass.logits, sample.labels, classes, gradLogits, { weights });
  network.backward(parameters, pass, gradLogits, gradients);
  let accuracy = 0;
  for (let v = 0; v < sample.labels.length; v++) {
    const base = v * classes;
    let best = 0;
    for (let k = 1; k < classes; k++) if (pass.logits[base + k]! > pass.logits[base + best]!) best = k;
    if (best === sample.labels[v]) accuracy += weights[v]!;
  }
  return { loss, accuracy };
}

/** Vertex areas scaled to sum to 1. */
function areaWeights(areas: Float32Array): Float32Array {
  let total = 0;
  for (let v = 0; v < areas.length; v++) total += areas[v]!;
  const weights = new Float32Array(areas.length);
  for (let v = 0; v < areas.length; v++) weights[v] = areas[v]! / total;
  return weights;
}
