import type { ConvEntries } from './conv-entry-cache.js';
import type { ProductShape } from './gem-conv-products.js';
import { rowKernels } from './gem-conv-simd-rows.js';
import { align16, ensureBytes, placeRegions } from '../../wasm/memory-regions.js';
import { entryRegionSizes, writeEntries, type EntryRegions } from './kernel-memory.js';
import { SLOT_KERNELS } from './slot-kernels.js';
import {
  accumulateF32x4, add, addF32, addF32x4, buildModule, forRange, get, I32, instantiate, int, lazyModule, loadF32, loadF32x4, Locals, mul, mulF32x4,
  set, splatF32x4, storeF32, subF32, subF32x4, sumLanesF32x4, V128, zeroV128, type Code, type WasmFunction,
} from '../../wasm/module-builder.js';

// The dense products of a GEM convolution (gem-conv-products.ts and GemConv's backward) as
// WebAssembly with four f32 lanes per instruction: the sums of the JavaScript loops, in float32
// and grouped in lanes. Each convolution owns a memory holding its weights, aggregates and row
// buffers, which the JavaScript code reads and writes through Float32Array views.

// Parameter numbers shared by both kernels (all i32; sizes in bytes where the name ends in B).
const COUNT = 0, C = 1, M = 2, K = 3, INB = 4, STRIDEB = 5, OUTB = 6, RING_WB = 7, RING_AB = 8, S = 9;
const W = 10, A = 11, ROWS = 12, GRAD_W = 13, GRAD_A = 14;
const PARAMS = 15;
const locals = new Locals(PARAMS);
const [b, c, m, k, i, rowA, y, wc, wa, ac, dB] = locals.take(I32, 11);
const [s0, aC, bC, aS, bS, Wa, Wb, Ac, As, Ga, Gb] = locals.take(V128, 11);
const LOCALS = locals.types;

const at = (base: number, offset: number): Code => add(get(base), get(offset));
const plus = (local: number, value: Code): Code => set(local, addF32x4(get(local), value));
/** Byte offset of output slot `slot` of channel c in a row: (c · S + slot) · 4. */
const outSlot = (slot: Code): Code => mul(add(mul(get(c), get(S)), slot), int(4));

/** rows[b] = Σ_k W_k A_{b,k} for b < count (see applyRingWeights). */
const forwardBody: Code = forRange(b, int(0), get(COUNT), 1, [
  ...set(rowA, add(get(A), mul(get(b), get(STRIDEB)))),
  ...set(y, add(get(ROWS), mul(get(b), get(OUTB)))),
  ...forRange(c, int(0), get(C), 1, [
    ...set(wc, add(get(W), mul(mul(get(c), get(S)), get(INB)))),
    ...set(s0, zeroV128),
    ...forRange(k, int(0), get(K), 1, [
      ...set(wa, add(get(wc), mul(get(k), get(RING_WB)))),
      ...set(ac, add(get(rowA), mul(get(k), get(RING_AB)))),
      ...forRange(i, int(0), get(INB), 16, plus(s0, mulF32x4(loadF32x4(at(wa, i)), loadF32x4(at(ac, i))))),
    ]),
    ...storeF32(add(get(y), outSlot(int(0))), sumLanesF32x4(get(s0))),
    ...forRange(m, int(1), add(get(M), int(1)), 1, [
      ...set(dB, mul(add(mul(get(m), int(2)), int(-1)), get(INB))),
      ...[aC, bC, aS, bS].flatMap((v) => set(v, zeroV128)),
      ...forRange(k, int(0), get(K), 1, [
        ...set(wa, add(add(get(wc), mul(get(k), get(RING_WB))), get(dB))),
        ...set(ac, add(add(get(rowA), mul(get(k), get(RING_AB))), get(dB))),
        ...forRange(i, int(0), get(INB), 16, [
          ...set(Wa, loadF32x4(at(wa, i))), ...set(Wb, loadF32x4(add(at(wa, i), get(INB)))),
          ...set(Ac, loadF32x4(at(ac, i))), ...set(As, loadF32x4(add(at(ac, i), get(INB)))),
          ...plus(aC, mulF32x4(get(Wa), get(Ac))), ...plus(bC, mulF32x4(get(Wb), get(Ac))),
          ...plus(aS, mulF32x4(get(Wa), get(As))), ...plus(bS, mulF32x4(get(Wb), get(As))),
        ]),
      ]),
      // out_a = Wa·Ac − Wb·As, out_b = Wb·Ac + Wa·As.
      ...storeF32(add(get(y), outSlot(add(mul(get(m), int(2)), int(-1)))), subF32(sumLanesF32x4(get(aC)), sumLanesF32x4(get(bS)))),
      ...storeF32(add(get(y), outSlot(mul(get(m), int(2)))), addF32(sumLanesF32x4(get(bC)), sumLanesF32x4(get(aS)))),
    ]),
  ]),
]);

