import type { ConvEntries } from './conv-entry-cache.js';
import type { InvariantConvShape } from './gem-conv-invariant.js';
import { align16, ensureBytes, placeRegions } from '../../wasm/memory-regions.js';
import { entryRegionSizes, writeEntries, type EntryRegions } from './kernel-memory.js';
import { SLOT_KERNELS, slotCoefficients } from './slot-kernels.js';
import {
  add, addF32x4, addF64, buildModule, call, demote, eqF64, F64, f64, forRange, geS, get, I32, int, instantiate, lazyModule, Locals, loadF32, loadF32AsF64, loadF32x4, loadF64,
  loadI32, mul, mulF32x4, mulF64, select, set, splatF32x4, storeF32, storeF32x4, V128, when, zeroV128, type Code, type WasmFunction,
} from '../../wasm/module-builder.js';

// The row loops of an invariant-output GEM convolution (gatherInvariantRows and its adjoint
// scatterInvariantRows) as WebAssembly: with the harmonic terms laid out U[q, k, h, c], an entry
// is a gather (forward) or spread (backward) of four-lane float32 channel vectors over the 2D
// or D slots of its rings k and k + 1, weighted by w_k (1, cos α, sin α, …). r = 0 entries are
// bound with their harmonics zeroed, which leaves them u_0 alone.

// Parameters (all i32; addresses in bytes), in the order InvariantSimd passes them.
const ROWS = 0, CB = 1, D = 2, K = 3, TERMS = 4, SUMS = 5, COEF = 6, SRC = 7, RING = 8, OFFS = 9, W0 = 10, W1 = 11;
const COS = 12, SIN = 13, M = 14, SCALE = 15, BIAS = 16, FIELD = 17;
const PARAMS = 18;
const locals = new Locals(PARAMS);
const [p, e, end, k, m, c, slots] = locals.take(I32, 7);
const [w0, w1, cs, sn, scale] = locals.take(F64, 5);
// A copy: gatherRows16 takes more locals below.
const LOCALS = [...locals.types];
const SPREAD = 0, GATHER = 1;

const f64At = (base: number, index: Code): Code => loadF64(add(get(base), mul(index, int(8))));
const i32At = (base: number, index: Code): Code => loadI32(add(get(base), mul(index, int(4))));

/** For each row p and entry e of ring k ≥ 0: w0, w1 = its ring weights times `weightScale`, coef its slot coefficients, then body. */
function overEntries(weightScale: Code, body: Code, rowEnd: Code = []): Code {
  return forRange(p, int(0), get(ROWS), 1, [
    ...set(scale, f64At(SCALE, get(p))),
    ...set(end, i32At(OFFS, add(get(p), int(1)))),
    ...forRange(e, i32At(OFFS, get(p)), get(end), 1, [
      ...set(k, i32At(RING, get(e))),
      ...when(geS(get(k), int(0)), [
        ...set(w0, mulF64(f64At(W0, get(e)), weightScale)),
        ...set(w1, mulF64(f64At(W1, get(e)), weightScale)),
        ...slotCoefficients({ e, m, cs, sn, w0, w1, cos: COS, sin: SIN, orders: M, slots: D, coef: COEF }),
        ...set(slots, select(get(D), mul(get(D), int(2)), eqF64(get(w1), f64(0)))),
        ...body,
      ]),
    ]),
    ...rowEnd,
  ]);
}

/** Byte address of U[q_e, k, 0, 0] in the terms array at `base`. */
const termsOfEntry = (base: number): Code => add(get(base), mul(mul(add(mul(i32At(SRC, get(e)), get(K)), get(k)), get(D)), get(CB)));

/** At a row's end: field[p] = rowScale_p · sums + bias, then the sums zeroed. */
const rowOutput: Code = [
  ...forRange(c, int(0), get(CB), 4, storeF32(
    add(add(get(FIELD), mul(get(p), get(CB))), get(c)),
    demote(addF64(mulF64(loadF32AsF64(add(get(SUMS), get(c))), get(scale)), loadF32AsF64(add(get(BIAS), get(c))))),
  )),
  ...forRange(c, int(0), get(CB), 16, storeF32x4(add(get(SUMS), get(c)), zeroV128)),
];

/** field[p] = rowScale_p · Σ_e Σ_slots coef · U + bias, FIELD the output rows. */
const gatherBody: Code = overEntries(f64(1), call(GATHER, [get(slots), get(CB), termsOfEntry(TERMS), get(SUMS), get(COEF)]), rowOutput);

// Sixteen channels (the default output layer): row sums in four v128 locals, not memory; the same f32x4 steps in the same order, so the same bits.
const [j, slotBase] = locals.take(I32, 2);
const [cj, ...rowSums] = locals.take(V128, 5);
const LOCALS_16 = locals.types;
const gather16Body: Code = overEntries(f64(1), [
  ...forRange(j, int(0), get(slots), 1, [
    ...set(cj, splatF32x4(loadF32(add(get(COEF), mul(get(j), int(4)))))),
    ...set(slotBase, add(termsOfEntry(TERMS), mul(get(j), int(64)))),
    ...rowSums.flatMap((rowSum, l) => set(rowSum, addF32x4(get(rowSum), mulF32x4(get(cj), loadF32x4(add(get(slotBase), int(16 * l))))))),
  ]),
], [
  ...rowSums.flatMap((rowSum, l) => [...storeF32x4(add(get(SUMS), int(16 * l)), get(rowSum)), ...set(rowSum, zeroV128)]),
  ...rowOutput,
]);

