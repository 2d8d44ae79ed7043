import { describe, expect, it } from 'vitest';
import { applyRingWeights, applyRingWeightsBackward, type BlockBuffer, type ProductShape } from '../../../../core/model/layers/gem-conv-products.js';
import { INVARIANT_KERNEL_BYTES, InvariantSimd } from '../../../../core/model/layers/gem-conv-invariant-simd.js';
import { KERNEL_BYTES, SimdProducts } from '../../../../core/model/layers/gem-conv-simd.js';
import { relativeError, seededRandom } from './layer-test-helpers.js';

// The WebAssembly SIMD kernels of GemConv against the JavaScript loops they replace. GemConv's own
// tests (gem-conv.test.ts) run both: even input widths take the kernels, odd ones the loops.

const ROW_BLOCK = 4;
const SHAPES: ProductShape[] = [
  { inWidth: 40, outChannels: 8, outOrders: 2, rings: 3, rowStride: 4 * 5 * 40 },
  { inWidth: 12, outChannels: 3, outOrders: 1, rings: 2, rowStride: 3 * 3 * 12 },
  { inWidth: 28, outChannels: 2, outOrders: 3, rings: 1, rowStride: 2 * 7 * 28 },
];
/** Input band limits of SHAPES: 8, 4 and 4 channels. */
const IN_ORDERS = [2, 1, 3];

function fill<T extends BlockBuffer>(array: T, random: () => number): T {
  for (let i = 0; i < array.length; i++) array[i] = 2 * random() - 1;
  return array;
}

describe('GemConv WebAssembly SIMD kernels', () => {
  it('are available in Node 20 (SIMD is on by default since V8 9.1), for the invariant output layer too', () => {
    expect(SimdProducts.create(SHAPES[0]!, ROW_BLOCK, 2)).not.toBeNull();
    expect(InvariantSimd.create({ inChannels: 8, inOrders: 2, outChannels: 16, rings: 3 })).not.toBeNull();
    expect(InvariantSimd.create({ inChannels: 8, inOrders: 2, outChannels: 6, rings: 3 })).toBeNull();
  });

  it('stay under Chrome\'s 4 KiB limit for synchronous compiles on the main thread', () => {
    expect(KERNEL_BYTES.length).toBeLessThan(4096);
    expect(INVARIANT_KERNEL_BYTES.length).toBeLessThan(4096);
  });

  it('decline input widths that are not a multiple of 4 (the kernels take four lanes)', () => {
    expect(SimdProducts.create({ ...SHAPES[1]!, inWidth: 10, rowStride: 3 * 3 * 10 }, ROW_BLOCK, 2)).toBeNull();
  });

  it('apply the ring weights like applyRingWeights, for every block size', () => {
    SHAPES.forEach((shape, s) => {
      const random = seededRandom(700 + s);
      const simd = SimdProducts.create(shape, ROW_BLOCK, IN_ORDERS[s]!)!;
      fill(simd.weights, random);
      fill(simd.acc, random);
      for (let count = 1; count <= ROW_BLOCK; count++) {
        const expected = new Float64Array(simd.rows.length);
        applyRingWeights(shape, simd.weights, simd.acc, count, expected);
        simd.rows.fill(0);
        simd.forward(count);
        const outW = shape.outChannels * (2 * shape.outOrders + 1);
        // Float32 sums of up to 3 · 28 products against float64 ones of the same float32 numbers: rounding only.
        expect(relativeError(simd.rows.subarray(0, count * outW), expected.subarray(0, count * outW))).toBeLessThan(1e-6);
      }
    });
  });

  it('give the weight and aggregate gradients of applyRingWeightsBackward', () => {
    SHAPES.forEach((shape, s) => {
      const random = seededRandom(720 + s);
      const simd = SimdProducts.create(shape, ROW_BLOCK, IN_ORDERS[s]!)!;
      fill(simd.weights, random);
      fill(simd.acc, random);
      fill(simd.gradRows, random);
      const start = fill(new Float64Array(simd.gradWeights.length), random);
      for (const count of [1, 3, ROW_BLOCK]) {
        const gradWeights = start.slice(), gradAcc = new Float64Array(simd.gradAcc.length);
        applyRingWeightsBackward(shape, simd.weights, simd.acc, simd.gradRows, count, gradWeights, gradAcc);
        simd.gradWeights.set(start);
        simd.gradAcc.fill(5);
        simd.backward(count);
        // Float32 against float64 sums of a few products each.
        expect(relativeError(simd.gradWeights, gradWeights)).toBeLessThan(1e-6);
        const used = count * shape.rowStride;
        expect(relativeError(simd.gradAcc.subarray(0, used), gradAcc.subarray(0, used))).toBeLessThan(1e-6);
      }
    });
  });

  it('spread an entry into consecutive slots and gather it back (adjoint pair)', () => {
    const shape = SHAPES[0]!, random = seededRandom(740);
    const simd = SimdProducts.create(shape, ROW_BLOCK, 2)!;
    const inW = shape.inWidth, start = 3 * inW, slots = 7;
    fill(simd.acc, random);
    fill(simd.z, random);
    fill(simd.coef, random);
    const expected = simd.acc.slice();
    for (let j = 0; j < slots; j++) for (let i = 0; i < inW; i++) expected[start + j * inW + i] += simd.coef[j]! * simd.z[i]!;
    simd.spread(start, slots);
    // The kernel rounds each product to float32 before adding it: rounding only.
    expect(relativeError(simd.acc, expected)).toBeLessThan(1e-6);
    fill(simd.gradAcc, random);
    const gradZ = fill(simd.gradZ, random).slice();
    for (let j = 0; j < slots; j++) for (let i = 0; i < inW; i++) gradZ[i] += simd.coef[j]! * simd.gradAcc[start + j * inW + i]!;
    simd.gather(start, slots);
    // Float32 sums of 8 products against float64 ones: rounding only.
    expect(relativeError(simd.gradZ, gradZ)).toBeLessThan(1e-6);
  });
});