/** gradWeights += dW and gradAcc += dA (gradAcc zeroed by the caller) from the block's row gradients in ROWS. */
const backwardBody: Code = forRange(k, int(0), get(K), 1, [
  ...forRange(c, int(0), get(C), 1, [
    ...set(wc, add(mul(get(k), get(RING_WB)), mul(mul(get(c), get(S)), get(INB)))),
    ...forRange(b, int(0), get(COUNT), 1, [
      ...set(rowA, add(mul(get(b), get(STRIDEB)), mul(get(k), get(RING_AB)))),
      ...set(y, add(get(ROWS), mul(get(b), get(OUTB)))),
      ...set(Ga, splatF32x4(loadF32(add(get(y), outSlot(int(0)))))),
      ...forRange(i, int(0), get(INB), 16, [
        ...set(wa, add(get(wc), get(i))), ...set(ac, add(get(rowA), get(i))),
        ...accumulateF32x4(add(get(GRAD_W), get(wa)), mulF32x4(get(Ga), loadF32x4(add(get(A), get(ac))))),
        ...accumulateF32x4(add(get(GRAD_A), get(ac)), mulF32x4(get(Ga), loadF32x4(add(get(W), get(wa))))),
      ]),
      ...forRange(m, int(1), add(get(M), int(1)), 1, [
        ...set(dB, mul(add(mul(get(m), int(2)), int(-1)), get(INB))),
        ...set(Ga, splatF32x4(loadF32(add(get(y), outSlot(add(mul(get(m), int(2)), int(-1))))))),
        ...set(Gb, splatF32x4(loadF32(add(get(y), outSlot(mul(get(m), int(2))))))),
        ...forRange(i, int(0), get(INB), 16, [
          ...set(wa, add(add(get(wc), get(dB)), get(i))), ...set(ac, add(add(get(rowA), get(dB)), get(i))),
          ...set(Wa, loadF32x4(add(get(W), get(wa)))), ...set(Wb, loadF32x4(add(add(get(W), get(wa)), get(INB)))),
          ...set(Ac, loadF32x4(add(get(A), get(ac)))), ...set(As, loadF32x4(add(add(get(A), get(ac)), get(INB)))),
          // dWa += ga Ac + gb As, dWb += gb Ac − ga As, dAc += ga Wa + gb Wb, dAs += gb Wa − ga Wb.
          ...accumulateF32x4(add(get(GRAD_W), get(wa)), addF32x4(mulF32x4(get(Ga), get(Ac)), mulF32x4(get(Gb), get(As)))),
          ...accumulateF32x4(add(add(get(GRAD_W), get(wa)), get(INB)), subF32x4(mulF32x4(get(Gb), get(Ac)), mulF32x4(get(Ga), get(As)))),
          ...accumulateF32x4(add(get(GRAD_A), get(ac)), addF32x4(mulF32x4(get(Ga), get(Wa)), mulF32x4(get(Gb), get(Wb)))),
          ...accumulateF32x4(add(add(get(GRAD_A), get(ac)), get(INB)), subF32x4(mulF32x4(get(Gb), get(Wa)), mulF32x4(get(Ga), get(Wb)))),
        ]),
      ]),
    ]),
  ]),
]);

