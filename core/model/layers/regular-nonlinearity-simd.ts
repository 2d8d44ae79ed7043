import {
  add, addF32x4, buildModule, divF32x4, f32, forRange, get, I32, instantiate, int, lazyModule, loadF32, loadF32x4, Locals, maxF32x4, minF32x4, mul,
  mulF32, mulF32x4, nearestF32x4, pow2F32x4, set, splatF32x4, storeF32, subF32x4, sumLanesF32x4, V128, zeroV128, type Code,
} from '../../wasm/module-builder.js';
import { align16, ensureBytes } from '../../wasm/memory-regions.js';

// The SiLU regular nonlinearity for M = 2 (regular-nonlinearity-order2.ts) as WebAssembly with
// four float32 samples per instruction. Math.exp, called once per sample, was most of the layer's
// time; here e^t is computed in the lanes: t = k ln 2 + r, |r| ≤ ln 2 / 2, e^r by its Taylor
// series to degree 7 (remainder < 6e−9 relative, under float32's rounding), 2^k written into the
// exponent bits.

// Parameters: channel count, samples per half period H (a multiple of 4), byte addresses of the
// f32 input and output fields (forward: x and y; backward: x and dx) and of the f32 table (cos t_j,
// sin t_j, cos 2t_j, sin 2t_j for j < H, then 1/N, 2/N), and (backward) of the f32 output gradient dy.
const COUNT = 0, H = 1, IN = 2, OUT = 3, TABLE = 4, GRAD = 5;
const PARAMS = 6;
const locals = new Locals(PARAMS);
const [ch, j, x, h4] = locals.take(I32, 4);
const [x0, x1, x2, x3, x4, s0, s1, s2, s3, s4] = locals.take(V128, 10);
const [c1, n1, c2, n2, even, odd, y0, y1, t, k, r, p, r2, r4] = locals.take(V128, 14);
const [g0, g1, g2, g3, g4, gEven, gOdd, sigma] = locals.take(V128, 8);
const LOCALS = locals.types;

// ln 2 split so that k · LN2_HI is exact in float32 for |k| < 2^11 (Cody and Waite).
const LN2_HI = 0.693359375, LN2_LO = -2.12194440e-4, LOG2E = 1.44269504088896338700;
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const splat = (value: number): Code => splatF32x4(f32(value));

/** p = e^−f in the four lanes of local f, with −f capped to ±87 (so 2^k stays a normal float32). */
function expNegative(f: number): Code {
  // Estrin's scheme: pairs c_n + c_{n+1} r, combined with r² and r⁴, so the dependency chain is short.
  const c = (n: number): Code => splat(1 / factorial(n));
  const pair = (n: number): Code => addF32x4(c(n), mulF32x4(c(n + 1), get(r)));
  const quad = (n: number): Code => addF32x4(pair(n), mulF32x4(get(r2), pair(n + 2)));
  return [
    ...set(t, maxF32x4(minF32x4(subF32x4(zeroV128, get(f)), splat(87)), splat(-87))),
    ...set(k, nearestF32x4(mulF32x4(get(t), splat(LOG2E)))),
    ...set(r, subF32x4(subF32x4(get(t), mulF32x4(get(k), splat(LN2_HI))), mulF32x4(get(k), splat(LN2_LO)))),
    ...set(r2, mulF32x4(get(r), get(r))),
    ...set(r4, mulF32x4(get(r2), get(r2))),
    // (c0..c3) + r⁴ (c4..c7)
    ...set(p, mulF32x4(addF32x4(quad(0), mulF32x4(get(r4), quad(4))), pow2F32x4(get(k)))),
  ];
}

/** f := f / (1 + e^−f), SiLU in place (beyond |f| = 87 the result is f or about f · e^−87, not 0). */
const silu = (f: number): Code => [...expNegative(f), ...set(f, divF32x4(get(f), addF32x4(splat(1), get(p))))];

/** f := g · SiLU'(f) = g σ (1 + f (1 − σ)), σ = 1 / (1 + e^−f). */
function siluGradient(f: number, g: Code): Code {
  return [
    ...expNegative(f),
    ...set(sigma, divF32x4(splat(1), addF32x4(splat(1), get(p)))),
    ...set(f, mulF32x4(g, mulF32x4(get(sigma), addF32x4(splat(1), mulF32x4(get(f), subF32x4(splat(1), get(sigma))))))),
  ];
}

