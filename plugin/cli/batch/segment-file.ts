import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Document } from '@gltf-transform/core';
import { FileError } from '../../../core/mesh/file-error.js';
import { loadDocument } from '../../../core/mesh/load-document.js';
import type { Model } from '../../../core/model/model.js';
import { segment, type MeshPredictor, type SegmentResult } from '../../gltf-transform/segment.js';
import { stampDocument, type LabellingStamp } from './labelling-stamp.js';
import { writeGltfFile, type WrittenGltf } from './write-gltf-file.js';
import { fileInTheWay } from '../write-file-atomic.js';

/** One file of a batch: where it is read from and where its labelled glTF goes. */
export interface FileJob {
  readonly input: string;
  readonly output: string;
}

/** Why a file failed: a message that starts with the input's path, and a stable code. */
export interface FileFailure {
  readonly code: string;
  readonly message: string;
  /** Where it was thrown, with its causes' stacks; printed with --verbose, left out of the report. */
  readonly stack?: string;
}

/** One row of the batch report. */
export interface FileResult {
  readonly input: string;
  readonly output: string;
  readonly status: 'ok' | 'skipped' | 'error';
  readonly error?: FileFailure;
  /** Welded vertices segmented (0 when skipped or failed). */
  readonly vertices: number;
  readonly ms: number;
  /** Welded vertices per label name. */
  readonly labelCounts: Record<string, number>;
  /** Image files of the input that could not be read: the output was written without their textures. */
  readonly missingImages?: readonly string[];
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
 * become an `error` row with the error's code, never an exception, so a batch goes on; any
 * failure to write the output, its folder included, is `WRITE_FAILED` naming the output.
 */
export async function segmentFile(job: FileJob, options: SegmentFileOptions): Promise<FileResult> {
  const start = performance.now();
  try {
    const document = await loadDocument(job.input);
    const found: SegmentResult[] = [];
    await document.transform(segment({ model: options.model, predict: options.predict, colors: options.colors, file: job.input, onSegmented: (r) => found.push(r) }));
    stampDocument(document, options.stamp);
    const { missingImages } = await writeOutput(document, job);
    const { vertices, labelCounts } = found[0]!;
    return { input: job.input, output: job.output, status: 'ok', vertices, ms: performance.now() - start, labelCounts, ...(missingImages.length > 0 ? { missingImages } : {}) };
  } catch (error) {
    return failedFile(job, error, performance.now() - start);
  }
}

/**
 * An `error` row for a job: the error's own code (MeshError, ModelFileError, WORKER_CRASHED,
 * WRITE_FAILED), `IO` for a bare system error, else `FAILED`. The message is prefixed with the
 * input's path when it does not start with it, so every row names its file.
 */
export function failedFile(job: FileJob, error: unknown, ms: number): FileResult {
  const text = error instanceof Error ? error.message : String(error);
  const message = text.startsWith(`${job.input}: `) ? text : `${job.input}: ${text}`;
  const own = (error as { code?: unknown } | null)?.code;
  // A system error's code (ENOENT, EACCES) is the operating system's, not one of ours.
  const code = error instanceof FileError || (typeof own === 'string' && /^[A-Z_]+$/.test(own) && !isSystemError(error)) ? String(own)
    : isSystemError(error) ? 'IO' : 'FAILED';
  const stack = stackWithCauses(error);
  return { input: job.input, output: job.output, status: 'error', error: { code, message, ...(stack ? { stack } : {}) }, vertices: 0, ms, labelCounts: {} };
}

// The output's folder is made here, outside the atomic writer, so its failures are reported like the writer's.
async function writeOutput(document: Document, job: FileJob): Promise<WrittenGltf> {
  try {
    await mkdir(dirname(job.output), { recursive: true });
    return await writeGltfFile(document, job.output);
  } catch (error) {
    throw new FileError('WRITE_FAILED', job.input, `cannot write ${job.output} (${await writeFailureReason(job.output, error)})`, { cause: error });
  }
}

/**
 * Why writing `path` failed, in a few words: `afile is a file, not a folder` when a folder on its
 * path is a file, else the system's words (`EACCES: permission denied`), else the error's message.
 */
export async function writeFailureReason(path: string, error: unknown): Promise<string> {
  const system = systemErrorIn(error);
  if (system === null) return error instanceof Error ? error.message : String(error);
  const inTheWay = system.code === 'EEXIST' || system.code === 'ENOTDIR' ? await fileInTheWay(dirname(path)) : null;
  if (inTheWay !== null) return inTheWay;
  // Node's text is `EACCES: permission denied, open '<temporary file>'`: the words without the call and path.
  return system.message.split(', ')[0]!;
}

// The Node system error (with `syscall`) that is `error` or its cause, if any.
function systemErrorIn(error: unknown): NodeJS.ErrnoException | null {
  for (let e = error; e instanceof Error; e = e.cause) if (isSystemError(e)) return e as NodeJS.ErrnoException;
  return null;
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

// Node's `stack` leaves out `cause`; with --verbose the whole chain is wanted.
function stackWithCauses(error: unknown): string | undefined {
  const stacks: string[] = [];
  for (let e = error; e instanceof Error && stacks.length < 8; e = e.cause) if (e.stack) stacks.push(e.stack);
  return stacks.length > 0 ? stacks.join('\ncaused by: ') : undefined;
}
