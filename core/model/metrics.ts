/** Scores of one class over every mesh added. */
export interface ClassMetrics {
  /** The class name. */
  name: string;
  /** Intersection over union: TP / (TP + FP + FN); NaN when the class is in neither truth nor prediction. */
  iou: number;
  /** Recall, TP / (TP + FN): the share of this class's true vertices predicted as it; NaN when absent from truth. */
  accuracy: number;
  /** Vertices whose true label is this class. */
  vertices: number;
}

/** Segmentation scores over every mesh added to a {@link SegmentationMetrics}. */
export interface SegmentationResult {
  /** Correctly labelled vertices over all counted vertices, all meshes pooled. */
  accuracy: number;
  /** Area of correctly labelled vertices over total area (equal to `accuracy` for meshes added without weights). */
  areaWeightedAccuracy: number;
  /** Mean IoU over the classes present in the truth or the prediction. */
  meanIoU: number;
  /** One entry per class, in label order. */
  perClass: ClassMetrics[];
  /** Vertex counts, confusion[true class][predicted class]; predictions outside the classes are in no column. */
  confusion: number[][];
  /** Meshes added. */
  meshes: number;
  /** Vertices counted (those with a true label in [0, K)). */
  vertices: number;
}

/**
 * Accumulates a confusion matrix over meshes, for `erlangen eval` and training reports.
 * Vertices whose true label is outside [0, K) (unlabelled) are not counted; a prediction
 * outside [0, K) counts as wrong for the true class and as no class.
 */
export class SegmentationMetrics {
  /** confusion[truth * K + predicted]: vertex counts. */
  private readonly confusion: Float64Array;
  /** missed[truth]: vertices of that class predicted as no valid class. */
  private readonly missed: Float64Array;
  private correctWeight = 0;
  private totalWeight = 0;
  private meshCount = 0;

  /** @param classCount K, the number of classes. */
  constructor(readonly classCount: number) {
    if (!Number.isInteger(classCount) || classCount < 1) throw new RangeError(`SegmentationMetrics: classCount must be a positive integer, got ${classCount}`);
    this.confusion = new Float64Array(classCount * classCount);
    this.missed = new Float64Array(classCount);
  }

  /**
   * Adds one mesh.
   * @param predicted predicted label per vertex.
   * @param truth true label per vertex; values outside [0, K) are ignored.
   * @param weights per-vertex weight (vertex areas) for the area-weighted accuracy; 1 each when omitted.
   */
  add(predicted: ArrayLike<number>, truth: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const n = truth.length;
    if (predicted.length !== n) throw new RangeError(`SegmentationMetrics: ${predicted.length} predictions for ${n} true labels`);
    if (weights && weights.length !== n) throw new RangeError(`SegmentationMetrics: ${weights.length} weights for ${n} vertices`);
    const k = this.classCount;
    for (let v = 0; v < n; v++) {
      const t = truth[v]!;
      if (!(Number.isInteger(t) && t >= 0 && t < k)) continue;
      const p = predicted[v]!;
      const weight = weights ? weights[v]! : 1;
      this.totalWeight += weight;
      if (p === t) this.correctWeight += weight;
      // Out-of-range predictions land in no column: wrong for the truth, a false positive for no class.
      if (Number.isInteger(p) && p >= 0 && p < k) this.confusion[t * k + p]! += 1;
      else this.missed[t]! += 1;
    }
    this.meshCount++;
  }

  /**
   * Scores so far.
   * @param labelNames class names, length K.
   */
  result(labelNames: readonly string[]): SegmentationResult {
    const k = this.classCount;
    if (labelNames.length !== k) throw new RangeError(`SegmentationMetrics: ${labelNames.length} label names for ${k} classes`);
    let correct = 0;
    let total = 0;
    let iouSum = 0;
    let present = 0;
    const perClass: ClassMetrics[] = [];
    for (let c = 0; c < k; c++) {
      const truePositive = this.confusion[c * k + c]!;
      let trueCount = this.missed[c]!;
      let predictedCount = 0;
      for (let o = 0; o < k; o++) {
        trueCount += this.confusion[c * k + o]!;
        predictedCount += this.confusion[o * k + c]!;
      }
      const union = trueCount + predictedCount - truePositive;
      const iou = union > 0 ? truePositive / union : NaN;
      if (union > 0) {
        iouSum += iou;
        present++;
      }
      correct += truePositive;
      total += trueCount;
      perClass.push({ name: labelNames[c]!, iou, accuracy: trueCount > 0 ? truePositive / trueCount : NaN, vertices: trueCount });
    }
    return {
      accuracy: total > 0 ? correct / total : NaN,
      areaWeightedAccuracy: this.totalWeight > 0 ? this.correctWeight / this.totalWeight : NaN,
      meanIoU: present > 0 ? iouSum / present : NaN,
      perClass,
      confusion: Array.from({ length: k }, (_, t) => Array.from(this.confusion.subarray(t * k, (t + 1) * k))),
      meshes: this.meshCount,
      vertices: total,
    };
  }
}
