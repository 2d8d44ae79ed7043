// A minimal WebAssembly binary writer for the few numeric kernels of the cpu backend: one imported
// memory, exported functions of i32 parameters and no result, and expression helpers that emit
// stack code in evaluation order, so a kernel reads like the loop nest it is.

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** Bytecode of one instruction sequence. */
export type Code = number[];

/** One exported function: i32 parameters (locals 0 … params − 1), then the declared locals. */
export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  /** Types of the further locals, numbered after the parameters. */
  readonly locals: readonly number[];
  readonly body: Code;
}

function unsigned(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function signed(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const name = (s: string): Code => [...unsigned(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
const section = (id: number, content: Code): Code => [id, ...unsigned(content.length), ...content];
const vector = (items: Code[]): Code => [...unsigned(items.length), ...items.flat()];
const simd = (op: number): Code => [0xfd, ...unsigned(op)];

/** The module's bytes: memory imported as env.memory (at least `pages` pages of 64 KiB), every function exported. */
export function buildModule(functions: readonly WasmFunction[], pages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(Array.from({ length: f.params }, () => [I32])), 0]);
  const bodies = functions.map((f) => {
    const locals = vector(f.locals.map((type) => [1, type]));
    const code = [...locals, ...f.body, 0x0b];
    return [...unsigned(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...unsigned(pages)]])),
    ...section(3, vector(functions.map((_, i) => unsigned(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsigned(i)]))),
    ...section(10, vector(bodies)),
  ]);
}

/** Numbers a function's locals after its parameters, in the order taken, and lists their types for {@link WasmFunction.locals}. */
export class Locals {
  readonly types: number[] = [];
  constructor(private readonly params: number) {}

  /** `count` new locals of `type`, numbered in order. */
  take(type: number, count: number): number[] {
    const first = this.params + this.types.length;
    for (let i = 0; i < count; i++) this.types.push(type);
    return Array.from({ length: count }, (_, i) => first + i);
  }
}

/** The functions `module` exports, instantiated over `memory` (the env.memory every kernel imports). */
export function instantiate<Name extends string>(module: WebAssembly.Module, memory: WebAssembly.Memory): Record<Name, (...args: number[]) => void> {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Record<Name, (...args: number[]) => void>;
}

/**
 * The module of `bytes`, compiled on the first call; null where WebAssembly SIMD is unavailable or
 * compiling is refused (a content security policy without 'wasm-unsafe-eval', or Chrome's 4 KiB
 * limit on synchronous compiles on the main thread): callers keep their JavaScript loops.
 */
export function lazyModule(bytes: Uint8Array<ArrayBuffer>): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

// Expressions: each returns the code that leaves its value on the stack.
export const get = (local: number): Code => [0x20, ...unsigned(local)];
export const set = (local: number, value: Code): Code => [...value, 0x21, ...unsigned(local)];
export const int = (n: number): Code => [0x41, ...signed(n)];
export const add = (a: Code, b: Code): Code => [...a, ...b, 0x6a];
export const mul = (a: Code, b: Code): Code => [...a, ...b, 0x6c];
/** i32 at byte address `address`. */
export const loadI32 = (address: Code): Code => [...address, 0x28, 2, 0];
/** a ≥ b and a − b as signed i32. */
export const geS = (a: Code, b: Code): Code => [...a, ...b, 0x4e];
export const sub = (a: Code, b: Code): Code => [...a, ...b, 0x6b];
/** `whenTrue` if `condition` is nonzero, else `whenFalse` (both evaluated). */
export const select = (whenTrue: Code, whenFalse: Code, condition: Code): Code => [...whenTrue, ...whenFalse, ...condition, 0x1b];
/** if (condition) body. */
export const when = (condition: Code, body: Code): Code => [...condition, 0x04, 0x40, ...body, 0x0b];
/** Calls function `index` of the module with i32 arguments (it returns nothing). */
export const call = (index: number, args: readonly Code[]): Code => [...args.flat(), 0x10, ...unsigned(index)];
export const eqF64 = (a: Code, b: Code): Code => [...a, ...b, 0x61];
/** f64 at byte address `address`. */
export const loadF64 = (address: Code): Code => [...address, 0x2b, 3, 0];
export const addF64 = (a: Code, b: Code): Code => [...a, ...b, 0xa0];
export const subF64 = (a: Code, b: Code): Code => [...a, ...b, 0xa1];
/** A v128 of zero bits: 0 in every lane of any type. */
export const zeroV128: Code = [0x44, 0, 0, 0, 0, 0, 0, 0, 0, ...simd(0x14)];
/** An f64 constant. */
export const f64 = (x: number): Code => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)];
export const mulF64 = (a: Code, b: Code): Code => [...a, ...b, 0xa2];
/** f32 at `address`, widened to f64; an f64 narrowed and stored as f32. */
export const loadF32AsF64 = (address: Code): Code => [...address, 0x2a, 2, 0, 0xbb];
export const storeF64AsF32 = (address: Code, value: Code): Code => [...address, ...value, 0xb6, 0x38, 2, 0];

