import { parseArgs } from 'node:util';
import { loadSourceMesh } from '../../../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { computeGaugeGeometry } from '../../../core/geometry/compute-gauge-geometry.js';
import { SegmentationMetrics, type SegmentationResult } from '../../../core/model/metrics.js';
import { labelsOfMeshVertices, labelsOfSourceVertices } from '../../../core/model/predict.js';
import type { Model } from '../../../core/model/model.js';
import { createPredictor, parseBackend, parsePredictionOptions, predictionHelp, type Predictor } from '../backend.js';
import { UsageError, type Command, type CommandIO } from '../command.js';
import { listLabeledDataset, readVertexLabels } from '../dataset.js';
import { loadModelFile } from '../load-model.js';
import { parseRetriangulation, retriangulate, type Retriangulation } from '../retriangulation.js';
import { transferVertexData } from '../../../core/mesh/retriangulate.js';

const HELP = `Usage: erlangen eval --data <dir> [--match <regex>] [--model <file>] [--backend cpu|webgpu|onnx|auto]
                     [--passes <n>] [--smooth <t>] [--retriangulate <how>] [--json]

Segments every mesh of a labelled data folder (meshes with <stem>.labels.txt and a labels.json,
as for train) and scores the predictions. Labels are predicted on the welded mesh and mapped
back to every vertex of the file, where they are compared.

Options:
  --data <dir>     labelled data folder (repeatable)
  --match <regex>  only the meshes whose stem matches (e.g. a validation split)
  --model <file>   model file (default: the bundled body-part model)
  --backend <name> where the network runs: cpu (default, the reference), webgpu, onnx
                   (onnxruntime-node) or auto (WebGPU on a hardware adapter, else cpu)
${predictionHelp(19)}
  --retriangulate <how>
                   score on re-triangulated copies instead, to measure robustness to meshing:
                   simplify:<vertices>, isotropic:<vertices>, remesh:<voxels along the longest
                   side, 4–256>, refine:<levels>; true labels go to each new vertex from the
                   input vertex it came from (nearest for remesh), and scores count new vertices
  --json           print one JSON object: accuracy, areaWeightedAccuracy, meanIoU,
                   perClass (name, iou, accuracy), confusion (vertex counts, rows: true
                   class, columns: predicted), meshes, vertices

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
    const model = await loadModelFile(v.model);
    const predictor = await createPredictor(backend, prediction);
    if (predictor.fallback) io.stderr(`erlangen: using the cpu backend: ${predictor.fallback}\n`);
    try {
      return await evaluate(v.data, match, how, model, predictor, v.json ?? false, io);
    } finally {
      await predictor.dispose();
    }
  },
};

// Predicts every (optionally re-triangulated) mesh of the folders and accumulates the scores.
async function evaluate(dirs: string[], match: RegExp | null, how: Retriangulation, model: Model, predictor: Predictor, json: boolean, io: CommandIO): Promise<number> {
  const metrics = new SegmentationMetrics(model.labels.length);
  for (const dir of dirs) {
    const dataset = await listLabeledDataset(dir);
    if (JSON.stringify(dataset.labels) !== JSON.stringify(model.labels)) {
      throw new Error(`${dataset.labelsFile}: labels [${dataset.labels.join(', ')}] differ from the model's [${model.labels.join(', ')}].`);
    }
    const items = dataset.items.filter((item) => !match || match.test(item.stem));
    for (const [i, item] of items.entries()) {
      io.stderr(`\reval ${dir}: ${i + 1}/${items.length} ${item.stem}\x1b[K`);
      const source = await loadSourceMesh(item.mesh);
      const truth = await readVertexLabels(item.labels, source.positions.length / 3, model.labels.length);
      const mesh = prepareMesh(source);
      const changed = await retriangulate(mesh, how);
      if (changed) {
        const geometry = computeGaugeGeometry(changed.mesh);
        const changedTruth = transferVertexData(changed.origin, labelsOfMeshVertices(mesh, truth));
        metrics.add((await predictor.predict(model, changed.mesh, geometry)).labels, changedTruth, geometry.vertexAreas);
        continue;
      }
      const geometry = computeGaugeGeometry(mesh);
      const predicted = labelsOfSourceVertices(mesh, (await predictor.predict(model, mesh, geometry)).labels);
      metrics.add(predicted, truth, sourceVertexAreas(mesh.sourceToMesh, geometry.vertexAreas));
    }
    io.stderr('\n');
  }
  const result = metrics.result([...model.labels]);
  io.stdout(json ? `${JSON.stringify(result)}\n` : formatResult(result));
  return 0;
}

/** Each file vertex weighs its welded vertex's area, shared among the file vertices welded into it. */
function sourceVertexAreas(sourceToMesh: Uint32Array, areas: Float32Array): Float32Array {
  const copies = new Uint32Array(areas.length);
  for (const v of sourceToMesh) if (v !== 0xffffffff) copies[v]!++;
  return Float32Array.from(sourceToMesh, (v) => (v === 0xffffffff ? 0 : areas[v]! / copies[v]!));
}

function formatResult(r: SegmentationResult): string {
  const percent = (x: number) => (Number.isNaN(x) ? '   –  ' : `${(100 * x).toFixed(2).padStart(6)}%`);
  return [
    `meshes ${r.meshes}, vertices ${r.vertices}`,
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
