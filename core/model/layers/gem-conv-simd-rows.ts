import {
  add, addF64, call, demote, eqF64, F64, f64, forRange, geS, get, I32, int, loadF32, loadF32AsF64, loadF64, loadI32, Locals, mul, mulF64,
  promote, select, set, storeF32, storeF32x4, storeF64AsF32, sub, subF64, when, zeroV128, type Code, type WasmFunction,
} from '../../wasm/module-builder.js';
import { slotCoefficients } from './slot-kernels.js';

// The per-entry loops of a GEM convolution (GemConv.aggregateRow and the scatter of its backward)
// as WebAssembly over a block of rows, so a row's entries no longer cross from JavaScript one by
// one. Rotations and slot coefficients are computed in float64 and rounded once to the float32 of
// the aggregates. Entries with ring −1 are skipped; the caller marks r = 0 entries that way and
// handles them itself.

// Parameters (all i32; addresses in bytes), in the order SimdProducts passes them.
const COUNT = 0, P0 = 1, ACC = 2, STRIDEB = 3, FIELD = 4, INW = 5, SRC = 6, RING = 7, OFFS = 8, W0 = 9, W1 = 10;
const COS_IN = 11, SIN_IN = 12, COS_OUT = 13, SIN_OUT = 14, MIN = 15, CIN = 16, MOUT = 17, S = 18, Z = 19, COEF = 20;
const PARAMS = 21;
const locals = new Locals(PARAMS);
const [b, e, end, k, a0, x0, c, n, i, din, m, slotB] = locals.take(I32, 12);
const [cs, sn, w0, w1, va, vb] = locals.take(F64, 6);

const f64At = (base: number, index: Code): Code => loadF64(add(get(base), mul(index, int(8))));
const f32At = (address: Code): Code => loadF32AsF64(address);
/** Byte address of float i of the current source's row in the f32 field. */
const fieldFloat = (index: Code): Code => add(get(x0), mul(index, int(4)));
const zAt = (index: Code): Code => add(get(Z), mul(index, int(4)));

/** Loops over the block's rows and their entries of ring ≥ 0, with a0 at the row's aggregates and x0 at the entry's source. */
function overEntries(body: Code): Code {
  return [
    ...set(din, add(mul(get(MIN), int(2)), int(1))),
    ...set(slotB, mul(get(INW), int(4))),
    ...forRange(b, int(0), get(COUNT), 1, [
      ...set(a0, add(get(ACC), mul(get(b), get(STRIDEB)))),
      ...set(end, loadI32(add(get(OFFS), mul(add(add(get(P0), get(b)), int(1)), int(4))))),
      ...forRange(e, loadI32(add(get(OFFS), mul(add(get(P0), get(b)), int(4)))), get(end), 1, [
        ...set(k, loadI32(add(get(RING), mul(get(e), int(4))))),
        ...when(geS(get(k), int(0)), [
          ...set(x0, add(get(FIELD), mul(mul(loadI32(add(get(SRC), mul(get(e), int(4)))), get(INW)), int(4)))),
          ...body,
        ]),
      ]),
    ]),
  ];
}

/** For each order n ≥ 1 of the input, cs/sn = cos/sin(n(g − θ)) of the entry and i at channel c's pair: body. */
function overInputPairs(body: Code): Code {
  return forRange(n, int(1), add(get(MIN), int(1)), 1, [
    ...set(cs, f64At(COS_IN, sub(add(mul(get(e), get(MIN)), get(n)), int(1)))),
    ...set(sn, f64At(SIN_IN, sub(add(mul(get(e), get(MIN)), get(n)), int(1)))),
    ...forRange(c, int(0), get(CIN), 1, [
      ...set(i, sub(add(mul(get(c), get(din)), mul(get(n), int(2))), int(1))),
      ...body,
    ]),
  ]);
}

/** The slot coefficients of entry e over the output harmonics cos(mθ), sin(mθ). */
const slotCoefficientsOfEntry: Code = [
  ...set(w0, f64At(W0, get(e))),
  ...set(w1, f64At(W1, get(e))),
  ...slotCoefficients({ e, m, cs, sn, w0, w1, cos: COS_OUT, sin: SIN_OUT, orders: MOUT, slots: S, coef: COEF }),
];
/** Arguments of spread / gather over the entry's rings k and k + 1 (ring k only when w1 = 0). */
const slotArguments = (): Code[] => [
  select(get(S), mul(get(S), int(2)), eqF64(get(w1), f64(0))),
  get(slotB),
  add(get(a0), mul(mul(get(k), get(S)), get(slotB))),
  get(Z),
  get(COEF),
];

/** aggregates of the block's rows, zeroed and then summed entry by entry: z = ρ_in(g − θ) x_q spread over the entry's slots. */
function aggregateBody(spread: number): Code {
  return [
    ...forRange(b, int(0), get(COUNT), 1, forRange(i, int(0), get(STRIDEB), 16, storeF32x4(add(add(get(ACC), mul(get(b), get(STRIDEB))), get(i)), zeroV128))),
    ...overEntries([
      ...forRange(c, int(0), get(CIN), 1, storeF32(zAt(mul(get(c), get(din))), loadF32(fieldFloat(mul(get(c), get(din)))))),
      ...overInputPairs([
        ...set(va, f32At(fieldFloat(get(i)))),
        ...set(vb, f32At(fieldFloat(add(get(i), int(1))))),
        ...storeF32(zAt(get(i)), demote(subF64(mulF64(get(cs), get(va)), mulF64(get(sn), get(vb))))),
        ...storeF32(zAt(add(get(i), int(1))), demote(addF64(mulF64(get(sn), get(va)), mulF64(get(cs), get(vb))))),
      ]),
      ...slotCoefficientsOfEntry,
      ...call(spread, slotArguments()),
    ]),
  ];
}

/** f32 field[address] += value, rounding once as JavaScript's `+=` on a Float32Array does. */
const accumulateF32 = (address: Code, value: Code): Code => storeF64AsF32(address, addF64(f32At(address), value));

/** The field gradient (f32) += ρ_in(−(g − θ)) dz per entry, dz gathered from the aggregate gradients of its slots. */
function scatterBody(gather: number): Code {
  return overEntries([
    ...forRange(i, int(0), get(slotB), 16, storeF32x4(add(get(Z), get(i)), zeroV128)),
    ...slotCoefficientsOfEntry,
    ...call(gather, slotArguments()),
    ...forRange(c, int(0), get(CIN), 1, accumulateF32(fieldFloat(mul(get(c), get(din))), promote(loadF32(zAt(mul(get(c), get(din))))))),
    ...overInputPairs([
      ...set(va, promote(loadF32(zAt(get(i))))),
      ...set(vb, promote(loadF32(zAt(add(get(i), int(1)))))),
      ...accumulateF32(fieldFloat(get(i)), addF64(mulF64(get(cs), get(va)), mulF64(get(sn), get(vb)))),
      ...accumulateF32(fieldFloat(add(get(i), int(1))), subF64(mulF64(get(cs), get(vb)), mulF64(get(sn), get(va)))),
    ]),
  ]);
}

/** The two row kernels, calling the module's spread and gather functions by index. */
export function rowKernels(spread: number, gather: number): WasmFunction[] {
  return [
    { name: 'aggregate', params: PARAMS, locals: locals.types, body: aggregateBody(spread) },
    { name: 'scatter', params: PARAMS, locals: locals.types, body: scatterBody(gather) },
  ];
}
