import { describe, expect, it } from 'vitest';
import { fieldWidth, type FieldShape } from '../../../../core/model/layers/feature-layout.js';
import { Pooling, Unpooling } from '../../../../core/model/layers/pooling.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { dot, expectGradient, randomAngles, randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

const SHAPE: FieldShape = { channels: 3, maxOrder: 2 };

function setup(seed: number) {
  const random = seededRandom(seed);
  const fine = 20, coarse = 6;
  // Coarse vertex 5 has no children: pooling gives 0 there.
  const parent = new Uint32Array(fine).map((_, f) => (f < 5 ? f : Math.floor(random() * 5)));
  const transport = randomAngles(fine, random);
  return { random, fine, coarse, parent, transport };
}

describe('Pooling and Unpooling', () => {
  it('pool the transported mean and unpool the transported parent value', () => {
    const { random, fine, coarse, parent, transport } = setup(300);
    const W = fieldWidth(SHAPE), x = randomArray(fine * W, random);
    const pooled = new Float32Array(coarse * W);
    new Pooling(parent, transport, coarse).forward(SHAPE, x, pooled);
    const expected = new Float64Array(coarse * W), count = new Float64Array(coarse);
    for (let f = 0; f < fine; f++) {
      const moved = rotateField(x.slice(f * W, (f + 1) * W), SHAPE, [transport[f]!], 1);
      for (let i = 0; i < W; i++) expected[parent[f]! * W + i] += moved[i]!;
      count[parent[f]!]++;
    }
    for (let c = 0; c < coarse; c++) for (let i = 0; i < W; i++) expected[c * W + i] /= Math.max(1, count[c]!);
    expect(relativeError(pooled, expected)).toBeLessThan(1e-6);
    const back = new Float32Array(fine * W);
    new Unpooling(parent, transport, coarse).forward(SHAPE, pooled, back);
    for (let f = 0; f < fine; f++) {
      const carried = rotateField(back.slice(f * W, (f + 1) * W), SHAPE, [transport[f]!], 1);
      expect(relativeError(carried, pooled.subarray(parent[f]! * W, (parent[f]! + 1) * W))).toBeLessThan(1e-6);
    }
  });

  it('are gauge-equivariant under gauge changes of both levels', () => {
    const { random, fine, coarse, parent, transport } = setup(310);
    const W = fieldWidth(SHAPE), phiFine = randomAngles(fine, random), phiCoarse = randomAngles(coarse, random);
    const moved = transport.map((g, f) => g + phiFine[f]! - phiCoarse[parent[f]!]!);
    const x = randomArray(fine * W, random), y = randomArray(coarse * W, random);
    const pooled = new Float32Array(coarse * W), pooledMoved = pooled.slice();
    new Pooling(parent, transport, coarse).forward(SHAPE, x, pooled);
    new Pooling(parent, moved, coarse).forward(SHAPE, rotateField(x.slice(), SHAPE, phiFine, -1), pooledMoved);
    // float32 angles and rounding.
    expect(relativeError(pooledMoved, rotateField(pooled, SHAPE, phiCoarse, -1))).toBeLessThan(1e-5);
    const up = new Float32Array(fine * W), upMoved = up.slice();
    new Unpooling(parent, transport, coarse).forward(SHAPE, y, up);
    new Unpooling(parent, moved, coarse).forward(SHAPE, rotateField(y.slice(), SHAPE, phiCoarse, -1), upMoved);
    expect(relativeError(upMoved, rotateField(up, SHAPE, phiFine, -1))).toBeLessThan(1e-5);
  });

  it('have exact gradients (and serve fields of several band limits)', () => {
    for (const shape of [SHAPE, { channels: 2, maxOrder: 1 }, { channels: 1, maxOrder: 3 }]) {
      const { random, fine, coarse, parent, transport } = setup(320);
      const W = fieldWidth(shape), pool = new Pooling(parent, transport, coarse), unpool = new Unpooling(parent, transport, coarse);
      const x = randomArray(fine * W, random), pooled = new Float32Array(coarse * W), wp = randomArray(coarse * W, random);
      const gx = new Float32Array(fine * W);
      pool.backward(shape, wp, gx);
      // Linear layers: central differences exact up to float32 rounding.
      expectGradient(x, () => { pool.forward(shape, x, pooled); return dot(pooled, wp); }, gx, 1e-2, 1e-4);
      const y = randomArray(coarse * W, random), up = new Float32Array(fine * W), wu = randomArray(fine * W, random);
      const gy = new Float32Array(coarse * W).fill(3);
      unpool.backward(shape, wu, gy);
      expectGradient(y, () => { unpool.forward(shape, y, up); return dot(up, wu); }, gy, 1e-2, 1e-4);
    }
  });
});