/** f32 at byte address `address`; an f32 stored. */
export const loadF32 = (address: Code): Code => [...address, 0x2a, 2, 0];
export const storeF32 = (address: Code, value: Code): Code => [...address, ...value, 0x38, 2, 0];
export const addF32 = (a: Code, b: Code): Code => [...a, ...b, 0x92];
export const subF32 = (a: Code, b: Code): Code => [...a, ...b, 0x93];
/** An f64 rounded to f32, and an f32 widened to f64. */
export const demote = (value: Code): Code => [...value, 0xb6];
export const promote = (value: Code): Code => [...value, 0xbb];
/** Four f32 lanes at byte address `address` (4-byte aligned). */
export const loadF32x4 = (address: Code): Code => [...address, ...simd(0x00), 2, 0];
export const storeF32x4 = (address: Code, value: Code): Code => [...address, ...value, ...simd(0x0b), 2, 0];
export const splatF32x4 = (value: Code): Code => [...value, ...simd(0x13)];
export const addF32x4 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe4)];
export const subF32x4 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe5)];
export const mulF32x4 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe6)];
/** memory[address] += value for four f32 lanes (`address` is emitted twice, so keep it cheap). */
export const accumulateF32x4 = (address: Code, value: Code): Code => storeF32x4(address, addF32x4(loadF32x4(address), value));
export const divF32x4 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe7)];
export const minF32x4 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe8)];
export const maxF32x4 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xe9)];
/** Round each lane to the nearest integer, ties to even. */
export const nearestF32x4 = (a: Code): Code => [...a, ...simd(0x6a)];
/** 2^k for four integral f32 lanes k in [−126, 127]: k + 127 placed in the exponent bits. */
export const pow2F32x4 = (k: Code): Code => [
  ...k, ...simd(0xf8), // i32x4.trunc_sat_f32x4_s
  ...int(127), ...simd(0x11), ...simd(0xae), // + splat(127)
  ...int(23), ...simd(0xab), // i32x4.shl 23
];
export const mulF32 = (a: Code, b: Code): Code => [...a, ...b, 0x94];
/** An f32 constant. */
export const f32 = (x: number): Code => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];
/** (lane 0 + lane 1) + (lane 2 + lane 3) of an f32x4 (`v` is emitted four times: pass a local.get). */
export const sumLanesF32x4 = (v: Code): Code => [
  ...v, ...simd(0x1f), 0, ...v, ...simd(0x1f), 1, 0x92, ...v, ...simd(0x1f), 2, ...v, ...simd(0x1f), 3, 0x92, 0x92,
];

/** for (i = start; i < end; i += step) body, with `end` re-evaluated each time. */
export function forRange(i: number, start: Code, end: Code, step: number, body: Code): Code {
  return [
    ...set(i, start),
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(i), ...end, 0x4e, 0x0d, 1, // i >= end: break out of the block
    ...body,
    ...set(i, add(get(i), int(step))),
    0x0c, 0, 0x0b, 0x0b, // br loop, end loop, end block
  ];
}

