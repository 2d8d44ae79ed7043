import type { PlanSite } from './network-plan.js';

/** The ONNX opset the exporter targets (ReduceSum and Unsqueeze take axes as inputs, as since opset 13); onnxruntime ≥ 1.13 runs it. */
export const ONNX_OPSET = 17;

/** The ONNX IR version of opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;

/** Name of the network output: per mesh vertex, `classes` logits. */
export const LOGITS = 'logits';

/** Name of the input features on level-0 vertices. */
export const FEATURES = 'features';

/**
 * A convolution site's neighbourhood as the graph reads it: padded rows (ELL), one row per
 * output vertex and `degree` slots; a padding slot has neighbour 0 and radius +∞ (beyond every
 * ring, so it weighs 0), angle and transport 0.
 */
export interface SiteInputNames {
  /** [rows, degree] int32: the source vertex of each slot. */
  readonly neighbours: string;
  /** [rows, degree] float32: r in the site's spacing (core ConvNeighbourhood.radius). */
  readonly radius: string;
  /** [rows, degree] float32: θ_pq in p's frame. */
  readonly angle: string;
  /** [rows, degree] float32: g_{q→p}. */
  readonly transport: string;
  /** Symbolic dimension names of rows and degree. */
  readonly rows: string;
  readonly degree: string;
}

/** Input names of a site: `level<k>_…` for network level k (hierarchy level k + 1), `output_…` for the mesh. */
export function siteInputs(site: PlanSite): SiteInputNames {
  const prefix = site === 'mesh' ? 'output' : `level${site}`;
  return {
    neighbours: `${prefix}_neighbours`,
    radius: `${prefix}_radius`,
    angle: `${prefix}_angle`,
    transport: `${prefix}_transport`,
    rows: site === 'mesh' ? 'mesh_vertices' : `level${site}_vertices`,
    degree: `${prefix}_degree`,
  };
}

/** Inputs of pooling k (network level k to k + 1). */
export interface PoolInputNames {
  /** [fine] int32: each level-k vertex's parent on level k + 1. */
  readonly parent: string;
  /** [fine] float32: g_{f→parent}. */
  readonly transport: string;
  /** [coarse, maxChildren] int32: each parent's children (padding 0). */
  readonly children: string;
  /** [coarse, maxChildren] float32: 1 / children for a child, 0 for padding. */
  readonly childWeights: string;
  readonly fine: string;
  readonly coarse: string;
  readonly maxChildren: string;
}

/** Input names of pooling k. */
export function poolInputs(pool: number): PoolInputNames {
  return {
    parent: `pool${pool}_parent`,
    transport: `pool${pool}_transport`,
    children: `pool${pool}_children`,
    childWeights: `pool${pool}_child_weights`,
    fine: `level${pool}_vertices`,
    coarse: `level${pool + 1}_vertices`,
    maxChildren: `pool${pool}_max_children`,
  };
}
