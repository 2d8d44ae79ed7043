import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import type { Document } from '@gltf-transform/core';
import type { PredictionOptions } from '../../../core/model/prediction-ensemble.js';

/** The key of the glTF root's `extras` under which segment records what labelled a file. */
export const STAMP_KEY = 'erlangenLabelling';

/** What labelled an output: a rerun with another model, passes, smoothing or --colors redoes it. */
export interface LabellingStamp {
  /** SHA-256 of the model file, hex. */
  readonly model: string;
  readonly passes: number;
  readonly smoothing: number;
  /** Whether COLOR_0 with the label palette was written (--colors). */
  readonly colors: boolean;
}

/** The stamp of a model file's bytes, the prediction options (filled in) and whether colours are written. */
export function labellingStamp(modelBytes: Uint8Array, prediction: Required<PredictionOptions>, colors: boolean): LabellingStamp {
  return { model: createHash('sha256').update(modelBytes).digest('hex'), passes: prediction.passes, smoothing: prediction.smoothing, colors };
}

/** Records the stamp in the document's root extras, keeping any other extras it has. */
export function stampDocument(document: Document, stamp: LabellingStamp): void {
  const root = document.getRoot();
  root.setExtras({ ...root.getExtras(), [STAMP_KEY]: { ...stamp } });
}

/** Whether the glTF at `path` (GLB or JSON) records exactly this stamp; false when it cannot be read or records none. */
export async function hasStamp(path: string, stamp: LabellingStamp): Promise<boolean> {
  const found = await readStamp(path);
  // A stamp without `colors` predates it: whether that output has COLOR_0 is unknown, so it is redone.
  return found?.model === stamp.model && found.passes === stamp.passes && found.smoothing === stamp.smoothing && found.colors === stamp.colors;
}

/**
 * The stamp the glTF at `path` (GLB or JSON) records, as far as it has one: a file segment wrote.
 * Null when the file cannot be read, is not glTF, or records none.
 */
export async function readStamp(path: string): Promise<Partial<LabellingStamp> | null> {
  const json = await readGltfJson(path).catch(() => null);
  const found = (json?.extras as Record<string, unknown> | undefined)?.[STAMP_KEY];
  return typeof found === 'object' && found !== null ? (found as Partial<LabellingStamp>) : null;
}

/** The JSON of a glTF file (parsed, unchecked); for a GLB only its header and JSON chunk are read, not the binary chunk. */
export async function readGltfJson(path: string): Promise<Record<string, unknown>> {
  if (!path.toLowerCase().endsWith('.glb')) return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(20);
    await file.read(header, 0, 20, 0);
    // "glTF" magic, then the JSON chunk's length and type at bytes 12 and 16.
    if (header.readUInt32LE(0) !== 0x46546c67 || header.readUInt32LE(16) !== 0x4e4f534a) throw new Error(`${path}: not a GLB with a JSON chunk`);
    const json = Buffer.alloc(header.readUInt32LE(12));
    await file.read(json, 0, json.length, 20);
    return JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  } finally {
    await file.close();
  }
}