const tableAt = (row: number): Code => loadF32x4(add(add(get(TABLE), mul(get(h4), int(row))), get(j)));
/** 1/N (d = 0) or 2/N (d = 1), stored after the four table rows. */
const scaleAt = (d: number): Code => loadF32(add(add(get(TABLE), mul(get(h4), int(4))), int(4 * d)));
const coefficient = (d: number): Code => add(get(x), int(4 * d));

/** The samples j … j + 3 and j + H … j + H + 3 of channel ch's field (x0 … x4) as even ± odd, with the table's rows in c1, n1, c2, n2. */
const samples: Code = [
  ...set(c1, tableAt(0)), ...set(n1, tableAt(1)), ...set(c2, tableAt(2)), ...set(n2, tableAt(3)),
  ...set(even, addF32x4(addF32x4(get(x0), mulF32x4(get(x3), get(c2))), mulF32x4(get(x4), get(n2)))),
  ...set(odd, addF32x4(mulF32x4(get(x1), get(c1)), mulF32x4(get(x2), get(n1)))),
];

/** s += the back-transform of the pair (y0 at t_j, y1 at t_j + π) of pointwise values. */
const accumulatePair: Code = [
  ...set(even, addF32x4(get(y0), get(y1))), ...set(odd, subF32x4(get(y0), get(y1))),
  ...set(s0, addF32x4(get(s0), get(even))),
  ...set(s1, addF32x4(get(s1), mulF32x4(get(odd), get(c1)))), ...set(s2, addF32x4(get(s2), mulF32x4(get(odd), get(n1)))),
  ...set(s3, addF32x4(get(s3), mulF32x4(get(even), get(c2)))), ...set(s4, addF32x4(get(s4), mulF32x4(get(even), get(n2)))),
];

const forwardBody: Code = [
  ...set(h4, mul(get(H), int(4))),
  ...forRange(ch, int(0), get(COUNT), 1, [
    ...set(x, mul(get(ch), int(20))),
    ...[x0, x1, x2, x3, x4].flatMap((local, d) => set(local, splatF32x4(loadF32(add(get(IN), coefficient(d)))))),
    ...[s0, s1, s2, s3, s4].flatMap((local) => set(local, zeroV128)),
    ...forRange(j, int(0), get(h4), 16, [
      ...samples,
      // Samples j and j + H: f = even ± odd.
      ...set(y0, addF32x4(get(even), get(odd))), ...silu(y0),
      ...set(y1, subF32x4(get(even), get(odd))), ...silu(y1),
      ...accumulatePair,
    ]),
    ...storeF32(add(get(OUT), coefficient(0)), mulF32(sumLanesF32x4(get(s0)), scaleAt(0))),
    ...[s1, s2, s3, s4].flatMap((local, d) => storeF32(add(get(OUT), coefficient(d + 1)), mulF32(sumLanesF32x4(get(local)), scaleAt(1)))),
  ]),
];

