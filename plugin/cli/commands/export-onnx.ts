import { parseArgs } from 'node:util';
import { exportOnnxGraph } from '../../onnx/export-onnx.js';
import { UsageError, type Command } from '../command.js';
import { BUNDLED_MODEL, loadModelFile } from '../load-model.js';
import { prepareOutputFile, writeFileAtomic } from '../write-file-atomic.js';

const HELP = `Usage: erlangen export-onnx [--model <file>] -o <model.onnx> [--json]

Writes a model's whole network (inference mode) as a standard ONNX graph (opset 17) that
onnxruntime and other ONNX runtimes load. The graph's inputs are one mesh's geometry tensors
(padded neighbour lists with log-map radius, angle and transport angle per level, pooling maps,
level-1 features) with dynamic vertex and neighbour dimensions, so one file serves every mesh;
the output is 'logits' per mesh vertex. Input names and layout: plugin/onnx/README.md.

Options:
  --model <file>     model file (default: the bundled body-part model ${BUNDLED_MODEL})
  -o, --out <file>   where to write the .onnx file (written atomically; its folder is made if need be)
  --json             print one JSON object: out, bytes, opset, ops

Example:
  erlangen export-onnx -o human-parts.onnx
  erlangen export-onnx --model my-parts.erlm -o my-parts.onnx --json
`;

/** `erlangen export-onnx`: the CLI face of {@link exportOnnxGraph}. */
export const exportOnnxCommand: Command = {
  name: 'export-onnx',
  summary: 'write a model as an ONNX graph for onnxruntime and other ONNX runtimes',
  help: HELP,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { model: { type: 'string' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } } });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { model: modelPath, out, json } = parsed.values;
    if (out === undefined) throw new UsageError('export-onnx needs -o <model.onnx>');
    const model = await loadModelFile(modelPath);
    await prepareOutputFile(out);
    const exported = exportOnnxGraph(model, { source: modelPath ?? BUNDLED_MODEL });
    await writeFileAtomic(out, exported.bytes);
    const summary = { out, bytes: exported.bytes.length, opset: exported.opset, ops: exported.opTypes };
    io.stdout(json ? `${JSON.stringify(summary)}\n` : `${out}: ${summary.bytes} bytes, ONNX opset ${summary.opset}, ops ${summary.ops.join(' ')}\n`);
    return 0;
  },
};
