import { parseArgs } from 'node:util';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { SegmentationMetrics, type SegmentationResult } from '../../../core/model/metrics.js';
import { labelsOfMeshVertices, labelsOfSourceVertices } from '../../../core/model/predict.js';
import { NO_VERTEX } from '../../../core/mesh/mesh.js';
import type { Model } from '../../../core/model/model.js';
import { createPredictor, parseBackend, parsePredictionOptions, predictionHelp, type Predictor } from '../backend.js';
import { UsageError, type Command, type CommandIO } from '../command.js';
import { listLabeledDataset, readVertexLabels, type LabeledDataset } from '../dataset.js';
import { loadModelFile } from '../load-model.js';
import { parseRetriangulation, REFINE_LEVELS, REMESH_RESOLUTION, retriangulate, SIMPLIFY_VERTICES, type Retriangulation } from '../retriangulation.js';
import { transferVertexData } from '../../../core/mesh/retriangulate.js';

const HELP = `Usage: erlangen eval --data <dir> [--match <regex>] [--model <file>] [--backend cpu|webgpu|onnx|auto]
                     [--passes <n>] [--smooth <t>] [--retriangulate <how>] [--json]

Segments every mesh of a labelled data folder (meshes with <stem>.labels.txt and a labels.json,
as for train) and scores the predictions. Labels are predicted on the welded mesh and mapped
back to every vertex of the file, where they are compared; a vertex that mesh repair dropped
(in no face, or only in degenerate ones) gets no prediction and counts as wrong. Progress goes
to stderr: one updating line on a terminal, else a line per mesh.

Options:
  --data <dir>     labelled data folder (repeatable)
  --match <regex>  only the meshes whose stem matches (e.g. a validation split)
  --model <file>   model file (default: the bundled body-part model)
  --backend <name> where the network runs: cpu (default, the reference), webgpu, onnx
                   (onnxruntime-node) or auto (WebGPU on a hardware adapter, else cpu)
${predictionHelp(19)}
  --retriangulate <how>
                   score on re-triangulated copies instead, to measure robustness to meshing:
                   simplify:<vertices> or isotropic:<vertices> (quadric simplification, plain
                   or with even triangles; ${SIMPLIFY_VERTICES.min} or more), remesh:<voxels along the longest
                   side, ${REMESH_RESOLUTION.min}–${REMESH_RESOLUTION.max}>, refine:<levels of midpoint subdivision, ${REFINE_LEVELS.min}–${REFINE_LEVELS.max}>; true labels
                   go to each new vertex from the input vertex it came from (nearest for
                   remesh), and scores count new vertices
  --json           print one JSON object: accuracy, areaWeightedAccuracy, meanIoU,
                   perClass (name, iou, accuracy), confusion (vertex counts, rows: true
                   class, columns: predicted; vertices without a prediction are in no
                   column), meshes, vertices (every labelled vertex, also those without a
                   prediction)

Example:
  erlangen eval --data ../shared/data/faust-parts/train-refined --match 'tr_reg_07[0-9]' --json
  erlangen eval --data samples/scans/smpl-human --retriangulate remesh:128
  erlangen eval --data ../shared/data/faust-parts/train --match 'tr_reg_07[0-9]' --passes 4 --smooth 1
`;

/** `erlangen eval`: accuracy, area-weighted accuracy and IoU of a model on labelled meshes. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'score a model on labelled meshes: accuracy, IoU per class',
  help: HELP,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { data: { type: 'string', multiple: true }, model: { type: 'string' }, backend: { type: 'string' }, retriangulate: { type: 'string' }, match: { type: 'string' }, json: { type: 'boolean' }, passes: { type: 'string' }, smooth: { type: 'string' } } });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const v = parsed.values;
    if (!v.data || v.data.length === 0) throw new UsageError('eval needs --data <dir>');
    const backend = parseBackend(v.backend ?? 'cpu');
    const how = parseRetriangulation(v.retriangulate ?? 'none');
    const prediction = parsePredictionOptions(v.passes, v.smooth);
    let match: RegExp | null = null;
    try {
      match = v.match ? new RegExp(v.match) : null;
    } catch (error) {
      throw new UsageError(`--match: ${(error as Error).message}`);
    }
    const folders = await listFolders(v.data, match, v.match);
    const model = await loadModelFile(v.model);
    for (const { dataset } of folders) {
      if (JSON.stringify(dataset.labels) !== JSON.stringify(model.labels)) {
        throw new Error(`${dataset.labelsFile}: labels [${dataset.labels.join(', ')}] differ from the model's [${model.labels.join(', ')}].`);
      }
    }
    const predictor = await createPredictor(backend, prediction);
    if (predictor.fallback) io.stderr(`erlangen: using the cpu backend: ${predictor.fallback}\n`);
    try {
      return await evaluate(folders, how, model, predictor, v.json ?? false, io);
    } finally {
      await predictor.dispose();
    }
  },
};

/** A data folder and its meshes that `--match` selects. */
interface SelectedFolder {
  readonly dir: string;
  readonly dataset: LabeledDataset;
  readonly items: LabeledDataset['items'];
}

