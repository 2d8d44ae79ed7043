import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../core/mesh/seeded-random.js';
import { PREPROCESSING_DEFAULTS } from '../../../../core/model/network-input.js';
import { loadSample } from '../../../../plugin/cli/training/load-sample.js';
import { randomStretch, stretchPositions } from '../../../../plugin/cli/training/random-stretch.js';

const apply = (m: readonly number[], v: number[]): number[] => [0, 1, 2].map((i) => m[3 * i]! * v[0]! + m[3 * i + 1]! * v[1]! + m[3 * i + 2]! * v[2]!);
const length = (v: number[]): number => Math.hypot(v[0]!, v[1]!, v[2]!);

describe('randomStretch', () => {
  it('is symmetric and stretches every direction by a factor within [1 / largest, largest], reaching near both ends', () => {
    const random = mulberry32(7);
    let least = Infinity, most = 0;
    for (let trial = 0; trial < 200; trial++) {
      const m = randomStretch(random, 1.15);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(m[3 * i + j]).toBeCloseTo(m[3 * j + i]!, 12);
      for (let d = 0; d < 20; d++) {
        const v = [random() - 0.5, random() - 0.5, random() - 0.5];
        const factor = length(apply(m, v)) / length(v);
        expect(factor).toBeGreaterThanOrEqual(1 / 1.15 - 1e-12);
        expect(factor).toBeLessThanOrEqual(1.15 + 1e-12);
        least = Math.min(least, factor);
        most = Math.max(most, factor);
      }
    }
    expect(least).toBeLessThan(1 / 1.1);
    expect(most).toBeGreaterThan(1.1);
  });

  it('is the identity at largest = 1 and repeats with the seed', () => {
    const m = randomStretch(mulberry32(3), 1);
    m.forEach((x, k) => expect(x).toBeCloseTo(k % 4 === 0 ? 1 : 0, 12));
    expect(randomStretch(mulberry32(5), 1.2)).toEqual(randomStretch(mulberry32(5), 1.2));
  });
});

describe('stretchPositions', () => {
  it('applies the matrix to every point and leaves the input alone', () => {
    const m = randomStretch(mulberry32(11), 1.15);
    const positions = Float64Array.from([1, 2, 3, -4, 0.5, 2, 0, 0, 0]);
    const copy = positions.slice();
    const out = stretchPositions(positions, m);
    expect(positions).toEqual(copy);
    for (let p = 0; p < 3; p++) {
      const expected = apply(m, [...positions.subarray(3 * p, 3 * p + 3)]);
      for (let i = 0; i < 3; i++) expect(out[3 * p + i]).toBeCloseTo(expected[i]!, 12);
    }
  });
});

describe('loadSample with a stretch', () => {
  const spec = { mesh: 'samples/scans/smpl-human/human_man.obj', labels: 'samples/scans/smpl-human/human_man.labels.txt', retriangulation: { kind: 'none' } } as const;

  it('prepares a uniformly scaled body as the body itself (scale invariance) and a stretched one differently', async () => {
    const plain = await loadSample(spec, 8, PREPROCESSING_DEFAULTS);
    const scaled = await loadSample({ ...spec, stretch: [1.1, 0, 0, 0, 1.1, 0, 0, 0, 1.1] }, 8, PREPROCESSING_DEFAULTS);
    const stretched = await loadSample({ ...spec, stretch: randomStretch(mulberry32(2), 1.15) }, 8, PREPROCESSING_DEFAULTS);
    expect(scaled.labels).toEqual(plain.labels);
    expect(stretched.labels).toEqual(plain.labels);
    const largestChange = (a: Float32Array, b: Float32Array) => a.length !== b.length ? Infinity : a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
    // Uniform scale moves only float rounding (features are standardised to a spread of about 1).
    expect(largestChange(scaled.input.features, plain.input.features)).toBeLessThan(1e-4);
    expect(largestChange(stretched.input.features, plain.input.features)).toBeGreaterThan(0.05);
  }, 30_000);
});
