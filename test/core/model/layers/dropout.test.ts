import { describe, expect, it } from 'vitest';
import { ChannelDropout } from '../../../../core/model/layers/dropout.js';
import { rotateField } from '../../../../core/model/layers/rotate-field.js';
import { randomAngles, randomArray, relativeError, seededRandom } from './layer-test-helpers.js';

const SHAPE = { channels: 4, maxOrder: 2 };

describe('ChannelDropout', () => {
  it('drops whole channels per vertex with probability p and rescales the rest', () => {
    const random = seededRandom(400);
    const layer = new ChannelDropout({ shape: SHAPE, probability: 0.25 });
    const V = 2000, input = randomArray(V * 20, random).map((x) => x + 2), out = new Float32Array(input.length);
    layer.forward(input, out, seededRandom(1), true);
    let dropped = 0;
    for (let ch = 0; ch < V * 4; ch++) {
      const zero = out[ch * 5] === 0;
      if (zero) dropped++;
      for (let i = ch * 5; i < ch * 5 + 5; i++) expect(out[i]).toBeCloseTo(zero ? 0 : input[i]! / 0.75, 5);
    }
    // 8000 Bernoulli(0.25) draws: standard deviation 39, bound at ~5σ.
    expect(Math.abs(dropped - 2000)).toBeLessThan(200);
  });

  it('is the identity outside training and equivariant inside it (same mask)', () => {
    const random = seededRandom(410);
    const layer = new ChannelDropout({ shape: SHAPE, probability: 0.5 });
    const V = 30, input = randomArray(V * 20, random), out = new Float32Array(input.length), moved = out.slice();
    layer.forward(input, out, random, false);
    expect(out).toEqual(input);
    const phi = randomAngles(V, random);
    layer.forward(input, out, seededRandom(5), true);
    layer.forward(rotateField(input.slice(), SHAPE, phi, -1), moved, seededRandom(5), true);
    expect(relativeError(moved, rotateField(out, SHAPE, phi, -1))).toBeLessThan(1e-5);
  });

  it('backward applies the mask of the last forward', () => {
    const random = seededRandom(420);
    const layer = new ChannelDropout({ shape: SHAPE, probability: 0.3 });
    const input = randomArray(10 * 20, random), out = new Float32Array(input.length), grad = new Float32Array(input.length);
    layer.forward(input, out, random, true);
    layer.backward(input, grad); // forward is linear with this mask: backward of x is forward of x
    expect(grad).toEqual(out);
  });
});
