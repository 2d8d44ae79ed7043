/** Options of {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyOptions {
  /** Label value of a vertex without a label (it contributes nothing). Default 0xffffffff (no Uint8 or Uint16 label equals it). */
  readonly ignoreLabel?: number;
  /** Per-vertex weights (e.g. vertex area); default 1 each. */
  readonly weights?: Float32Array | Float64Array | null;
}

/**
 * Mean weighted cross-entropy of softmax(logits) against integer labels:
 * L = Σ_v w_v (logsumexp(z_v) − z_v[label_v]) / Σ_v w_v over labelled vertices (0 when none or
 * Σ w = 0). Writes d L / d logits into gradLogits (overwritten; 0 at ignored vertices) unless null.
 * A label ≥ classCount that is not the ignore label throws.
 *
 * @param logits V × classCount, row-major.
 * @param labels one per vertex.
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: Uint8Array | Uint16Array | Uint32Array,
  classCount: number,
  gradLogits: Float32Array | null,
  options: SoftmaxCrossEntropyOptions = {},
): number {
  const ignore = options.ignoreLabel ?? 0xffffffff;
  const weights = options.weights ?? null;
  const V = labels.length;
  if (gradLogits !== null) gradLogits.fill(0, 0, V * classCount);
  let total = 0, weightSum = 0;
  for (let v = 0; v < V; v++) {
    const label = labels[v]!;
    if (label === ignore) continue;
    if (label >= classCount) throw new Error(`softmaxCrossEntropy: label ${label} at vertex ${v} is not below the class count ${classCount}`);
    const w = weights === null ? 1 : weights[v]!;
    if (w === 0) continue;
    const b = v * classCount;
    // Subtract the largest logit so exp cannot overflow.
    let top = -Infinity;
    for (let k = 0; k < classCount; k++) top = Math.max(top, logits[b + k]!);
    let sum = 0;
    for (let k = 0; k < classCount; k++) sum += Math.exp(logits[b + k]! - top);
    total += w * (Math.log(sum) + top - logits[b + label]!);
    weightSum += w;
    if (gradLogits !== null) {
      for (let k = 0; k < classCount; k++) gradLogits[b + k] = (w * Math.exp(logits[b + k]! - top)) / sum;
      gradLogits[b + label] -= w;
    }
  }
  if (weightSum === 0) return 0;
  if (gradLogits !== null) for (let i = 0; i < V * classCount; i++) gradLogits[i] /= weightSum;
  return total / weightSum;
}