/** U-gradient (TERMS, zeroed by the caller) += rowScale_p · coef ⊗ gradOutput[p], FIELD the output gradient rows. */
const scatterBody: Code = overEntries(get(scale), call(SPREAD, [get(slots), get(CB), termsOfEntry(TERMS), add(get(FIELD), mul(get(p), get(CB))), get(COEF)]));

const FUNCTIONS: WasmFunction[] = [
  ...SLOT_KERNELS,
  { name: 'gatherRows', params: PARAMS, locals: LOCALS, body: gatherBody },
  { name: 'scatterRows', params: PARAMS, locals: LOCALS, body: scatterBody },
  { name: 'gatherRows16', params: PARAMS, locals: LOCALS_16, body: gather16Body },
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const INVARIANT_KERNEL_BYTES = buildModule(FUNCTIONS, 1);

const kernelModule = lazyModule(INVARIANT_KERNEL_BYTES);

/** Byte offsets of the bound arrays. */
interface Regions extends EntryRegions {
  rowScale: number; bias: number; field: number; terms: number; gradTerms: number;
}

/**
 * The WebAssembly memory and kernels of one invariant-output GEM convolution: its neighbourhood's
 * entries, the harmonic terms U and their gradient, the output rows (or their gradient) and the
 * biases, all float32 but for the entries' weights and harmonics. Binding may grow the memory,
 * which replaces every view.
 */
export class InvariantSimd {
  /** U[((q · K + k) · D + h) · C + c] of the bound sources (computeSourceTerms writes it). */
  terms = new Float32Array(0);
  gradTerms = new Float32Array(0);
  /** Output rows (gather) or their gradient (scatter), rowCount · C. */
  field = new Float32Array(0);
  bias = new Float32Array(0);
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly kernels: Record<'gatherRows' | 'scatterRows' | 'gatherRows16', (...args: number[]) => void>;
  private readonly coefBytes: number;
  private bound: ConvEntries | null = null;
  private regions: Regions | null = null;

  private constructor(module: WebAssembly.Module, private readonly shape: InvariantConvShape) {
    this.kernels = instantiate(module, this.memory);
    // coef (two rings of D slots), then the row sums (C floats).
    this.coefBytes = align16(2 * (2 * shape.inOrders + 1) * 4);
  }

  /** Kernels for `shape`, or null where WebAssembly SIMD is unavailable or the channel count is not a multiple of 4. */
  static create(shape: InvariantConvShape): InvariantSimd | null {
    const module = shape.outChannels % 4 === 0 ? kernelModule() : null;
    return module === null ? null : new InvariantSimd(module, shape);
  }

  /** Copies the entries into the memory unless bound already (r = 0 entries with zero harmonics) and makes room for `sourceCount` sources. */
  bind(entries: ConvEntries, sourceCount: number): void {
    const { inOrders: M, outChannels: C, rings: K } = this.shape;
    const E = entries.ring.length, rows = entries.rowScale.length, termBytes = sourceCount * K * (2 * M + 1) * C * 4;
    if (entries !== this.bound) {
      // After coef and the row sums.
      const { starts, end } = placeRegions(this.coefBytes + align16(C * 4), [...entryRegionSizes(entries), rows * 8, C * 4, rows * C * 4]);
      const [sources, rings, offsets, weight0, weight1, cosIn, sinIn, rowScale, bias, field] = starts as [number, number, number, number, number, number, number, number, number, number];
      this.regions = { sources, rings, offsets, weight0, weight1, cosIn, sinIn, rowScale, bias, field, terms: end, gradTerms: end };
      this.bound = null;
    }
    const r = this.regions!;
    r.gradTerms = r.terms + align16(termBytes);
    ensureBytes(this.memory, r.gradTerms + align16(termBytes));
    const buffer = this.memory.buffer;
    this.terms = new Float32Array(buffer, r.terms, termBytes / 4);
    this.gradTerms = new Float32Array(buffer, r.gradTerms, termBytes / 4);
    this.field = new Float32Array(buffer, r.field, rows * C);
    this.bias = new Float32Array(buffer, r.bias, C);
    if (entries === this.bound) return;
    writeEntries(buffer, r, entries);
    if (entries.hasOrigin) {
      const cos = new Float64Array(buffer, r.cosIn, E * M), sin = new Float64Array(buffer, r.sinIn, E * M);
      for (let e = 0; e < E; e++) if (entries.origin[e] === 1) cos.fill(0, e * M, e * M + M), sin.fill(0, e * M, e * M + M);
    }
    new Float64Array(buffer, r.rowScale, rows).set(entries.rowScale);
    this.bound = entries;
  }

  /** field = the output rows from terms and bias. */
  gather(): void {
    const gather = this.shape.outChannels === 16 ? this.kernels.gatherRows16 : this.kernels.gatherRows;
    gather(...this.kernelArguments(this.regions!.terms));
  }

  /** gradTerms = d loss / d U from the output gradient in field. */
  scatter(): void {
    this.gradTerms.fill(0);
    this.kernels.scatterRows(...this.kernelArguments(this.regions!.gradTerms));
  }

  /** Arguments in parameter order, TERMS at `terms`. */
  private kernelArguments(terms: number): number[] {
    const r = this.regions!, { inOrders: M, outChannels: C, rings: K } = this.shape;
    return [
      this.bound!.rowScale.length, C * 4, 2 * M + 1, K, terms, this.coefBytes, 0, r.sources, r.rings, r.offsets, r.weight0, r.weight1,
      r.cosIn, r.sinIn, M, r.rowScale, r.bias, r.field,
    ];
  }
}
