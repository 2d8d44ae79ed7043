import { mkdir, realpath, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBackend, parsePredictionOptions, predictionHelp } from '../backend.js';
import { BatchProgress, fileLine } from '../batch/batch-progress.js';
import { collectInputs, type BatchInput } from '../batch/collect-inputs.js';
import { SegmentPool } from '../batch/segment-pool.js';
import { writeFailureReason, type FileJob, type FileResult } from '../batch/segment-file.js';
import { hasStamp, labellingStamp, STAMP_KEY, type LabellingStamp } from '../batch/labelling-stamp.js';
import { inShard, parseShard } from '../batch/shard.js';
import { UsageError, type Command } from '../command.js';
import { BUNDLED_MODEL, readModelFile } from '../load-model.js';
import { formatError } from '../report-error.js';
import { FileError } from '../../../core/mesh/file-error.js';
import { decodeModel } from '../../../core/model/model.js';
import { writeFileAtomic } from '../write-file-atomic.js';

const HELP = `Usage: erlangen segment <inputs…> -o <dir> [options]

Labels every vertex of scans (glTF/GLB, OBJ, PLY, OFF) and writes each as glTF with the labels
in _FEATURE_ID_0 (EXT_mesh_features; the first free _FEATURE_ID_n if the input uses that one)
and the label names in EXT_structural_metadata; everything else in a glTF input (materials,
textures, nodes, extensions, compression) is kept; textures whose image files cannot be read
are left out, said on stderr and listed in the output's extras (erlangenMissingImages). OBJ,
PLY and OFF inputs become GLB. Inputs are files, folders (searched recursively) and glob
patterns; each <name>.<ext> becomes <dir>/<name>.glb, keeping its sub-folder under a folder
input.

A file named on the command line is always segmented. A folder or glob search takes regular
files (and links to them) with a scan extension, and leaves out the glTF files inside <dir>
that segment wrote (they carry ${STAMP_KEY} in their extras), so a rerun never segments its
own outputs; it says how many it left out, and the report lists them.

Inputs are never modified: an output that would replace an input is an error (OUTPUT_IS_INPUT),
and outputs are written to a temporary file and renamed. An output is skipped when it is newer
than its input and was labelled with the same model file, --passes, --smooth and --colors
(recorded in its glTF extras as ${STAMP_KEY}), so an interrupted run resumes and a run with
other settings redoes it. A bad file is reported and the others go on. Exit code: 0 when every
file was written or skipped, 1 when any failed, 2 for usage errors.

Options:
  -o, --out <dir>      output folder (or one .glb/.gltf file for a single input; a .gltf's
                       .bin and images are named after it)
  --model <file>       model file (default: the bundled body-part model)
  --backend <name>     cpu, webgpu, onnx (onnxruntime-node) or auto (default: WebGPU on a
                       hardware adapter, else cpu, saying why)
${predictionHelp(23)}
  --workers <n>        files segmented in parallel (default: the number of cores)
  --colors             also write COLOR_0 with the label palette
  --report <file>      write a JSON report of every file (its folder is made if need be)
  --force              redo outputs that are up to date
  --shard <i/n>        only the i-th of n disjoint slices of the inputs (0-based), for batch
                       schedulers that spread a collection over machines
  --quiet              print nothing but errors
  --verbose            also print the stack trace of each error

Examples:
  erlangen segment samples/scans/smpl-human/human_man.obj -o labeled/
  erlangen segment scans/ 'more/**/*.glb' -o labeled/ --workers 4 --report labeled/report.json
  erlangen segment scans/ -o labeled/ --shard $JOB_COMPLETION_INDEX/16
  erlangen segment scans/ -o labeled/ --passes 4
`;

/** The report `--report` writes. */
export interface BatchReport {
  /** One row per input, in path order; an error's stack is not in it. */
  readonly files: FileResult[];
  /** Files a folder or glob search found inside the output folder and left out: segment wrote them. */
  readonly leftOut: string[];
  readonly model: string;
  readonly backend: string;
  /** The passes and smoothing every file was labelled with (--passes, --smooth). */
  readonly prediction: { readonly passes: number; readonly smoothing: number };
  readonly totalMs: number;
}

