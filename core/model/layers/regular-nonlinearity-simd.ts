import {
  add, addF64x2, buildModule, f64, forRange, get, I32, int, lazyModule, loadF32AsF64, loadF64, loadF64x2, maxF64x2, minF64x2, mul, mulF64,
  mulF64x2, nearestF64x2, pow2F64x2, set, splatF64x2, storeF64AsF32, subF64x2, sumLanes, V128, zeroF64x2, divF64x2, type Code,
} from './wasm-module-builder.js';

// The SiLU regular nonlinearity for M = 2 (regular-nonlinearity-order2.ts) as WebAssembly with
// two samples per instruction. Math.exp, called once per sample, was most of the layer's time;
// here e^t is computed in the lanes: t = k ln 2 + r, |r| ≤ ln 2 / 2, e^r by its Taylor series to
// degree 12 (remainder < 2e−16 relative), 2^k written into the exponent bits.

// Parameters: channel count, samples per half period H (even), byte addresses of the f32 input
// and output fields (forward: x and y; backward: x and dx) and of the f64 table (cos t_j, sin t_j,
// cos 2t_j, sin 2t_j for j < H, then 1/N, 2/N), and (backward) of the f32 output gradient dy.
const COUNT = 0, H = 1, IN = 2, OUT = 3, TABLE = 4, GRAD = 5;
const ch = 6, j = 7, x = 8, h8 = 9;
const x0 = 10, x1 = 11, x2 = 12, x3 = 13, x4 = 14, s0 = 15, s1 = 16, s2 = 17, s3 = 18, s4 = 19;
const c1 = 20, n1 = 21, c2 = 22, n2 = 23, even = 24, odd = 25, y0 = 26, y1 = 27, t = 28, k = 29, r = 30, p = 31, r2 = 32, r4 = 33;
const g0 = 34, g1 = 35, g2 = 36, g3 = 37, g4 = 38, gEven = 39, gOdd = 40, sigma = 41;
const LOCALS = [I32, I32, I32, I32, ...Array(32).fill(V128)] as number[];

const LN2_HI = 6.93147180369123816490e-1, LN2_LO = 1.90821492927058770002e-10, LOG2E = 1.44269504088896338700;
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const splat = (value: number): Code => splatF64x2(f64(value));

/** p = e^−f in both lanes of local f, with −f capped to ±708 (so 2^k stays a normal number). */
function expNegative(f: number): Code {
  // Estrin's scheme: pairs c_n + c_{n+1} r, combined with r², r⁴, r⁸, so the dependency chain is short.
  const c = (n: number): Code => splat(1 / factorial(n));
  const pair = (n: number): Code => addF64x2(c(n), mulF64x2(c(n + 1), get(r)));
  const quad = (n: number): Code => addF64x2(pair(n), mulF64x2(get(r2), pair(n + 2)));
  return [
    ...set(t, maxF64x2(minF64x2(subF64x2(zeroF64x2, get(f)), splat(708)), splat(-708))),
    ...set(k, nearestF64x2(mulF64x2(get(t), splat(LOG2E)))),
    ...set(r, subF64x2(subF64x2(get(t), mulF64x2(get(k), splat(LN2_HI))), mulF64x2(get(k), splat(LN2_LO)))),
    ...set(r2, mulF64x2(get(r), get(r))),
    ...set(r4, mulF64x2(get(r2), get(r2))),
    // (c0..c3) + r⁴ (c4..c7) + r⁸ ((c8..c11) + r⁴ c12)
    ...set(p, addF64x2(addF64x2(quad(0), mulF64x2(get(r4), quad(4))), mulF64x2(mulF64x2(get(r4), get(r4)), addF64x2(quad(8), mulF64x2(get(r4), c(12)))))),
    ...set(p, mulF64x2(get(p), pow2F64x2(get(k)))),
  ];
}

/** f := f / (1 + e^−f), SiLU in place (beyond |f| = 708 the result is f or ±1e−305, not 0). */
const silu = (f: number): Code => [...expNegative(f), ...set(f, divF64x2(get(f), addF64x2(splat(1), get(p))))];

/** f := g · SiLU'(f) = g σ (1 + f (1 − σ)), σ = 1 / (1 + e^−f). */
function siluGradient(f: number, g: Code): Code {
  return [
    ...expNegative(f),
    ...set(sigma, divF64x2(splat(1), addF64x2(splat(1), get(p)))),
    ...set(f, mulF64x2(g, mulF64x2(get(sigma), addF64x2(splat(1), mulF64x2(get(f), subF64x2(splat(1), get(sigma))))))),
  ];
}

