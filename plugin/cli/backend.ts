import type { Model } from '../../core/model/model.js';
import { predictionOptions, predictPasses, type PredictionOptions } from '../../core/model/prediction-ensemble.js';
import { predictMesh } from '../../core/model/predict.js';
import type { MeshPredictor } from '../gltf-transform/segment.js';
import { UsageError } from './command.js';
import { DECIMAL, WHOLE_DECIMAL } from './plain-decimal.js';

/** What `--backend` accepts. */
export type BackendChoice = 'cpu' | 'webgpu' | 'onnx' | 'auto';

/** The backends `--backend` names, for parsing and help. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['cpu', 'webgpu', 'onnx', 'auto'];

/** A backend ready to segment meshes. */
export interface Predictor {
  /** The backend in use, with the adapter for WebGPU. */
  readonly name: string;
  /** Why `auto` ended up on the cpu backend. */
  readonly fallback?: string;
  readonly predict: MeshPredictor;
  dispose(): Promise<void>;
}

/** Parses `--backend` (default `auto`); anything unknown is a usage error. */
export function parseBackend(text: string | undefined): BackendChoice {
  const choice = (text ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(choice)) throw new UsageError(`--backend '${text}': expected one of ${BACKEND_CHOICES.join(', ')}`);
  return choice;
}

/**
 * Parses `--passes` (a whole number) and `--smooth` (a number), both in plain decimal digits,
 * into PredictionOptions; anything else or out of range is a usage error naming the flag.
 */
export function parsePredictionOptions(passes: string | undefined, smooth: string | undefined): Required<PredictionOptions> {
  const options: PredictionOptions = {};
  for (const [flag, text, key, syntax] of [['--passes', passes, 'passes', WHOLE_DECIMAL], ['--smooth', smooth, 'smoothing', DECIMAL]] as const) {
    if (text === undefined) continue;
    const written = syntax.test(text);
    // Text that is not decimal goes in as NaN, so predictionOptions names the range it must be in.
    options[key] = written ? Number(text) : NaN;
    try {
      predictionOptions(options);
    } catch (error) {
      const message = (error as Error).message;
      throw new UsageError(`${flag} '${text}': ${written ? message : message.replace(/, got NaN\.$/, ', in plain decimal digits.')}`);
    }
  }
  return predictionOptions(options);
}

/** What `--passes` and `--smooth` do, for the help of every command that predicts, descriptions starting at `column`. */
export function predictionHelp(column: number): string {
  const option = (flag: string, lines: string[]) => [`  ${flag}`.padEnd(column) + lines[0], ...lines.slice(1).map((line) => ' '.repeat(column) + line)].join('\n');
  return [
    option('--passes <n>', ['average the class probabilities of n forward passes, each over another', 'sampling of the hierarchy (default 1); each pass costs a whole pass']),
    option('--smooth <t>', ['heat flow of the class probabilities over the surface for t squared', 'level-1 spacings before labelling (default 0, off); straightens', 'boundaries that zigzag between vertices, moves smooth ones a little']),
  ].join('\n');
}

/**
 * Opens a backend. `webgpu` and `onnx` fail with their own errors when unavailable; `auto` takes
 * WebGPU on a hardware adapter and otherwise the cpu backend, saying why (a software adapter
 * such as SwiftShader is slower than the cpu backend). `options` sets the passes and smoothing
 * of every prediction (PredictionOptions).
 */
export async function createPredictor(choice: BackendChoice, options: PredictionOptions = {}): Promise<Predictor> {
  const settings = predictionOptions(options);
  if (choice === 'cpu') return cpuPredictor(settings);
  if (choice === 'onnx') return onnxPredictor(settings);
  const { createWebGpuBackend, WebGpuError } = await import('../../shaders/index.js');
  let backend;
  try {
    backend = await createWebGpuBackend();
  } catch (error) {
    if (choice === 'auto' && error instanceof WebGpuError) return cpuPredictor(settings, `no WebGPU (${error.code})`);
    throw error;
  }
  if (choice === 'auto' && backend.softwareAdapter) {
    backend.dispose();
    return cpuPredictor(settings, `the only WebGPU adapter is a software one (${backend.adapterDescription}); pass --backend webgpu to use it anyway`);
  }
  return {
    name: `webgpu (${backend.adapterDescription})`,
    predict: (model, mesh, geometry) => predictPasses(model, mesh, geometry, settings, (input) => backend.predict(model.network, model.parameters, input)),
    async dispose() {
      backend.dispose();
    },
  };
}

function cpuPredictor(settings: Required<PredictionOptions>, fallback?: string): Predictor {
  return { name: 'cpu', ...(fallback ? { fallback } : {}), predict: (model, mesh, geometry) => predictMesh(model, mesh, geometry, settings), async dispose() {} };
}

// One onnxruntime-node session per model, created on first use (the graph is exported from the model then).
async function onnxPredictor(settings: Required<PredictionOptions>): Promise<Predictor> {
  const { createOnnxBackend } = await import('../onnx/index.js');
  const sessions = new Map<Model, ReturnType<typeof createOnnxBackend>>();
  const session = (model: Model) => {
    let backend = sessions.get(model);
    if (!backend) sessions.set(model, (backend = createOnnxBackend(model, { runtime: 'node' })));
    return backend;
  };
  return {
    name: 'onnx (onnxruntime-node)',
    predict: async (model, mesh, geometry) => {
      const backend = await session(model);
      return predictPasses(model, mesh, geometry, settings, (input) => backend.predict(input));
    },
    async dispose() {
      await Promise.all([...sessions.values()].map(async (backend) => (await backend).dispose()));
    },
  };
}