/** `erlangen segment`: labelled glTF for every input, in parallel, resumable, with a report. */
export const segmentCommand: Command = {
  name: 'segment',
  summary: 'label every vertex of scans and write them as glTF',
  help: HELP,
  async run(args, io) {
    const options = parseOptions(args);
    const start = performance.now();
    // Decoded here once, so a bad model file is reported with its code before any worker starts.
    const { bytes: modelBytes, file: modelFile } = await readModelFile(options.model);
    decodeModel(modelBytes, modelFile);
    const stamp = labellingStamp(modelBytes, options.prediction, options.colors);
    const collected = await collectInputs(options.inputs, options.singleFile ? undefined : options.out);
    const { leftOut } = collected;
    const inputs = collected.inputs.filter((input) => !options.shard || inShard(input.relative, options.shard));
    if (inputs.length === 0 && !options.shard) throw new UsageError(`no scans found in ${options.inputs.join(', ')}${leftOut.length > 0 ? ` (${leftOutNote(leftOut, options.out)})` : ''}`);
    if (options.singleFile && inputs.length > 1) throw new UsageError(`-o ${options.out} names one file, but ${inputs.length} inputs were given; pass a folder`);
    if (leftOut.length > 0 && !options.quiet) io.stderr(`erlangen: ${leftOutNote(leftOut, options.out)}\n`);

    // Every input, not only this shard's: no output may replace an input another machine reads.
    const inputAt = await inputIdentities(collected.inputs);
    const reportOver = options.report === undefined ? undefined : (await fileIdentities(options.report)).map((id) => inputAt.get(id)).find((path) => path !== undefined);
    if (reportOver !== undefined) throw new UsageError(`--report ${options.report} is the input ${reportOver}, and inputs are never modified; write the report elsewhere`);
    const results = new Map<string, FileResult>();
    const jobs = await planJobs(inputs, inputAt, options.out, options.singleFile, results);
    const pending: FileJob[] = [];
    for (const job of jobs) {
      if (!options.force && await isUpToDate(job, stamp)) results.set(job.input, { ...job, status: 'skipped', vertices: 0, ms: 0, labelCounts: {} });
      else pending.push(job);
    }

    const progress = new BatchProgress(inputs.length);
    const terminal = process.stderr.isTTY === true && !options.quiet;
    const show = (result: FileResult) => {
      progress.add(result);
      if (result.status === 'error') io.stderr(`${terminal ? '\r\x1b[K' : ''}${formatError(result.error!, io.verbose ?? false)}`);
      else if (!options.quiet && !terminal) io.stdout(`${fileLine(result)}\n`);
      // A written file that lost textures is not an error, but it must not pass unnoticed.
      if (result.missingImages && !options.quiet) {
        io.stderr(`${terminal ? '\r\x1b[K' : ''}erlangen: ${result.input}: image files ${result.missingImages.join(', ')} could not be read; written without those textures\n`);
      }
      if (terminal) io.stderr(`\r${progress.line()}\x1b[K`);
    };
    for (const result of results.values()) show(result);

    let backend = 'none';
    if (pending.length > 0) {
      const pool = await SegmentPool.start(Math.min(options.workers, pending.length), { modelBytes, modelFile, backend: options.backend, prediction: options.prediction, colors: options.colors, stamp });
      backend = pool.backend.backend;
      if (pool.backend.fallback && !options.quiet) io.stderr(`${terminal ? '\r\x1b[K' : ''}erlangen: using the ${backend} backend: ${pool.backend.fallback}\n`);
      try {
        await pool.run(pending, (result) => {
          results.set(result.input, result);
          show(result);
        });
      } finally {
        await pool.close();
      }
    }
    if (terminal) io.stderr('\n');
    if (!options.quiet) {
      io.stdout(`${progress.ok} written, ${progress.skipped} skipped, ${progress.failed} failed in ${(progress.elapsed).toFixed(1)} s (${backend} backend)\n`);
    }
    if (options.report) {
      const report: BatchReport = {
        files: inputs.map((input) => withoutStack(results.get(input.path)!)),
        leftOut,
        model: options.model ?? BUNDLED_MODEL,
        backend,
        prediction: options.prediction,
        totalMs: performance.now() - start,
      };
      await writeReport(options.report, report);
    }
    return progress.failed > 0 ? 1 : 0;
  },
};

interface SegmentOptions {
  inputs: string[];
  out: string;
  singleFile: boolean;
  model: string | undefined;
  backend: ReturnType<typeof parseBackend>;
  prediction: ReturnType<typeof parsePredictionOptions>;
  workers: number;
  colors: boolean;
  report: string | undefined;
  force: boolean;
  shard: ReturnType<typeof parseShard> | null;
  quiet: boolean;
}

