import type { Architecture } from './architecture.js';
import type { FieldShape } from './layers/feature-layout.js';
import { decodeModelFile, encodeModelFile, type ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { Network } from './network.js';
import type { Preprocessing } from './network-input.js';

/** A network with its weights, preprocessing and class names: what a model file holds. */
export interface Model {
  readonly architecture: Architecture;
  readonly preprocessing: Preprocessing;
  readonly featureShape: FieldShape;
  readonly labels: readonly string[];
  readonly parameters: Float32Array;
  readonly network: Network;
  /** Training information: epochs, seed, accuracy, data, date. */
  readonly metadata: Record<string, unknown>;
}

/** A model with freshly initialised weights. */
export function createModel(
  architecture: Architecture,
  preprocessing: Preprocessing,
  featureShape: FieldShape,
  labels: readonly string[],
  random: () => number,
): Model {
  if (labels.length !== architecture.classes) throw new Error(`createModel: ${labels.length} labels for ${architecture.classes} classes.`);
  const network = new Network(architecture, featureShape);
  const parameters = new Float32Array(network.parameterCount);
  network.initialise(parameters, random);
  return { architecture, preprocessing, featureShape, labels, parameters, network, metadata: {} };
}

/** The bytes of a model file. */
export function encodeModel(model: Model): Uint8Array {
  return encodeModelFile(modelFileContent(model));
}

/** What a model file holds for `model`. */
export function modelFileContent(model: Model): ModelFileContent {
  return {
    format: 'erlangen-model',
    version: 1,
    architecture: { ...model.architecture },
    preprocessing: { ...model.preprocessing },
    features: { ...model.featureShape },
    labels: [...model.labels],
    parameters: model.parameters,
    metadata: model.metadata,
  };
}

/** A model from the bytes of a model file; a wrong or corrupt file throws ModelFileError naming `file`. */
export function decodeModel(bytes: Uint8Array, file: string): Model {
  const content = decodeModelFile(bytes, file);
  const architecture = content.architecture as unknown as Architecture;
  const preprocessing = content.preprocessing as unknown as Preprocessing;
  const featureShape = content.features as unknown as FieldShape;
  if (architecture.classes !== content.labels.length) {
    throw new ModelFileError('INVALID', file, `the architecture has ${String(architecture.classes)} classes but the file names ${content.labels.length} labels.`);
  }
  let network: Network;
  try {
    network = new Network(architecture, featureShape);
  } catch (error) {
    throw new ModelFileError('INVALID', file, `its architecture cannot be built: ${(error as Error).message}`);
  }
  if (network.parameterCount !== content.parameters.length) {
    throw new ModelFileError('INVALID', file, `the architecture needs ${network.parameterCount} parameters, the file holds ${content.parameters.length}.`);
  }
  return { architecture, preprocessing, featureShape, labels: content.labels, parameters: content.parameters, network, metadata: content.metadata ?? {} };
}
