import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBackend, parsePredictionOptions, predictionHelp } from '../backend.js';
import { BatchProgress, fileLine } from '../batch/batch-progress.js';
import { collectInputs, type BatchInput } from '../batch/collect-inputs.js';
import { SegmentPool } from '../batch/segment-pool.js';
import type { FileJob, FileResult } from '../batch/segment-file.js';
import { hasStamp, labellingStamp, STAMP_KEY, type LabellingStamp } from '../batch/labelling-stamp.js';
import { inShard, parseShard } from '../batch/shard.js';
import { UsageError, type Command } from '../command.js';
import { BUNDLED_MODEL, readModelFile } from '../load-model.js';
import { decodeModel } from '../../../core/model/model.js';
import { writeFileAtomic } from '../write-file-atomic.js';

const HELP = `Usage: erlangen segment <inputs…> -o <dir> [options]

Labels every vertex of scans (glTF/GLB, OBJ, PLY, OFF) and writes each as glTF with the labels
in _FEATURE_ID_0 (EXT_mesh_features; the first free _FEATURE_ID_n if the input uses that one)
and the label names in EXT_structural_metadata; everything else in a glTF input (materials,
textures, nodes, extensions, compression) is kept. OBJ, PLY and OFF inputs become GLB. Inputs
are files, folders (searched recursively) and glob patterns; each <name>.<ext> becomes
<dir>/<name>.glb, keeping its sub-folder under a folder input.

Inputs are never modified; outputs are written to a temporary file and renamed. An output is
skipped when it is newer than its input and was labelled with the same model file, --passes and
--smooth (recorded in its glTF extras as ${STAMP_KEY}), so an interrupted run resumes and a
run with other settings redoes it. A bad file is reported and the others go on. Exit code: 0
when every file was written or skipped, 1 when any failed, 2 for usage errors.

Options:
  -o, --out <dir>      output folder (or one .glb/.gltf file for a single input)
  --model <file>       model file (default: the bundled body-part model)
  --backend <name>     cpu, webgpu, onnx (onnxruntime-node) or auto (default: WebGPU on a
                       hardware adapter, else cpu, saying why)
${predictionHelp(23)}
  --workers <n>        files segmented in parallel (default: the number of cores)
  --colors             also write COLOR_0 with the label palette
  --report <file>      write a JSON report of every file
  --force              redo outputs that are up to date
  --shard <i/n>        only the i-th of n disjoint slices of the inputs (0-based), for batch
                       schedulers that spread a collection over machines
  --quiet              print nothing but errors

Examples:
  erlangen segment samples/scans/smpl-human/human_man.obj -o labeled/
  erlangen segment scans/ 'more/**/*.glb' -o labeled/ --workers 4 --report labeled/report.json
  erlangen segment scans/ -o labeled/ --shard $JOB_COMPLETION_INDEX/16
  erlangen segment scans/ -o labeled/ --passes 4 --smooth 1
`;

/** The report `--report` writes. */
export interface BatchReport {
  readonly files: FileResult[];
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
    const stamp = labellingStamp(modelBytes, options.prediction);
    const inputs = (await collectInputs(options.inputs, options.singleFile ? undefined : options.out))
      .filter((input) => !options.shard || inShard(input.relative, options.shard));
    if (inputs.length === 0 && !options.shard) throw new UsageError(`no scans found in ${options.inputs.join(', ')}`);
    if (options.singleFile && inputs.length > 1) throw new UsageError(`-o ${options.out} names one file, but ${inputs.length} inputs were given; pass a folder`);

    const results = new Map<string, FileResult>();
    const jobs = planJobs(inputs, options.out, options.singleFile, results);
    const pending: FileJob[] = [];
    for (const job of jobs) {
      if (!options.force && await isUpToDate(job, stamp)) results.set(job.input, { ...job, status: 'skipped', vertices: 0, ms: 0, labelCounts: {} });
      else pending.push(job);
    }

    const progress = new BatchProgress(inputs.length);
    const terminal = process.stderr.isTTY === true && !options.quiet;
    const show = (result: FileResult) => {
      progress.add(result);
      if (result.status === 'error') io.stderr(`${terminal ? '\r\x1b[K' : ''}erlangen: ${result.error!.message} [${result.error!.code}]\n`);
      else if (!options.quiet && !terminal) io.stdout(`${fileLine(result)}\n`);
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
        files: inputs.map((input) => results.get(input.path)!),
        model: options.model ?? BUNDLED_MODEL,
        backend,
        prediction: options.prediction,
        totalMs: performance.now() - start,
      };
      await writeFileAtomic(options.report, `${JSON.stringify(report, null, 2)}\n`);
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

// `<out>/<sub-folder>/<name>.glb` per input; a second input landing on the same output is an error row, never an overwrite.
function planJobs(inputs: readonly BatchInput[], out: string, singleFile: boolean, results: Map<string, FileResult>): FileJob[] {
  const taken = new Map<string, string>();
  const jobs: FileJob[] = [];
  for (const input of inputs) {
    const output = singleFile ? out : join(out, `${input.relative.slice(0, input.relative.length - extname(input.relative).length)}.glb`);
    const first = taken.get(output);
    if (first !== undefined) {
      const message = `${input.path}: would be written to ${output}, like ${first}; rename one of them or segment them into different folders`;
      results.set(input.path, { input: input.path, output, status: 'error', error: { code: 'OUTPUT_COLLISION', message }, vertices: 0, ms: 0, labelCounts: {} });
      continue;
    }
    taken.set(output, input.path);
    jobs.push({ input: input.path, output });
  }
  return jobs;
}

// Up to date: the output was written after the input last changed, by this model with these options.
async function isUpToDate(job: FileJob, stamp: LabellingStamp): Promise<boolean> {
  const [input, output] = await Promise.all([stat(job.input).catch(() => null), stat(job.output).catch(() => null)]);
  return input !== null && output !== null && output.mtimeMs >= input.mtimeMs && await hasStamp(job.output, stamp);
}