const tableAt = (row: number): Code => loadF64x2(add(add(get(TABLE), mul(get(h8), int(row))), get(j)));
const coefficient = (d: number): Code => add(get(x), int(4 * d));
const forwardBody: Code = [
  ...set(h8, mul(get(H), int(8))),
  ...forRange(ch, int(0), get(COUNT), 1, [
    ...set(x, mul(get(ch), int(20))),
    ...[x0, x1, x2, x3, x4].flatMap((local, d) => set(local, splatF64x2(loadF32AsF64(add(get(IN), coefficient(d)))))),
    ...[s0, s1, s2, s3, s4].flatMap((local) => set(local, zeroF64x2)),
    ...forRange(j, int(0), get(h8), 16, [
      ...set(c1, tableAt(0)), ...set(n1, tableAt(1)), ...set(c2, tableAt(2)), ...set(n2, tableAt(3)),
      ...set(even, addF64x2(addF64x2(get(x0), mulF64x2(get(x3), get(c2))), mulF64x2(get(x4), get(n2)))),
      ...set(odd, addF64x2(mulF64x2(get(x1), get(c1)), mulF64x2(get(x2), get(n1)))),
      // Samples j and j + H: f = even ± odd.
      ...set(y0, addF64x2(get(even), get(odd))), ...silu(y0),
      ...set(y1, subF64x2(get(even), get(odd))), ...silu(y1),
      ...set(even, addF64x2(get(y0), get(y1))), ...set(odd, subF64x2(get(y0), get(y1))),
      ...set(s0, addF64x2(get(s0), get(even))),
      ...set(s1, addF64x2(get(s1), mulF64x2(get(odd), get(c1)))), ...set(s2, addF64x2(get(s2), mulF64x2(get(odd), get(n1)))),
      ...set(s3, addF64x2(get(s3), mulF64x2(get(even), get(c2)))), ...set(s4, addF64x2(get(s4), mulF64x2(get(even), get(n2)))),
    ]),
    ...storeF64AsF32(add(get(OUT), coefficient(0)), mulF64(sumLanes(get(s0)), loadF64(add(get(TABLE), mul(get(h8), int(4)))))),
    ...[s1, s2, s3, s4].flatMap((local, d) => storeF64AsF32(add(get(OUT), coefficient(d + 1)), mulF64(sumLanes(get(local)), loadF64(add(add(get(TABLE), mul(get(h8), int(4))), int(8)))))),
  ]),
];

/** dx = Sᵀ diag(SiLU'(S x)) Pᵀ dy per channel: the adjoint of the forward, as in backwardOrder2. */
const backwardBody: Code = [
  ...set(h8, mul(get(H), int(8))),
  ...forRange(ch, int(0), get(COUNT), 1, [
    ...set(x, mul(get(ch), int(20))),
    ...[x0, x1, x2, x3, x4].flatMap((local, d) => set(local, splatF64x2(loadF32AsF64(add(get(IN), coefficient(d)))))),
    ...set(g0, splatF64x2(mulF64(loadF32AsF64(add(get(GRAD), coefficient(0))), loadF64(add(get(TABLE), mul(get(h8), int(4))))))),
    ...[g1, g2, g3, g4].flatMap((local, d) => set(local, splatF64x2(mulF64(loadF32AsF64(add(get(GRAD), coefficient(d + 1))), loadF64(add(add(get(TABLE), mul(get(h8), int(4))), int(8))))))),
    ...[s0, s1, s2, s3, s4].flatMap((local) => set(local, zeroF64x2)),
    ...forRange(j, int(0), get(h8), 16, [
      ...set(c1, tableAt(0)), ...set(n1, tableAt(1)), ...set(c2, tableAt(2)), ...set(n2, tableAt(3)),
      ...set(even, addF64x2(addF64x2(get(x0), mulF64x2(get(x3), get(c2))), mulF64x2(get(x4), get(n2)))),
      ...set(odd, addF64x2(mulF64x2(get(x1), get(c1)), mulF64x2(get(x2), get(n1)))),
      ...set(gEven, addF64x2(addF64x2(get(g0), mulF64x2(get(g3), get(c2))), mulF64x2(get(g4), get(n2)))),
      ...set(gOdd, addF64x2(mulF64x2(get(g1), get(c1)), mulF64x2(get(g2), get(n1)))),
      ...set(y0, addF64x2(get(even), get(odd))), ...siluGradient(y0, addF64x2(get(gEven), get(gOdd))),
      ...set(y1, subF64x2(get(even), get(odd))), ...siluGradient(y1, subF64x2(get(gEven), get(gOdd))),
      ...set(even, addF64x2(get(y0), get(y1))), ...set(odd, subF64x2(get(y0), get(y1))),
      ...set(s0, addF64x2(get(s0), get(even))),
      ...set(s1, addF64x2(get(s1), mulF64x2(get(odd), get(c1)))), ...set(s2, addF64x2(get(s2), mulF64x2(get(odd), get(n1)))),
      ...set(s3, addF64x2(get(s3), mulF64x2(get(even), get(c2)))), ...set(s4, addF64x2(get(s4), mulF64x2(get(even), get(n2)))),
    ]),
    ...[s0, s1, s2, s3, s4].flatMap((local, d) => storeF64AsF32(add(get(OUT), coefficient(d)), sumLanes(get(local)))),
  ]),
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const SILU_KERNEL_BYTES = buildModule([
  { name: 'forward', params: 6, locals: LOCALS, body: forwardBody },
  { name: 'backward', params: 6, locals: LOCALS, body: backwardBody },
], 1);

const kernelModule = lazyModule(SILU_KERNEL_BYTES);

/** The SiLU nonlinearity of M = 2 fields with N samples (N divisible by 4), over a WebAssembly memory that grows with the field. */
export class SimdSiluOrder2 {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: Record<'forward' | 'backward', (...args: number[]) => void>;
  private readonly tableBytes: number;
  private readonly half: number;

  private constructor(module: WebAssembly.Module, samples: number, table: Float64Array) {
    this.half = samples / 2;
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.kernels = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as SimdSiluOrder2['kernels'];
    const constants = new Float64Array(this.memory.buffer, 0, table.length + 2);
    constants.set(table);
    constants[table.length] = 1 / samples;
    constants[table.length + 1] = 2 / samples;
    this.tableBytes = (table.length + 2) * 8;
  }

  /** The kernels for N samples and the half-period table of regular-nonlinearity-order2, or null where unavailable or N is not a multiple of 4. */
  static create(samples: number, table: Float64Array): SimdSiluOrder2 | null {
    const module = samples % 4 === 0 ? kernelModule() : null;
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
    const bytes = this.tableBytes + 4 * floats * count, have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    return Array.from({ length: count }, (_, f) => this.tableBytes + 4 * floats * f);
  }
}
