import type { FieldShape } from '../core/model/layers/feature-layout.js';
import type { GemConv } from '../core/model/layers/gem-conv.js';
import type { RegularNonlinearity } from '../core/model/layers/regular-nonlinearity.js';
import type { SelfInteraction } from '../core/model/layers/self-interaction.js';
import type { Network } from '../core/model/network.js';
import { WebGpuError } from './webgpu-error.js';

/** Where a node's vertices live: a network level (0 = hierarchy level 1) or the mesh itself. */
export type GraphSite = number | 'mesh';

/** One operation of the network, as Network.forward runs it. */
export type GraphOp =
  | { kind: 'input' }
  | { kind: 'conv'; layer: GemConv }
  | { kind: 'self'; layer: SelfInteraction }
  | { kind: 'nonlinearity'; layer: RegularNonlinearity }
  | { kind: 'dropout' }
  | { kind: 'add' }
  | { kind: 'concat' }
  | { kind: 'pool'; level: number }
  | { kind: 'unpool'; level: number };

/** A node of the network graph: its op, its input nodes and its parameter slice. */
export interface GraphNode {
  readonly site: GraphSite;
  readonly shape: FieldShape;
  readonly inputs: readonly number[];
  readonly parameterOffset: number;
  readonly parameterCount: number;
  readonly op: GraphOp;
}

const KINDS = new Set(['input', 'conv', 'self', 'nonlinearity', 'dropout', 'add', 'concat', 'pool', 'unpool']);

/**
 * The nodes of `network` in execution order. Network keeps them private; this reads them so the
 * GPU runs exactly the graph the cpu runs, and checks they still have the expected form.
 */
export function networkGraph(network: Network): readonly GraphNode[] {
  const nodes = (network as unknown as { nodes?: GraphNode[] }).nodes;
  let parameters = 0;
  const ok = Array.isArray(nodes) && nodes.every((node, i) => {
    const fits = KINDS.has(node.op?.kind) && node.parameterOffset === parameters && node.inputs.every((j) => j < i) && node.shape !== undefined;
    parameters += node.parameterCount;
    return fits;
  });
  if (!ok || parameters !== network.parameterCount) {
    throw new WebGpuError('INTERNAL', 'the network graph has a form this WebGPU backend does not know (core/model/network.ts changed); `--backend cpu` works.');
  }
  return nodes!;
}