/** dx = Sᵀ diag(SiLU'(S x)) Pᵀ dy per channel: the adjoint of the forward, as in backwardOrder2. */
const backwardBody: Code = [
  ...set(h4, mul(get(H), int(4))),
  ...forRange(ch, int(0), get(COUNT), 1, [
    ...set(x, mul(get(ch), int(20))),
    ...[x0, x1, x2, x3, x4].flatMap((local, d) => set(local, splatF32x4(loadF32(add(get(IN), coefficient(d)))))),
    ...set(g0, splatF32x4(mulF32(loadF32(add(get(GRAD), coefficient(0))), scaleAt(0)))),
    ...[g1, g2, g3, g4].flatMap((local, d) => set(local, splatF32x4(mulF32(loadF32(add(get(GRAD), coefficient(d + 1))), scaleAt(1))))),
    ...[s0, s1, s2, s3, s4].flatMap((local) => set(local, zeroV128)),
    ...forRange(j, int(0), get(h4), 16, [
      ...samples,
      ...set(gEven, addF32x4(addF32x4(get(g0), mulF32x4(get(g3), get(c2))), mulF32x4(get(g4), get(n2)))),
      ...set(gOdd, addF32x4(mulF32x4(get(g1), get(c1)), mulF32x4(get(g2), get(n1)))),
      ...set(y0, addF32x4(get(even), get(odd))), ...siluGradient(y0, addF32x4(get(gEven), get(gOdd))),
      ...set(y1, subF32x4(get(even), get(odd))), ...siluGradient(y1, subF32x4(get(gEven), get(gOdd))),
      ...accumulatePair,
    ]),
    ...[s0, s1, s2, s3, s4].flatMap((local, d) => storeF32(add(get(OUT), coefficient(d)), sumLanesF32x4(get(local)))),
  ]),
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const SILU_KERNEL_BYTES = buildModule([
  { name: 'forward', params: PARAMS, locals: LOCALS, body: forwardBody },
  { name: 'backward', params: PARAMS, locals: LOCALS, body: backwardBody },
], 1);

const kernelModule = lazyModule(SILU_KERNEL_BYTES);

// One memory and instance per table and thread, shared by the nonlinearities that use it (a browser
// renderer can make only about a hundred memories): the table stays, each call writes its fields.
const sharedMemories = new Map<string, { memory: WebAssembly.Memory; kernels: Record<'forward' | 'backward', (...args: number[]) => void> }>();

/** The SiLU nonlinearity of M = 2 fields with N samples (N divisible by 8), over a WebAssembly memory (shared per table) that grows with the field. */
export class SimdSiluOrder2 {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: Record<'forward' | 'backward', (...args: number[]) => void>;
  private readonly tableBytes: number;
  private readonly half: number;

  private constructor(module: WebAssembly.Module, samples: number, table: Float64Array) {
    this.half = samples / 2;
    const key = `${samples}:${table.join(',')}`;
    let shared = sharedMemories.get(key);
    if (shared === undefined) {
      const memory = new WebAssembly.Memory({ initial: 1 });
      shared = { memory, kernels: instantiate(module, memory) };
      const constants = new Float32Array(memory.buffer, 0, table.length + 2);
      constants.set(table);
      constants[table.length] = 1 / samples;
      constants[table.length + 1] = 2 / samples;
      sharedMemories.set(key, shared);
    }
    ({ memory: this.memory, kernels: this.kernels } = shared);
    this.tableBytes = align16((table.length + 2) * 4);
  }

  /** The kernels for N samples and the half-period table of regular-nonlinearity-order2, or null where unavailable or N is not a multiple of 8 (four lanes per half period). */
  static create(samples: number, table: Float64Array): SimdSiluOrder2 | null {
    const module = samples % 8 === 0 ? kernelModule() : null;
    return module === null ? null : new SimdSiluOrder2(module, samples, table);
  }

  /** output = SiLU nonlinearity of input (both channels · 5 floats). */
  forward(input: Float32Array, output: Float32Array): void {
    const [inAt, outAt] = this.fields(input.length, 2);
    new Float32Array(this.memory.buffer, inAt, input.length).set(input);
    this.kernels.forward(input.length / 5, this.half, inAt, outAt, 0, 0);
    output.set(new Float32Array(this.memory.buffer, outAt, input.length));
  }

  /** Overwrites gradInput with d loss / d input. */
  backward(input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array): void {
    const [inAt, outAt, gradAt] = this.fields(input.length, 3);
    new Float32Array(this.memory.buffer, inAt, input.length).set(input);
    new Float32Array(this.memory.buffer, gradAt, input.length).set(gradOutput.subarray(0, input.length));
    this.kernels.backward(input.length / 5, this.half, inAt, outAt, 0, gradAt);
    gradInput.set(new Float32Array(this.memory.buffer, outAt, input.length));
  }

  /** Byte addresses of `count` f32 fields of `floats` each after the table, growing the memory to hold them. */
  private fields(floats: number, count: number): number[] {
    ensureBytes(this.memory, this.tableBytes + 4 * floats * count);
    return Array.from({ length: count }, (_, f) => this.tableBytes + 4 * floats * f);
  }
}
