import { OnnxError } from './onnx-error.js';

/** Which onnxruntime package runs the graph: onnxruntime-node (native CPU) or onnxruntime-web (WebAssembly; runs in Node too). */
export type OnnxRuntimeKind = 'node' | 'web';

/** The part of an onnxruntime tensor the backend reads. */
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** The part of an onnxruntime InferenceSession the backend uses. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** Session options both packages accept (onnxruntime-common's InferenceSession.SessionOptions, in part). */
export interface OrtSessionOptions {
  executionProviders?: string[];
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** The part of the onnxruntime-node / onnxruntime-web module the backend uses. */
export interface OrtModule {
  readonly InferenceSession: { create(bytes: Uint8Array, options?: OrtSessionOptions): Promise<OrtSession> };
  readonly Tensor: new (type: 'float32' | 'int32', data: Float32Array | Int32Array, dims: readonly number[]) => OrtTensor;
  readonly env: { wasm?: { numThreads?: number } };
}

/** Imports a package by name; replaceable so tests can simulate a missing runtime. */
export type ModuleImporter = (kind: OnnxRuntimeKind) => Promise<unknown>;

/** Literal specifiers, so bundlers see both packages and load each only when asked for. */
const importRuntime: ModuleImporter = (kind) => (kind === 'node' ? import('onnxruntime-node') : import('onnxruntime-web'));

/** Package name of a runtime kind. */
export function runtimePackage(kind: OnnxRuntimeKind): string {
  return kind === 'node' ? 'onnxruntime-node' : 'onnxruntime-web';
}

/**
 * The onnxruntime module of `kind`, imported on first use (neither package loads unless asked for).
 * @throws OnnxError `RUNTIME_MISSING` when the package is not installed or does not load here.
 */
export async function loadOnnxRuntime(kind: OnnxRuntimeKind, importer: ModuleImporter = importRuntime): Promise<OrtModule> {
  const name = runtimePackage(kind);
  let module: unknown;
  try {
    module = await importer(kind);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new OnnxError('RUNTIME_MISSING', name, `cannot be loaded (${reason}); install it with \`npm install ${name}\` (an optional dependency of erlangen) or use the cpu backend.`, { cause: error });
  }
  // CommonJS builds (onnxruntime-node) may arrive wrapped in `default`.
  const candidate = module as Partial<OrtModule> & { default?: Partial<OrtModule> };
  const ort = candidate.InferenceSession ? candidate : candidate.default;
  if (!ort?.InferenceSession || !ort.Tensor) {
    throw new OnnxError('RUNTIME_MISSING', name, 'loaded but has no InferenceSession/Tensor; install a version ≥ 1.16 of it.');
  }
  return ort as OrtModule;
}