// Lists every folder before any prediction, so a pattern that selects nothing is a usage error at once.
async function listFolders(dirs: string[], match: RegExp | null, pattern: string | undefined): Promise<SelectedFolder[]> {
  const folders: SelectedFolder[] = [];
  for (const dir of dirs) {
    const dataset = await listLabeledDataset(dir);
    folders.push({ dir, dataset, items: dataset.items.filter((item) => !match || match.test(item.stem)) });
  }
  if (folders.every((folder) => folder.items.length === 0)) {
    const stems = folders.flatMap((folder) => folder.dataset.items.map((item) => item.stem)).sort();
    const present = stems.length === 1 ? `the only stem there is ${stems[0]}` : `stems there run from ${stems[0]} to ${stems[stems.length - 1]}`;
    throw new UsageError(`--match '${pattern}' matches no mesh in ${dirs.join(', ')} (${present})`);
  }
  return folders;
}

// Predicts every (optionally re-triangulated) mesh of the folders and accumulates the scores.
async function evaluate(folders: SelectedFolder[], how: Retriangulation, model: Model, predictor: Predictor, json: boolean, io: CommandIO): Promise<number> {
  const metrics = new SegmentationMetrics(model.labels.length);
  // A rewritten progress line only on a terminal; logs get plain lines without escape codes.
  const terminal = process.stderr.isTTY === true;
  for (const { dir, items } of folders) {
    try {
      for (const [i, item] of items.entries()) {
        const line = `eval ${dir}: ${i + 1}/${items.length} ${item.stem}`;
        io.stderr(terminal ? `\r${line}\x1b[K` : `${line}\n`);
        await scoreMesh(item.mesh, item.labels, how, model, predictor, metrics);
      }
    } catch (error) {
      // The error is printed next: on its own line, not after the progress.
      if (terminal) io.stderr('\r\x1b[K');
      throw error;
    }
    if (terminal && items.length > 0) io.stderr('\n');
  }
  const result = metrics.result([...model.labels]);
  io.stdout(json ? `${JSON.stringify(result)}\n` : formatResult(result));
  return 0;
}

/**
 * Predicts one labelled mesh and adds it to `metrics`. File vertices that repair dropped get the
 * prediction NO_VERTEX, outside the classes: wrong for their true class and in no class's column.
 */
async function scoreMesh(meshFile: string, labelsFile: string, how: Retriangulation, model: Model, predictor: Predictor, metrics: SegmentationMetrics): Promise<void> {
  const source = await loadSourceMesh(meshFile);
  const truth = await readVertexLabels(labelsFile, source.positions.length / 3, model.labels.length);
  const mesh = prepareMesh(source);
  const changed = await retriangulate(mesh, how);
  if (changed) {
    const geometry = computeGaugeGeometry(changed.mesh);
    const changedTruth = transferVertexData(changed.origin, labelsOfMeshVertices(mesh, truth));
    metrics.add((await predictor.predict(model, changed.mesh, geometry)).labels, changedTruth, geometry.vertexAreas);
    return;
  }
  const geometry = computeGaugeGeometry(mesh);
  const predicted = labelsOfSourceVertices(mesh, (await predictor.predict(model, mesh, geometry)).labels, NO_VERTEX);
  metrics.add(predicted, truth, sourceVertexAreas(mesh.sourceToMesh, geometry.vertexAreas));
}

/** Each file vertex weighs its welded vertex's area, shared among the file vertices welded into it. */
function sourceVertexAreas(sourceToMesh: Uint32Array, areas: Float32Array): Float32Array {
  const copies = new Uint32Array(areas.length);
  for (const v of sourceToMesh) if (v !== NO_VERTEX) copies[v]!++;
  return Float32Array.from(sourceToMesh, (v) => (v === NO_VERTEX ? 0 : areas[v]! / copies[v]!));
}

function formatResult(r: SegmentationResult): string {
  const percent = (x: number) => (Number.isNaN(x) ? '   –  ' : `${(100 * x).toFixed(2).padStart(6)}%`);
  // Vertices repair dropped are counted (wrong) but predicted as no class, so in no confusion cell.
  const unpredicted = r.vertices - r.confusion.flat().reduce((sum, count) => sum + count, 0);
  return [
    `meshes ${r.meshes}, vertices ${r.vertices}${unpredicted > 0 ? ` (${unpredicted} dropped by mesh repair: no prediction, counted wrong)` : ''}`,
    `accuracy               ${percent(r.accuracy)}`,
    `area-weighted accuracy ${percent(r.areaWeightedAccuracy)}`,
    `mean IoU               ${percent(r.meanIoU)}`,
    '',
    `${'class'.padEnd(12)}      IoU  accuracy  vertices`,
    ...r.perClass.map((c) => `${c.name.padEnd(12)} ${percent(c.iou)}  ${percent(c.accuracy)}  ${String(c.vertices).padStart(8)}`),
    ...largestConfusions(r),
    '',
  ].join('\n');
}

/** The three largest off-diagonal counts, for where to look first. */
function largestConfusions(r: SegmentationResult): string[] {
  const pairs = r.confusion.flatMap((row, t) => row.map((count, p) => ({ t, p, count }))).filter(({ t, p, count }) => t !== p && count > 0);
  pairs.sort((a, b) => b.count - a.count || a.t - b.t || a.p - b.p);
  if (pairs.length === 0) return [];
  const name = (c: number) => r.perClass[c]!.name;
  return ['', `most confused: ${pairs.slice(0, 3).map(({ t, p, count }) => `${name(t)} as ${name(p)} ${count}`).join(', ')}`];
}