const FUNCTIONS: WasmFunction[] = [
  { name: 'forward', params: PARAMS, locals: LOCALS, body: forwardBody },
  { name: 'backward', params: PARAMS, locals: LOCALS, body: backwardBody },
  ...SLOT_KERNELS,
  ...rowKernels(2, 3),
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const KERNEL_BYTES = buildModule(FUNCTIONS, 1);

const kernelModule = lazyModule(KERNEL_BYTES);

/** Where the row kernels find a bound neighbourhood's per-entry arrays and its two fields: byte offsets into the memory. */
interface RowRegions extends EntryRegions {
  cosOut: number; sinOut: number; input: number; gradInput: number;
}

/** A memory, its kernel instance, and the entries last copied into it. */
interface SharedMemory {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Record<'forward' | 'backward' | 'spread' | 'gather' | 'aggregate' | 'scatter', (...args: number[]) => void>;
  bound: ConvEntries | null;
  regions: RowRegions | null;
}

// One per buffer layout and thread: a browser renderer can make only about a hundred memories, and
// every call writes all it reads (weights, fields, and the entries when another neighbourhood was bound).
const sharedMemories = new Map<string, SharedMemory>();

/**
 * Float32 buffers of one GEM convolution, in a WebAssembly memory shared with the convolutions of
 * the same buffer layout, and the kernels over them. After {@link bind} the memory also holds a
 * neighbourhood's per-entry arrays and the input field and its gradient as float32; binding may
 * grow the memory, which replaces every view.
 */
export class SimdProducts {
  weights!: Float32Array;
  /** Aggregates of a block of rows. */
  acc!: Float32Array;
  /** Output rows of a block (forward). */
  rows!: Float32Array;
  gradWeights!: Float32Array;
  gradAcc!: Float32Array;
  /** Scaled output gradients of a block (backward). */
  gradRows!: Float32Array;
  /** One entry's rotated input (spread) or its gradient (gather). */
  z!: Float32Array;
  gradZ!: Float32Array;
  /** One entry's slot coefficients: w_k, w_k cos mθ, w_k sin mθ, … for rings k and k + 1. */
  coef!: Float32Array;
  /** The bound input field, read by {@link aggregate}. */
  input = new Float32Array(0);
  /** The bound input field's gradient, accumulated by {@link scatter}. */
  gradInput = new Float32Array(0);
  private readonly kernels: SharedMemory['kernels'];
  private readonly memory: WebAssembly.Memory;
  private readonly shared: SharedMemory;
  private readonly sizes: number[];
  private readonly counts: number[];
  private readonly offsets: number[];
  /** End of the fixed buffers: the bound arrays follow. */
  private readonly fixedBytes: number;

  private constructor(module: WebAssembly.Module, private readonly shape: ProductShape, rowBlock: number, private readonly inOrders: number) {
    const { inWidth, outChannels, outOrders, rings, rowStride } = shape;
    const S = 2 * outOrders + 1, outWidth = outChannels * S;
    const block = [rings * outWidth * inWidth, rowBlock * rowStride, rowBlock * outWidth];
    // weights, acc, rows, gradWeights, gradAcc, gradRows, z, gradZ, coef; each starts on 16 bytes.
    this.counts = [...block, ...block, inWidth, inWidth, 2 * S];
    ({ starts: this.offsets, end: this.fixedBytes } = placeRegions(0, this.counts.map((n) => n * 4)));
    const layout = this.counts.join(',');
    let shared = sharedMemories.get(layout);
    if (shared === undefined) {
      const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(this.fixedBytes / 65536)) });
      shared = { memory, kernels: instantiate(module, memory), bound: null, regions: null };
      sharedMemories.set(layout, shared);
    }
    this.shared = shared;
    ({ memory: this.memory, kernels: this.kernels } = shared);
    this.makeViews();
    this.sizes = [outChannels, outOrders, rings, inWidth * 4, rowStride * 4, outWidth * 4, outWidth * inWidth * 4, S * inWidth * 4, S];
  }

  /** Buffers and kernels for `shape` (inputs of band limit `inOrders`), or null where WebAssembly SIMD is unavailable or inWidth is not a multiple of 4 (the kernels take four lanes). */
  static create(shape: ProductShape, rowBlock: number, inOrders: number): SimdProducts | null {
    const module = shape.inWidth % 4 === 0 ? kernelModule() : null;
    return module === null ? null : new SimdProducts(module, shape, rowBlock, inOrders);
  }

  /**
   * Copies the entries' arrays into the memory (unless they are the ones bound there already, by
   * this convolution or another of its layout) and makes room for input fields of `sourceCount` vertices. Entries with r = 0 are bound as ring −1: the
   * row kernels skip them. Views made before may be stale afterwards.
   */
  bind(entries: ConvEntries, sourceCount: number): void {
    const E = entries.ring.length, fieldBytes = sourceCount * this.shape.inWidth * 4;
    const shared = this.shared;
    if (entries !== shared.bound) {
      const { starts, end } = placeRegions(this.fixedBytes, [...entryRegionSizes(entries), entries.cosOut.length * 8, entries.sinOut.length * 8]);
      const [sources, rings, offsets, weight0, weight1, cosIn, sinIn, cosOut, sinOut] = starts as [number, number, number, number, number, number, number, number, number];
      shared.regions = { sources, rings, offsets, weight0, weight1, cosIn, sinIn, cosOut, sinOut, input: end, gradInput: end };
      shared.bound = null;
    }
    const regions = shared.regions!;
    regions.gradInput = regions.input + align16(fieldBytes);
    ensureBytes(this.memory, regions.gradInput + align16(fieldBytes));
    const buffer = this.memory.buffer;
    // Grown here or by another convolution of the layout since this one's views were made.
    if (this.weights?.buffer !== buffer) this.makeViews();
    this.input = new Float32Array(buffer, regions.input, fieldBytes / 4);
    this.gradInput = new Float32Array(buffer, regions.gradInput, fieldBytes / 4);
    if (entries === shared.bound) return;
    writeEntries(buffer, regions, entries);
    if (entries.hasOrigin) {
      const rings = new Int32Array(buffer, regions.rings, E);
      for (let e = 0; e < E; e++) if (entries.origin[e] === 1) rings[e] = -1;
    }
    new Float64Array(buffer, regions.cosOut, entries.cosOut.length).set(entries.cosOut);
    new Float64Array(buffer, regions.sinOut, entries.sinOut.length).set(entries.sinOut);
    shared.bound = entries;
  }

  /** rows = Σ_k W_k A_k for the first `count` rows of the block. */
  forward(count: number): void {
    const o = this.offsets;
    this.kernels.forward(count, ...this.sizes, o[0]!, o[1]!, o[2]!, o[3]!, o[4]!);
  }

  /** gradWeights += dW; gradAcc = dA, for the first `count` rows of the block, from gradRows. */
  backward(count: number): void {
    const o = this.offsets;
    this.gradAcc.fill(0, 0, count * this.shape.rowStride);
    this.kernels.backward(count, ...this.sizes, o[0]!, o[1]!, o[5]!, o[3]!, o[4]!);
  }

  /** acc[start + j · inWidth + i] += coef[j] · z[i] for j < slots (the row kernels' inner step). */
  spread(start: number, slots: number): void {
    const o = this.offsets;
    this.kernels.spread(slots, this.shape.inWidth * 4, o[1]! + start * 4, o[6]!, o[8]!);
  }

  /** gradZ[i] += Σ_{j < slots} coef[j] · gradAcc[start + j · inWidth + i]. */
  gather(start: number, slots: number): void {
    const o = this.offsets;
    this.kernels.gather(slots, this.shape.inWidth * 4, o[4]! + start * 4, o[7]!, o[8]!);
  }

  /** acc of the block's first `count` rows (rows firstRow …) from the bound input, r = 0 entries left out. */
  aggregate(firstRow: number, count: number): void {
    this.kernels.aggregate(...this.rowArguments(firstRow, count, this.offsets[1]!, this.shared.regions!.input, this.offsets[6]!));
  }

  /** gradInput += the input gradient of the block's rows' entries (r = 0 left out), from gradAcc. */
  scatter(firstRow: number, count: number): void {
    this.kernels.scatter(...this.rowArguments(firstRow, count, this.offsets[4]!, this.shared.regions!.gradInput, this.offsets[7]!));
  }

  /** Arguments in the row kernels' parameter order (gem-conv-simd-rows.ts). */
  private rowArguments(firstRow: number, count: number, aggregates: number, field: number, z: number): number[] {
    const r = this.shared.regions!, { inWidth, rowStride } = this.shape;
    const inChannels = inWidth / (2 * this.inOrders + 1);
    return [
      count, firstRow, aggregates, rowStride * 4, field, inWidth, r.sources, r.rings, r.offsets, r.weight0, r.weight1,
      r.cosIn, r.sinIn, r.cosOut, r.sinOut, this.inOrders, inChannels, this.sizes[1]!, this.sizes[8]!, z, this.offsets[8]!,
    ];
  }

  private makeViews(): void {
    const views = this.counts.map((n, r) => new Float32Array(this.memory.buffer, this.offsets[r]!, n));
    [this.weights, this.acc, this.rows, this.gradWeights, this.gradAcc, this.gradRows, this.z, this.gradZ, this.coef] = views as [
      Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array,
    ];
  }
}

