import { describe, expect, it } from 'vitest';
import { SegmentationMetrics } from '../../../core/model/metrics.js';

const NAMES = ['a', 'b', 'c'];

describe('SegmentationMetrics', () => {
  it('scores one mesh as computed by hand', () => {
    // truth     0 0 0 1 1 2
    // predicted 0 0 1 1 2 2
    // a: TP 2, FN 1, FP 0 → IoU 2/3, recall 2/3; b: TP 1, FN 1, FP 1 → IoU 1/3, recall 1/2; c: TP 1, FP 1 → IoU 1/2, recall 1.
    const metrics = new SegmentationMetrics(3);
    metrics.add([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2]);
    const result = metrics.result(NAMES);
    expect(result.accuracy).toBeCloseTo(4 / 6, 12);
    expect(result.areaWeightedAccuracy).toBeCloseTo(4 / 6, 12);
    expect(result.meanIoU).toBeCloseTo((2 / 3 + 1 / 3 + 1 / 2) / 3, 12);
    expect(result.perClass.map((c) => c.name)).toEqual(NAMES);
    expect(result.perClass.map((c) => c.iou)).toEqual([2 / 3, 1 / 3, 1 / 2].map((x) => expect.closeTo(x, 12)));
    expect(result.perClass.map((c) => c.accuracy)).toEqual([2 / 3, 1 / 2, 1].map((x) => expect.closeTo(x, 12)));
    expect(result.perClass.map((c) => c.vertices)).toEqual([3, 2, 1]);
    expect(result.confusion).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    expect(result.meshes).toBe(1);
    expect(result.vertices).toBe(6);
  });

  it('pools vertices over meshes, weights by area, and ignores unlabelled vertices', () => {
    const metrics = new SegmentationMetrics(3);
    // Mesh 1: 2 of 3 right; the wrong vertex has most of the area (right area 1 + 1 of 10).
    metrics.add(new Uint32Array([0, 1, 1]), new Uint32Array([0, 1, 0]), new Float32Array([1, 1, 8]));
    // Mesh 2: truth labels 3 and -1 are outside [0, 3) and not counted; 1 of 2 counted right, area 2 of 4.
    metrics.add([2, 0, 1, 1], [2, 3, -1, 0], [2, 5, 5, 2]);
    const result = metrics.result(NAMES);
    expect(result.meshes).toBe(2);
    expect(result.vertices).toBe(5);
    expect(result.accuracy).toBeCloseTo(3 / 5, 12);
    expect(result.areaWeightedAccuracy).toBeCloseTo((1 + 1 + 2) / (10 + 4), 12);
    // a: truth {v0, v2, m2v3}, predicted as a only v0 → TP 1, FN 2, FP 0 → IoU 1/3.
    // b: truth {v1}, predicted b: v1, v2, m2v3 → TP 1, FP 2 → IoU 1/3. c: TP 1 → IoU 1.
    expect(result.perClass.map((c) => c.iou)).toEqual([1 / 3, 1 / 3, 1].map((x) => expect.closeTo(x, 12)));
    expect(result.meanIoU).toBeCloseTo(5 / 9, 12);
  });

  it('averages IoU only over classes in the truth or the prediction', () => {
    const metrics = new SegmentationMetrics(3);
    metrics.add([0, 0, 1], [0, 1, 1]);
    const result = metrics.result(NAMES);
    expect(result.perClass[2]!.iou).toBeNaN();
    expect(result.perClass[2]!.accuracy).toBeNaN();
    expect(result.perClass[2]!.vertices).toBe(0);
    expect(result.meanIoU).toBeCloseTo((1 / 2 + 1 / 2) / 2, 12);
  });

  it('counts a prediction outside the classes as wrong', () => {
    const metrics = new SegmentationMetrics(2);
    metrics.add([0, 7], [0, 1]);
    const result = metrics.result(['a', 'b']);
    expect(result.accuracy).toBe(0.5);
    expect(result.perClass[1]).toEqual({ name: 'b', iou: 0, accuracy: 0, vertices: 1 });
    expect(result.confusion).toEqual([[1, 0], [0, 0]]);
    expect(result.meanIoU).toBeCloseTo(0.5, 12);
  });

  it('is NaN before anything is added and refuses mismatched lengths', () => {
    const metrics = new SegmentationMetrics(2);
    expect(metrics.result(['a', 'b']).accuracy).toBeNaN();
    expect(() => metrics.add([0], [0, 1])).toThrow(RangeError);
    expect(() => metrics.add([0, 1], [0, 1], [1])).toThrow(RangeError);
    expect(() => metrics.result(['a'])).toThrow(RangeError);
    expect(() => new SegmentationMetrics(0)).toThrow(RangeError);
  });
});