function parseOptions(args: string[]): SegmentOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' }, model: { type: 'string' }, backend: { type: 'string' }, workers: { type: 'string' },
        passes: { type: 'string' }, smooth: { type: 'string' },
        colors: { type: 'boolean' }, report: { type: 'string' }, force: { type: 'boolean' }, shard: { type: 'string' }, quiet: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('segment needs at least one input');
  if (!values.out) throw new UsageError('segment needs -o <dir>');
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers '${values.workers}': expected a whole number ≥ 1`);
  return {
    inputs: positionals,
    out: values.out,
    singleFile: /\.(glb|gltf)$/i.test(values.out),
    model: values.model,
    backend: parseBackend(values.backend),
    prediction: parsePredictionOptions(values.passes, values.smooth),
    workers,
    colors: values.colors ?? false,
    report: values.report,
    force: values.force ?? false,
    shard: values.shard === undefined ? null : parseShard(values.shard),
    quiet: values.quiet ?? false,
  };
}

// `<out>/<sub-folder>/<name>.glb` per input; an output landing on another's, or replacing any input, is an error row, never an overwrite.
async function planJobs(inputs: readonly BatchInput[], inputAt: ReadonlyMap<string, string>, out: string, singleFile: boolean, results: Map<string, FileResult>): Promise<FileJob[]> {
  const taken = new Map<string, string>();
  const jobs: FileJob[] = [];
  for (const input of inputs) {
    const output = singleFile ? out : join(out, `${input.relative.slice(0, input.relative.length - extname(input.relative).length)}.glb`);
    const replaced = (await fileIdentities(output)).map((id) => inputAt.get(id)).find((path) => path !== undefined);
    const first = taken.get(output);
    let error: { code: string; message: string } | null = null;
    if (replaced !== undefined) {
      const what = replaced === input.path ? 'this input itself' : `the input ${replaced}`;
      error = { code: 'OUTPUT_IS_INPUT', message: `${input.path}: its output ${output} is ${what}, and inputs are never modified; write the outputs to another folder or file` };
    } else if (first !== undefined) {
      error = { code: 'OUTPUT_COLLISION', message: `${input.path}: would be written to ${output}, like ${first}; rename one of them or segment them into different folders` };
    }
    if (error) {
      results.set(input.path, { input: input.path, output, status: 'error', error, vertices: 0, ms: 0, labelCounts: {} });
      continue;
    }
    taken.set(output, input.path);
    jobs.push({ input: input.path, output });
  }
  return jobs;
}

// The path of the input behind each identity (fileIdentities) of every input.
async function inputIdentities(inputs: readonly BatchInput[]): Promise<Map<string, string>> {
  const inputAt = new Map<string, string>();
  for (const [i, ids] of (await Promise.all(inputs.map((input) => fileIdentities(input.path)))).entries()) {
    for (const id of ids) if (!inputAt.has(id)) inputAt.set(id, inputs[i]!.path);
  }
  return inputAt;
}

// One file under any name: its real path (through links), and its device and inode (shared by hard links).
async function fileIdentities(path: string): Promise<string[]> {
  const [real, info] = await Promise.all([realpath(path).catch(() => null), stat(path, { bigint: true }).catch(() => null)]);
  const ids = real === null ? [] : [`path ${real}`];
  // Some file systems report inode 0 for every file; that says nothing.
  if (info !== null && info.ino !== 0n) ids.push(`inode ${info.dev}:${info.ino}`);
  return ids;
}

// Up to date: the output was written after the input last changed (equal times are not after), by this model with these options.
async function isUpToDate(job: FileJob, stamp: LabellingStamp): Promise<boolean> {
  const [input, output] = await Promise.all([stat(job.input).catch(() => null), stat(job.output).catch(() => null)]);
  return input !== null && output !== null && output.mtimeMs > input.mtimeMs && await hasStamp(job.output, stamp);
}

// `left out 3 files inside labeled that segment wrote (labeled/a.glb, …)`.
function leftOutNote(leftOut: readonly string[], out: string): string {
  const files = leftOut.length === 1 ? '1 file' : `${leftOut.length} files`;
  return `left out ${files} inside ${out} that segment wrote (${leftOut[0]}${leftOut.length > 1 ? ', …' : ''}); name a file to segment it anyway`;
}

// The report keeps code and message; a stack is for --verbose on the terminal.
function withoutStack(result: FileResult): FileResult {
  if (!result.error?.stack) return result;
  const { stack: _, ...error } = result.error;
  return { ...result, error };
}

// Its folder is made first: with every file failed, or an empty shard, the output folder may not exist.
async function writeReport(path: string, report: BatchReport): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new FileError('WRITE_FAILED', path, `cannot write the report (${await writeFailureReason(path, error)})`, { cause: error });
  }
}
