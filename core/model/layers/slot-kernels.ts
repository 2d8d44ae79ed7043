import {
  accumulateF32x4, add, demote, forRange, get, I32, int, loadF32, loadF32x4, loadF64, Locals, mul, mulF32x4, mulF64, set, splatF32x4, storeF32, sub,
  V128, type Code, type WasmFunction,
} from '../../wasm/module-builder.js';

// Kernels over `n` consecutive slots of a row of float32s starting at byte DST, each slot SLOTB
// bytes (a multiple of 16): spread adds coef_j · z to slot j, gather adds Σ_j coef_j · slot j to z
// (its adjoint). The GEM convolutions' per-entry steps: spreading an entry over its rings' slots,
// and gathering it back.

const N = 0, SLOTB = 1, DST = 2, Z = 3, COEF = 4;
const PARAMS = 5;
const locals = new Locals(PARAMS);
const [j, row] = locals.take(I32, 2);
const [cj] = locals.take(V128, 1);
const [e] = locals.take(I32, 1);
const LOCALS = locals.types;

const spreadBody: Code = forRange(j, int(0), get(N), 1, [
  ...set(cj, splatF32x4(loadF32(add(get(COEF), mul(get(j), int(4)))))),
  ...set(row, add(get(DST), mul(get(j), get(SLOTB)))),
  ...forRange(e, int(0), get(SLOTB), 16, accumulateF32x4(add(get(row), get(e)), mulF32x4(get(cj), loadF32x4(add(get(Z), get(e)))))),
]);
const gatherBody: Code = forRange(j, int(0), get(N), 1, [
  ...set(cj, splatF32x4(loadF32(add(get(COEF), mul(get(j), int(4)))))),
  ...set(row, add(get(DST), mul(get(j), get(SLOTB)))),
  ...forRange(e, int(0), get(SLOTB), 16, accumulateF32x4(add(get(Z), get(e)), mulF32x4(get(cj), loadF32x4(add(get(row), get(e)))))),
]);

/** spread(n, slotBytes, dst, z, coef) and gather(n, slotBytes, dst, z, coef), all i32 byte addresses. */
export const SLOT_KERNELS: WasmFunction[] = [
  { name: 'spread', params: PARAMS, locals: LOCALS, body: spreadBody },
  { name: 'gather', params: PARAMS, locals: LOCALS, body: gatherBody },
];

/** Locals (f64: w0, w1, cs, sn; i32: the rest) and parameters a kernel names for {@link slotCoefficients}. */
export interface CoefficientLocals {
  /** Entry index. */
  readonly e: number;
  /** Loop counter over orders. */
  readonly m: number;
  readonly cs: number;
  readonly sn: number;
  /** The entry's weights on rings k and k + 1, set by the caller. */
  readonly w0: number;
  readonly w1: number;
  /** f64 tables cos(mα), sin(mα) at [e · orders + m − 1]. */
  readonly cos: number;
  readonly sin: number;
  readonly orders: number;
  /** Slots per ring, 2 · orders + 1. */
  readonly slots: number;
  /** f32 coefficients written. */
  readonly coef: number;
}

/** coef = (w0, w0 cos mα, w0 sin mα, …, w1, w1 cos mα, w1 sin mα, …) for m = 1 … orders, computed in f64 and rounded once. */
export function slotCoefficients(v: CoefficientLocals): Code {
  const setCoef = (slot: Code, value: Code): Code => storeF32(add(get(v.coef), mul(slot, int(4))), demote(value));
  const table = (base: number): Code => loadF64(add(get(base), mul(sub(add(mul(get(v.e), get(v.orders)), get(v.m)), int(1)), int(8))));
  return [
    ...setCoef(int(0), get(v.w0)),
    ...setCoef(get(v.slots), get(v.w1)),
    ...forRange(v.m, int(1), add(get(v.orders), int(1)), 1, [
      ...set(v.cs, table(v.cos)),
      ...set(v.sn, table(v.sin)),
      ...setCoef(sub(mul(get(v.m), int(2)), int(1)), mulF64(get(v.w0), get(v.cs))),
      ...setCoef(mul(get(v.m), int(2)), mulF64(get(v.w0), get(v.sn))),
      ...setCoef(sub(add(get(v.slots), mul(get(v.m), int(2))), int(1)), mulF64(get(v.w1), get(v.cs))),
      ...setCoef(add(get(v.slots), mul(get(v.m), int(2))), mulF64(get(v.w1), get(v.sn))),
    ]),
  ];
}
