import type { Architecture } from '../../core/model/architecture.js';
import type { ConvNeighbourhood } from '../../core/model/layers/conv-neighbourhood.js';
import { fieldWidth, type FieldShape } from '../../core/model/layers/feature-layout.js';
import type { NetworkInput, NetworkPooling } from '../../core/model/network-input.js';
import { OnnxError } from './onnx-error.js';
import { FEATURES, poolInputs, siteInputs } from './onnx-inputs.js';
import type { PlanSite } from './network-plan.js';

/** One input tensor, runtime-neutral: the backend wraps it in the runtime's Tensor without copying. */
export interface OnnxFeedTensor {
  readonly type: 'float32' | 'int32';
  readonly dims: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** Every graph input of an exported model, by name. */
export type OnnxFeeds = Record<string, OnnxFeedTensor>;

/** Writes a CSR neighbourhood into `feeds` as the padded rows of `site`: `degree` slots per row, padding with neighbour 0 and radius +∞. */
export function paddedNeighbourhood(nb: ConvNeighbourhood, site: PlanSite, feeds: OnnxFeeds): void {
  let degree = 1;
  for (let p = 0; p < nb.rowCount; p++) degree = Math.max(degree, nb.offsets[p + 1]! - nb.offsets[p]!);
  const size = nb.rowCount * degree;
  const neighbours = new Int32Array(size);
  // +∞ lies beyond every ring, so a padding slot gets hat weight 0 (the cpu's ring −1).
  const radius = new Float32Array(size).fill(Infinity);
  const angle = new Float32Array(size), transport = new Float32Array(size);
  for (let p = 0; p < nb.rowCount; p++) {
    for (let e = nb.offsets[p]!, slot = p * degree; e < nb.offsets[p + 1]!; e++, slot++) {
      neighbours[slot] = nb.sources[e]!;
      radius[slot] = nb.radius[e]!;
      angle[slot] = nb.angle[e]!;
      transport[slot] = nb.transport[e]!;
    }
  }
  const names = siteInputs(site), dims = [nb.rowCount, degree];
  feeds[names.neighbours] = { type: 'int32', dims, data: neighbours };
  feeds[names.radius] = { type: 'float32', dims, data: radius };
  feeds[names.angle] = { type: 'float32', dims, data: angle };
  feeds[names.transport] = { type: 'float32', dims, data: transport };
}

/** A pooling's parent map, plus each parent's children as padded rows weighted 1 / count. */
function poolingMaps(pooling: NetworkPooling, pool: number, feeds: OnnxFeeds): void {
  const count = new Int32Array(pooling.coarseCount);
  for (let f = 0; f < pooling.parent.length; f++) count[pooling.parent[f]!]!++;
  let maxChildren = 1;
  for (let c = 0; c < count.length; c++) maxChildren = Math.max(maxChildren, count[c]!);
  const children = new Int32Array(pooling.coarseCount * maxChildren);
  const weights = new Float32Array(children.length);
  const filled = new Int32Array(pooling.coarseCount);
  for (let f = 0; f < pooling.parent.length; f++) {
    const c = pooling.parent[f]!, slot = c * maxChildren + filled[c]!++;
    children[slot] = f;
    weights[slot] = 1 / count[c]!;
  }
  const names = poolInputs(pool), fine = [pooling.parent.length], coarse = [pooling.coarseCount, maxChildren];
  feeds[names.parent] = { type: 'int32', dims: fine, data: new Int32Array(pooling.parent.buffer, pooling.parent.byteOffset, pooling.parent.length) };
  feeds[names.transport] = { type: 'float32', dims: fine, data: pooling.transport };
  feeds[names.children] = { type: 'int32', dims: coarse, data: children };
  feeds[names.childWeights] = { type: 'float32', dims: coarse, data: weights };
}

/**
 * The feed tensors of an exported model for one mesh: level-1 features, every site's
 * neighbourhood as padded rows and every pooling's maps, from the same NetworkInput the cpu
 * forward reads. Index arrays are viewed as int32 without copying (vertex counts stay < 2³¹).
 * @throws OnnxError `INPUT_MISMATCH` when the input has fewer levels or other features than the architecture.
 */
export function onnxFeeds(input: NetworkInput, architecture: Architecture, featureShape: FieldShape): OnnxFeeds {
  const levels = architecture.channels.length;
  if (input.levels.length < levels) {
    throw new OnnxError('INPUT_MISMATCH', '<input>', `the model needs ${levels} coarse levels, the input has ${input.levels.length}; prepare it with the model's preprocessing.`);
  }
  if (input.featureShape.channels !== featureShape.channels || input.featureShape.maxOrder !== featureShape.maxOrder) {
    throw new OnnxError('INPUT_MISMATCH', '<input>', `input features have ${input.featureShape.channels} channels of order ≤ ${input.featureShape.maxOrder}, the model expects ${featureShape.channels} of order ≤ ${featureShape.maxOrder}.`);
  }
  const width = fieldWidth(featureShape);
  const feeds: OnnxFeeds = { [FEATURES]: { type: 'float32', dims: [input.features.length / width, width], data: input.features } };
  for (let k = 0; k < levels; k++) paddedNeighbourhood(input.levels[k]!.neighbourhood, k, feeds);
  paddedNeighbourhood(input.output, 'mesh', feeds);
  for (let k = 0; k < levels - 1; k++) poolingMaps(input.pools[k]!, k, feeds);
  return feeds;
}