// Scalar code: f64 locals, comparisons (an i32 0 or 1), stores and branches, for kernels that
// walk graphs rather than stream lanes.
export const F64 = 0x7c;
export const eqI32 = (a: Code, b: Code): Code => [...a, ...b, 0x46];
export const neI32 = (a: Code, b: Code): Code => [...a, ...b, 0x47];
/** a < b, a ≥ b, a ≤ b as unsigned i32. */
export const ltU = (a: Code, b: Code): Code => [...a, ...b, 0x49];
export const geU = (a: Code, b: Code): Code => [...a, ...b, 0x4f];
export const leU = (a: Code, b: Code): Code => [...a, ...b, 0x4d];
export const andI32 = (a: Code, b: Code): Code => [...a, ...b, 0x71];
export const orI32 = (a: Code, b: Code): Code => [...a, ...b, 0x72];
export const shrU = (a: Code, b: Code): Code => [...a, ...b, 0x76];
export const neF64 = (a: Code, b: Code): Code => [...a, ...b, 0x62];
export const ltF64 = (a: Code, b: Code): Code => [...a, ...b, 0x63];
export const gtF64 = (a: Code, b: Code): Code => [...a, ...b, 0x64];
export const leF64 = (a: Code, b: Code): Code => [...a, ...b, 0x65];
export const geF64 = (a: Code, b: Code): Code => [...a, ...b, 0x66];
export const divF64 = (a: Code, b: Code): Code => [...a, ...b, 0xa3];
export const sqrtF64 = (a: Code): Code => [...a, 0x9f];
export const negF64 = (a: Code): Code => [...a, 0x9a];
/** An unsigned i32 as f64 (exact). */
export const u32ToF64 = (a: Code): Code => [...a, 0xb8];
export const storeI32 = (address: Code, value: Code): Code => [...address, ...value, 0x36, 2, 0];
export const storeF64 = (address: Code, value: Code): Code => [...address, ...value, 0x39, 3, 0];
/** if (condition) whenTrue else whenFalse. */
export const ifElse = (condition: Code, whenTrue: Code, whenFalse: Code): Code => [...condition, 0x04, 0x40, ...whenTrue, 0x05, ...whenFalse, 0x0b];
/** A block that `exitBlock(depth)` inside it leaves (depth counts the blocks, loops and ifs opened since). */
export const block = (body: Code): Code => [0x02, 0x40, ...body, 0x0b];
/**
 * `body` repeated until it branches out: `exitBlock(1)` at its top level leaves the loop, and
 * falling off its end starts the next round (add 1 to the depth for each if or block around a branch).
 */
export const repeat = (body: Code): Code => [0x02, 0x40, 0x03, 0x40, ...body, 0x0c, 0, 0x0b, 0x0b];
/** Branches to the end of the enclosing construct `depth` levels out. */
export const exitBlock = (depth: number): Code => [0x0c, ...unsigned(depth)];
export const exitBlockIf = (condition: Code, depth: number): Code => [...condition, 0x0d, ...unsigned(depth)];
/** The bucket ⌊x⌋ mod n of a non-negative f64 x (saturating at 2^64) and an unsigned i32 n, as i32: the remainder is taken in i64, so it is exact past 2^32. */
export const floorModU = (x: Code, n: Code): Code => [...x, 0xfc, 0x07, ...n, 0xad, 0x82, 0xa7];

// Two f64 lanes, for kernels whose scalar code works on pairs (points, unit complex numbers): each
// lane gets the same IEEE operations as the scalar code, so results stay bit for bit.
/** A v128 at byte address `address` (8-byte aligned); a v128 stored. */
export const loadV128 = (address: Code): Code => [...address, ...simd(0x00), 3, 0];
export const storeV128 = (address: Code, value: Code): Code => [...address, ...value, ...simd(0x0b), 3, 0];
/** Two f32 at byte address `address`, widened to two f64 lanes. */
export const loadF32PairAsF64x2 = (address: Code): Code => [...address, ...simd(0x5d), 2, 0, ...simd(0x5f)];
/** Two f64 lanes (a, b) as a constant. */
export const f64x2 = (a: number, b: number): Code => [...simd(0x0c), ...new Uint8Array(new Float64Array([a, b]).buffer)];
export const splatF64x2 = (value: Code): Code => [...value, ...simd(0x14)];
export const addF64x2 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xf0)];
export const mulF64x2 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xf2)];
export const divF64x2 = (a: Code, b: Code): Code => [...a, ...b, ...simd(0xf3)];
/** Lane `lane` (0 or 1) of two f64 lanes. */
export const laneF64 = (v: Code, lane: number): Code => [...v, ...simd(0x21), lane];
/** The f64 lanes (v[first], v[second]) of one v128. */
export const shuffleF64x2 = (v: Code, first: number, second: number): Code => {
  const bytes = (lane: number) => Array.from({ length: 8 }, (_, i) => 8 * lane + i);
  return [...v, ...v, ...simd(0x0d), ...bytes(first), ...bytes(second)];
};
/** a0 + a1 of two f64 lanes, in that order. */
export const sumLanesF64x2 = (v: Code): Code => addF64(laneF64(v, 0), laneF64(v, 1));
