import type { MeshPredictor } from '../gltf-transform/segment.js';
import { predictMesh } from '../../core/model/predict.js';
import { UsageError } from './command.js';

/** What `--backend` accepts. */
export type BackendChoice = 'cpu' | 'webgpu' | 'auto';

/** The backends `--backend` names, for parsing and help. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['cpu', 'webgpu', 'auto'];

/** A backend ready to segment meshes. */
export interface Predictor {
  /** The backend in use. */
  readonly name: string;
  /** Why `auto` (or an unavailable backend) ended up on another one. */
  readonly fallback?: string;
  readonly predict: MeshPredictor;
  dispose(): void;
}

/** Parses `--backend`; anything unknown is a usage error. */
export function parseBackend(text: string | undefined): BackendChoice {
  const choice = (text ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(choice)) throw new UsageError(`--backend '${text}': expected one of ${BACKEND_CHOICES.join(', ')}`);
  return choice;
}

/** Opens a backend: the cpu reference, or WebGPU when asked for and available (`auto` falls back to cpu and says why). */
export async function createPredictor(choice: BackendChoice): Promise<Predictor> {
  if (choice === 'cpu') return { name: 'cpu', predict: predictMesh, dispose() {} };
  const reason = 'the WebGPU backend is not part of this build';
  if (choice === 'webgpu') throw new UsageError(`--backend webgpu: ${reason}; use --backend cpu`);
  return { name: 'cpu', fallback: reason, predict: predictMesh, dispose() {} };
}
