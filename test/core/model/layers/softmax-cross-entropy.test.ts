import { describe, expect, it } from 'vitest';
import { invariantPart, invariantPartBackward } from '../../../../core/model/layers/invariant-part.js';
import { softmaxCrossEntropy } from '../../../../core/model/layers/softmax-cross-entropy.js';
import { expectGradient, randomArray, seededRandom } from './layer-test-helpers.js';

describe('softmaxCrossEntropy', () => {
  it('is log K for equal logits and ignores unlabelled vertices', () => {
    const logits = new Float32Array(3 * 4), labels = new Uint8Array([0, 255, 3]);
    expect(softmaxCrossEntropy(logits, labels, 4, null, { ignoreLabel: 255 })).toBeCloseTo(Math.log(4), 6);
    expect(softmaxCrossEntropy(logits, new Uint8Array([255, 255, 255]), 4, null, { ignoreLabel: 255 })).toBe(0);
    expect(() => softmaxCrossEntropy(logits, new Uint8Array([0, 4, 1]), 4, null)).toThrow(/label 4/);
  });

  it('has exact gradients with per-vertex weights', () => {
    const random = seededRandom(600), V = 7, K = 5;
    const logits = randomArray(V * K, random, 3), labels = new Uint32Array([0, 4, 2, 99, 1, 3, 3]);
    const weights = new Float32Array(V).map(() => random() + 0.1), grad = new Float32Array(V * K).fill(9);
    softmaxCrossEntropy(logits, labels, K, grad, { ignoreLabel: 99, weights });
    for (let k = 0; k < K; k++) expect(grad[3 * K + k]).toBe(0);
    // Smooth: eps 1e-3, tolerance for float32 rounding / eps.
    expectGradient(logits, () => softmaxCrossEntropy(logits, labels, K, null, { ignoreLabel: 99, weights }), grad, 1e-3, 2e-3);
  });
});

describe('invariantPart', () => {
  it('extracts ρ0 coefficients and scatters their gradient back', () => {
    const shape = { channels: 2, maxOrder: 1 };
    const field = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), out = new Float32Array(4);
    invariantPart(field, shape, out);
    expect(Array.from(out)).toEqual([1, 4, 7, 10]);
    const grad = new Float32Array(12).fill(5);
    invariantPartBackward(new Float32Array([1, 2, 3, 4]), shape, grad);
    expect(Array.from(grad)).toEqual([1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0]);
  });
});
