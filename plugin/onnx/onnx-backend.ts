import type { Mesh } from '../../core/mesh/mesh.js';
import type { GaugeGeometry } from '../../core/geometry/gauge-geometry.js';
import type { Model } from '../../core/model/model.js';
import { prepareNetworkInput, type NetworkInput } from '../../core/model/network-input.js';
import { labelsFromLogits, type Prediction } from '../../core/model/predict.js';
import { exportOnnx } from './export-onnx.js';
import { OnnxError } from './onnx-error.js';
import { onnxFeeds } from './onnx-feeds.js';
import { LOGITS } from './onnx-inputs.js';
import { loadOnnxRuntime, runtimePackage, type ModuleImporter, type OnnxRuntimeKind, type OrtSession, type OrtSessionOptions, type OrtTensor } from './onnx-runtime.js';

/** Options of {@link createOnnxBackend}. */
export interface OnnxBackendOptions {
  /** Which package runs the graph; default 'node' under Node, 'web' elsewhere. */
  runtime?: OnnxRuntimeKind;
  /** Threads per operator (onnxruntime-node intraOpNumThreads; onnxruntime-web env.wasm.numThreads); default: the runtime's own default. */
  threads?: number;
  /** Execution providers, default ['cpu'] for node and ['wasm'] for web ('webgpu' where the browser has it). */
  executionProviders?: string[];
  /** An already exported file of this model (default: exported now with exportOnnx). */
  onnx?: Uint8Array;
  /** How the runtime package is imported (tests simulate a missing one). */
  importer?: ModuleImporter;
}

/** A prediction with the logits it came from, per mesh vertex. */
export interface OnnxPrediction extends Prediction {
  /** meshVertexCount × classes. */
  readonly logits: Float32Array;
}

/** The network of one model running on onnxruntime. */
export interface OnnxBackend {
  readonly runtime: OnnxRuntimeKind;
  /** Labels, confidences and logits of every mesh vertex for an input prepared with the model's preprocessing. */
  predict(input: NetworkInput): Promise<OnnxPrediction>;
  /** prepareNetworkInput (geometry reused when given) then predict. */
  predictMesh(mesh: Mesh, geometry?: GaugeGeometry): Promise<OnnxPrediction>;
  /** Releases the session; the backend cannot be used afterwards. */
  dispose(): Promise<void>;
}

/** True under Node (process.versions.node), where onnxruntime-node is the default. */
function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * A backend that runs `model` exported to ONNX on onnxruntime-node (CPU) or onnxruntime-web
 * (WebAssembly), loading only the package asked for.
 * @throws OnnxError `RUNTIME_MISSING` (package not installed), `SESSION_FAILED` (the runtime refused the file), `INVALID_MODEL`.
 */
export async function createOnnxBackend(model: Model, options: OnnxBackendOptions = {}): Promise<OnnxBackend> {
  const runtime = options.runtime ?? (inNode() ? 'node' : 'web');
  const ort = await loadOnnxRuntime(runtime, options.importer);
  const bytes = options.onnx ?? exportOnnx(model);
  const sessionOptions: OrtSessionOptions = { executionProviders: options.executionProviders ?? [runtime === 'node' ? 'cpu' : 'wasm'] };
  if (options.threads !== undefined) {
    if (runtime === 'node') {
      sessionOptions.intraOpNumThreads = options.threads;
      sessionOptions.interOpNumThreads = 1;
    } else if (ort.env.wasm) {
      ort.env.wasm.numThreads = options.threads;
    }
  }
  let session: OrtSession | null;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (error) {
    throw new OnnxError('SESSION_FAILED', runtimePackage(runtime), `refused the exported model (${(error as Error).message}); export it again with this version of erlangen.`, { cause: error });
  }
  const classes = model.architecture.classes;

  const predict = async (input: NetworkInput): Promise<OnnxPrediction> => {
    if (session === null) throw new OnnxError('RUN_FAILED', runtimePackage(runtime), 'the backend was disposed; create a new one.');
    const feeds: Record<string, OrtTensor> = {};
    for (const [name, tensor] of Object.entries(onnxFeeds(input, model.architecture, model.featureShape))) {
      feeds[name] = new ort.Tensor(tensor.type, tensor.data, tensor.dims);
    }
    let outputs: Record<string, OrtTensor>;
    try {
      outputs = await session.run(feeds);
    } catch (error) {
      throw new OnnxError('RUN_FAILED', runtimePackage(runtime), `failed to run the model (${(error as Error).message}).`, { cause: error });
    }
    const logits = outputs[LOGITS]?.data;
    if (!(logits instanceof Float32Array) || logits.length !== input.meshVertexCount * classes) {
      throw new OnnxError('RUN_FAILED', runtimePackage(runtime), `returned no ${input.meshVertexCount} × ${classes} float32 '${LOGITS}'; is the file an erlangen export of this model?`);
    }
    return { ...labelsFromLogits(logits, classes), logits };
  };

  return {
    runtime,
    predict,
    predictMesh: (mesh, geometry) => predict(prepareNetworkInput(mesh, model.preprocessing, geometry)),
    async dispose() {
      const s = session;
      session = null;
      await s?.release();
    },
  };
}
