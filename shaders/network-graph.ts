import type { NetworkNode, NetworkOp, Network, Site } from '../core/model/network.js';

/** Where a node's vertices live: a network level (0 = hierarchy level 1) or the mesh itself. */
export type GraphSite = Site;

/** One operation of the network, as Network.forward runs it. */
export type GraphOp = NetworkOp;

/** A node of the network graph: its op, its input nodes and its parameter slice. */
export type GraphNode = NetworkNode;

/** The nodes of `network` in execution order, so the GPU runs exactly the graph the cpu runs. */
export function networkGraph(network: Network): readonly GraphNode[] {
  return network.graph;
}
