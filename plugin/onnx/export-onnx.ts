import { fieldWidth } from '../../core/model/layers/feature-layout.js';
import type { Model } from '../../core/model/model.js';
import { ConvEmitter } from './emit-conv.js';
import { FieldOpEmitter } from './emit-field-ops.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { planNetwork, type PlanSite } from './network-plan.js';
import { FEATURES, LOGITS, ONNX_IR_VERSION, ONNX_OPSET, poolInputs, siteInputs } from './onnx-inputs.js';
import { OnnxError } from './onnx-error.js';

const NAME = 'exportOnnx';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** Graph name written into the file. */
  graphName?: string;
  /** Written as the model's doc_string. */
  docString?: string;
  /** Where the model came from (a file name), kept in the metadata. */
  source?: string;
}

/** Defaults of {@link ExportOnnxOptions}. */
export const EXPORT_ONNX_DEFAULTS: Required<ExportOnnxOptions> = {
  graphName: 'erlangen-gem-cnn',
  docString: 'Erlangen GEM-CNN (inference). Inputs: padded neighbourhoods per level, pooling maps and level-1 features, as written by onnxFeeds(); output: logits per mesh vertex.',
  source: '',
};

/** What an export produced: the file and what it is made of. */
export interface OnnxExport {
  /** The ModelProto bytes. */
  readonly bytes: Uint8Array;
  /** ONNX op types the graph uses, sorted. */
  readonly opTypes: readonly string[];
  readonly opset: number;
}

/** Declares the graph inputs the network's steps read: features, each site's neighbourhood, each pooling's maps. */
function declareInputs(g: OnnxGraphBuilder, model: Model, sites: readonly PlanSite[], pools: number): void {
  g.input(FEATURES, 'float32', ['level0_vertices', fieldWidth(model.featureShape)]);
  for (const site of sites) {
    const names = siteInputs(site);
    g.input(names.neighbours, 'int32', [names.rows, names.degree]);
    for (const name of [names.radius, names.angle, names.transport]) g.input(name, 'float32', [names.rows, names.degree]);
  }
  for (let k = 0; k < pools; k++) {
    const names = poolInputs(k);
    g.input(names.parent, 'int32', [names.fine]);
    g.input(names.transport, 'float32', [names.fine]);
    g.input(names.children, 'int32', [names.coarse, names.maxChildren]);
    g.input(names.childWeights, 'float32', [names.coarse, names.maxChildren]);
  }
}

/**
 * The whole network of a model, in inference mode, as a standard ONNX graph (opset
 * {@link ONNX_OPSET}): the mesh's geometry tensors are inputs with dynamic vertex and
 * neighbour dimensions (see {@link onnxFeeds}), so one file serves every mesh; the weights are
 * initializers, rearranged into the dense matrices each layer multiplies by.
 * @throws OnnxError `INVALID_MODEL` when the model's parameters do not fit its architecture.
 */
export function exportOnnxGraph(model: Model, options: ExportOnnxOptions = {}): OnnxExport {
  const o = { ...EXPORT_ONNX_DEFAULTS, ...options };
  const a = model.architecture;
  let plan;
  try {
    plan = planNetwork(a, model.featureShape);
  } catch (error) {
    throw new OnnxError('INVALID_MODEL', o.source || NAME, `the model's architecture cannot be built (${(error as Error).message}).`, { cause: error });
  }
  if (plan.parameterCount !== model.parameters.length) {
    throw new OnnxError('INVALID_MODEL', o.source || NAME, `the architecture needs ${plan.parameterCount} parameters, the model holds ${model.parameters.length}; re-save it with this version of erlangen.`);
  }
  if (a.nonlinearity !== 'relu' && a.nonlinearity !== 'silu') {
    throw new OnnxError('INVALID_MODEL', o.source || NAME, `nonlinearity '${String(a.nonlinearity)}' has no ONNX form here (relu or silu).`);
  }
  const g = new OnnxGraphBuilder();
  const levels = a.channels.length;
  const sites: PlanSite[] = [...Array.from({ length: levels }, (_, k) => k), 'mesh'];
  declareInputs(g, model, sites, levels - 1);
  const convs = new ConvEmitter(g), fields = new FieldOpEmitter(g);
  const values: string[] = [];
  for (const step of plan.steps) {
    const x = values[step.inputs[0]!]!;
    const params = 'offset' in step ? model.parameters.subarray(step.offset, step.offset + step.count) : new Float32Array(0);
    switch (step.kind) {
      case 'input': values.push(FEATURES); break;
      case 'conv': values.push(convs.conv(step.site, step.spec, params, x)); break;
      case 'self': values.push(fields.selfInteraction(step.spec, params, x)); break;
      case 'nonlinearity': values.push(fields.nonlinearity(step.shape, step.samples, step.function, x)); break;
      case 'add': values.push(g.op('Add', [x, values[step.inputs[1]!]!], {}, 'residual')); break;
      case 'concat': values.push(g.op('Concat', [x, values[step.inputs[1]!]!], { axis: { i: 1 } }, 'skip')); break;
      case 'pool': values.push(fields.pool(step.pool, plan.steps[step.inputs[0]!]!.shape, x)); break;
      case 'unpool': values.push(fields.unpool(step.pool, step.shape, x)); break;
    }
  }
  const logits = g.op('Identity', [values[values.length - 1]!], {}, LOGITS);
  g.output(logits, 'float32', ['mesh_vertices', a.classes]);
  const metadata: Record<string, string> = {
    'erlangen.labels': JSON.stringify(model.labels),
    'erlangen.architecture': JSON.stringify(a),
    'erlangen.preprocessing': JSON.stringify(model.preprocessing),
    'erlangen.features': JSON.stringify(model.featureShape),
  };
  if (o.source) metadata['erlangen.source'] = o.source;
  const bytes = g.encode({
    graphName: o.graphName,
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    producerName: 'erlangen',
    producerVersion: '0.1.0',
    docString: o.docString,
    metadata,
  });
  return { bytes, opTypes: [...g.opTypes].sort(), opset: ONNX_OPSET };
}

/** The ONNX file of a model: {@link exportOnnxGraph}'s bytes. */
export function exportOnnx(model: Model, options: ExportOnnxOptions = {}): Uint8Array {
  return exportOnnxGraph(model, options).bytes;
}
