import { describe } from 'vitest';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { loadMesh } from '../../../core/mesh/load-mesh.js';
import { simplifyMesh } from '../../../core/mesh/simplify-mesh.js';
import { decodeModel, type Model } from '../../../core/model/model.js';
import { prepareNetworkInput, type NetworkInput } from '../../../core/model/network-input.js';
import type { OnnxRuntimeKind } from '../../../plugin/onnx/onnx-runtime.js';

export const BUNDLED_MODEL = 'samples/models/human-parts.erlm';
export const SMPL_MAN = 'samples/scans/smpl-human/human_man.obj';
export const SMPL_WOMAN = 'samples/scans/smpl-human/human_woman.obj';

/** Whether a runtime package resolves here; they are optional dependencies. */
function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

const HOW_TO = 'install it with `npm install` (optional dependencies; onnxruntime-node needs ONNXRUNTIME_NODE_INSTALL=skip, see DESIGN.md)';

/** `describe` when the runtime package is installed, else `describe.skip` naming how to get it; CI must have both. */
export function describeRuntime(kind: OnnxRuntimeKind): typeof describe {
  const name = kind === 'node' ? 'onnxruntime-node' : 'onnxruntime-web';
  if (installed(name)) return describe;
  if (process.env.CI === 'true') throw new Error(`CI requires ${name} for the ONNX suites: ${HOW_TO}`);
  return ((title: string, fn: () => void) => describe.skip(`${title} (${name} is not installed: ${HOW_TO})`, fn)) as typeof describe;
}

/** The bundled model. */
export async function bundledModel(): Promise<Model> {
  return decodeModel(new Uint8Array(await readFile(BUNDLED_MODEL)), BUNDLED_MODEL);
}

/** A bundled SMPL body simplified to about `vertices` vertices (quick to prepare), prepared for `model`. */
export async function simplifiedBody(model: Model, path: string, vertices: number): Promise<NetworkInput> {
  const { mesh } = await simplifyMesh(await loadMesh(path), vertices);
  return prepareNetworkInput(mesh, model.preprocessing);
}

/** max |a − b| / max |b|: the error relative to the logits' scale (per-entry ratios blow up near 0). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

/** Vertices whose labels differ, among those where the cpu's top two logits are more than `margin` apart. */
export function clearLabelMismatches(labels: Uint32Array, expectedLogits: Float32Array, classes: number, margin: number): number {
  let mismatches = 0;
  for (let v = 0; v < labels.length; v++) {
    const row = Array.from(expectedLogits.subarray(v * classes, (v + 1) * classes));
    const best = row.indexOf(Math.max(...row));
    const second = Math.max(...row.filter((_, k) => k !== best));
    if (row[best]! - second > margin && labels[v] !== best) mismatches++;
  }
  return mismatches;
}
