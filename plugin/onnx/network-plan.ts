import type { Architecture } from '../../core/model/architecture.js';
import type { FieldShape } from '../../core/model/layers/feature-layout.js';
import type { GemConvSpec } from '../../core/model/layers/gem-conv.js';
import type { SelfInteractionSpec } from '../../core/model/layers/self-interaction.js';
import { Network } from '../../core/model/network.js';

/** Where a step's vertices live: a network level (0 = hierarchy level 1) or the mesh itself. */
export type PlanSite = number | 'mesh';

/** A step's parameters: its slice of the model's flat parameter vector. */
interface ParameterSlice {
  readonly offset: number;
  readonly count: number;
}

/** One inference-time operation of the network; `inputs` index earlier steps. */
export type PlanStep = { readonly site: PlanSite; readonly shape: FieldShape; readonly inputs: readonly number[] } & (
  | { readonly kind: 'input' }
  | ({ readonly kind: 'conv'; readonly spec: Required<GemConvSpec> } & ParameterSlice)
  | ({ readonly kind: 'self'; readonly spec: SelfInteractionSpec } & ParameterSlice)
  | { readonly kind: 'nonlinearity'; readonly samples: number; readonly function: Architecture['nonlinearity'] }
  | { readonly kind: 'add' }
  | { readonly kind: 'concat' }
  | { readonly kind: 'pool'; readonly pool: number }
  | { readonly kind: 'unpool'; readonly pool: number }
);

/**
 * The steps of core/model/network.ts's `Network` in inference mode, read from its graph: the same
 * order and parameter offsets, with dropout (the identity at inference) left out.
 */
export function planNetwork(a: Architecture, inputShape: FieldShape): { steps: PlanStep[]; parameterCount: number } {
  const network = new Network(a, inputShape);
  const steps: PlanStep[] = [];
  // Graph node → step; a dropout node stands for the step of its input.
  const stepOf: number[] = [];
  for (const node of network.graph) {
    const base = { site: node.site, shape: node.shape, inputs: node.inputs.map((i) => stepOf[i]!) };
    const slice: ParameterSlice = { offset: node.parameterOffset, count: node.parameterCount };
    const { op } = node;
    if (op.kind === 'dropout') {
      stepOf.push(base.inputs[0]!);
      continue;
    }
    if (op.kind === 'conv') steps.push({ ...base, kind: 'conv', spec: op.layer.spec, ...slice });
    else if (op.kind === 'self') steps.push({ ...base, kind: 'self', spec: op.layer.spec, ...slice });
    else if (op.kind === 'nonlinearity') steps.push({ ...base, kind: 'nonlinearity', samples: a.samples, function: a.nonlinearity });
    else if (op.kind === 'pool' || op.kind === 'unpool') steps.push({ ...base, kind: op.kind, pool: op.level });
    else steps.push({ ...base, kind: op.kind });
    stepOf.push(steps.length - 1);
  }
  return { steps, parameterCount: network.parameterCount };
}
