import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileError } from '../../../core/mesh/file-error.js';
import { loadDocument } from '../../../core/mesh/load-document.js';
import type { Model } from '../../../core/model/model.js';
import { segment, type MeshPredictor, type SegmentResult } from '../../gltf-transform/segment.js';
import { stampDocument, type LabellingStamp } from './labelling-stamp.js';
import { writeGltfFile } from './write-gltf-file.js';

/** One file of a batch: where it is read from and where its labelled glTF goes. */
export interface FileJob {
  readonly input: string;
  readonly output: string;
}

/** One row of the batch report. */
export interface FileResult {
  readonly input: string;
  readonly output: string;
  readonly status: 'ok' | 'skipped' | 'error';
  readonly error?: { readonly code: string; readonly message: string };
  /** Welded vertices segmented (0 when skipped or failed). */
  readonly vertices: number;
  readonly ms: number;
  /** Welded vertices per label name. */
  readonly labelCounts: Record<string, number>;
}

/** Options of {@link segmentFile}. */
export interface SegmentFileOptions {
  readonly model: Model;
  readonly predict: MeshPredictor;
  /** Also write COLOR_0 with the label palette. */
  readonly colors: boolean;
  /** Recorded in the output's root extras (labelling-stamp.ts). */
  readonly stamp: LabellingStamp;
}

/**
 * Reads a scan, labels it and writes it as glTF (atomically; the input is only read). Failures
 * become an `error` row with the error's code, never an exception, so a batch goes on.
 */
export async function segmentFile(job: FileJob, options: SegmentFileOptions): Promise<FileResult> {
  const start = performance.now();
  try {
    const document = await loadDocument(job.input);
    const found: SegmentResult[] = [];
    await document.transform(segment({ model: options.model, predict: options.predict, colors: options.colors, file: job.input, onSegmented: (r) => found.push(r) }));
    stampDocument(document, options.stamp);
    await mkdir(dirname(job.output), { recursive: true });
    await writeGltfFile(document, job.output);
    const { vertices, labelCounts } = found[0]!;
    return { input: job.input, output: job.output, status: 'ok', vertices, ms: performance.now() - start, labelCounts };
  } catch (error) {
    return failedFile(job, error, performance.now() - start);
  }
}

/** An `error` row for a job: the error's own code (MeshError, ModelFileError, WORKER_CRASHED), `WRITE_FAILED` or `FAILED`. */
export function failedFile(job: FileJob, error: unknown, ms: number): FileResult {
  const message = error instanceof Error ? error.message : String(error);
  const own = (error as { code?: unknown } | null)?.code;
  const code = error instanceof FileError || (typeof own === 'string' && /^[A-Z_]+$/.test(own)) ? String(own)
    : /: cannot write \(/.test(message) ? 'WRITE_FAILED' : 'FAILED';
  return { input: job.input, output: job.output, status: 'error', error: { code, message }, vertices: 0, ms, labelCounts: {} };
}
