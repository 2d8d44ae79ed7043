import {
  add, addF64, addF64x2, andI32, block, divF64, divF64x2, eqF64, eqI32, exitBlock, exitBlockIf, F64, f64, f64x2, geU, get, gtF64, I32, ifElse, int,
  loadF32PairAsF64x2, loadF64, loadI32, loadV128, Locals, ltF64, mul, mulF64, mulF64x2, neF64, neI32, orI32, repeat, set, shuffleF64x2, splatF64x2, sqrtF64,
  storeF64, storeI32, storeV128, sumLanesF64x2, u32ToF64, V128, when, zeroV128, type Code,
} from '../wasm/module-builder.js';
import { heapPop, heapPush, heapTopKey, heapTopValue, type HeapLocals, type HeapScratch } from '../wasm/min-heap-code.js';

// What the exp-map kernels (geodesic-patches-kernel, parent-log-maps-kernel) share: their
// parameters and locals, numbered alike so that both inline settleExpMap's code below, and the
// memory layout that ExpMapKernel places. Each kernel is its own module, under Chrome's 4 KiB
// limit for synchronous compiles on the main thread, and both run on one memory.

// Parameters: byte addresses of the unpacked 1-ring (offsets, neighbours, arrival f32×4, edge
// lengths f64, reverse entries), the exp-map state (f64×8 per vertex), the local index of each
// vertex, the members out, the heap's keys (f64) and values, the proposal scratch (f64×7 per
// neighbour), the arguments (ARGS_BYTES: reached, settled, radius, reach as f64, then as i32 the
// centre, heap capacity, out: member count and status (HEAP_FULL when the heap was full and the
// propagation must be rerun), then the cell and its size) and the cell of each local index.
export const OFFS = 0, NBR = 1, ARR = 2, LEN = 3, REV = 4, STATE = 5, LOCAL = 6, MEMBERS = 7, HK = 8, HV = 9, CACHE = 10, ARGS = 11, CELL = 12;
export const PARAMS = 13;
/** Bytes of the arguments region. */
export const ARGS_BYTES = 56;
const locals = new Locals(PARAMS);
export const [p, hn, cap, status, s, sb, e, end, q, qb, key, memberCount, i, par, c, n, value, start, t, tb, a, count, inclusive, ret, k, kEnd, cell, remaining] =
  locals.take(I32, 28);
export const [reached, settled, radius, reach, d, logRadius, x, y, m, length, candidate, heapKey, parentKey, dv, dt] = locals.take(F64, 15);
const [w, sumW0, sumW, along, len, norm] = locals.take(F64, 6);
// Pairs: (x, y) positions and steps, (cos, sin) transports, and their sums.
const [tU, tA, tASwapped, stepIn, g, step, proposedU, proposedA, sumXY0, sumCS0, sumXY, sumCS, u, transportSum, dir, product] = locals.take(V128, 16);
/** Types of the locals after the parameters, for buildModule. */
export const LOCALS = locals.types;

/** The status a propagation reports when the heap filled up. */
export const HEAP_FULL = 1;
/** NO_ENTRY of exp-map-steps as an i32. */
export const NO_ENTRY = 0xffffffff | 0;

export const at = (base: number, index: Code, bytes: number): Code => add(get(base), mul(index, int(bytes)));
export const u32At = (base: number, index: Code): Code => loadI32(at(base, index, 4));
export const f64At = (base: number, index: Code): Code => loadF64(at(base, index, 8));
/** Field j (0–7) of the exp-map record at byte address `record`. */
export const field = (record: number, j: number): Code => add(get(record), int(8 * j));
export const recordOf = (vertex: Code): Code => add(get(STATE), mul(vertex, int(64)));

/** The heap's locals and the scratch its code overwrites. */
export const heap: HeapLocals = { keys: HK, values: HV, size: hn, capacity: cap };
export const heapScratch: HeapScratch = { index: i, parent: par, child: c, last: n, value, key: heapKey, parentKey };
/** MinHeap.push, or status := HEAP_FULL. */
export const push = (keyCode: Code, valueCode: Code): Code => heapPush(heap, heapScratch, keyCode, valueCode, set(status, int(HEAP_FULL)));

/** The record of s at sb: u (2) and the transport as cos, sin (2) := the given codes. */
export const writeProposal = (values: readonly Code[]): Code => values.flatMap((v, j) => storeF64(field(sb, j), v));

/** settleExpMap(steps, state, s, p, settled) with the record of s at sb; its result in ret. Pairs run as two f64 lanes, each lane the scalar code's operations. */
export const settle: Code = block([
  ...set(start, u32At(OFFS, get(s))),
  ...set(end, u32At(OFFS, add(get(s), int(1)))),
  ...set(dv, loadF64(field(sb, 4))),
  ...set(count, int(0)),
  ...set(sumXY0, zeroV128),
  ...set(sumCS0, zeroV128),
  ...set(sumW0, f64(0)),
  ...set(inclusive, int(0)),
  ...repeat([
    ...exitBlockIf(orI32(geU(get(inclusive), int(2)), neI32(get(count), int(0))), 1),
    ...set(e, get(start)),
    ...repeat([
      ...exitBlockIf(geU(get(e), get(end)), 1),
      ...set(t, u32At(NBR, get(e))),
      ...set(tb, recordOf(get(t))),
      ...when(eqF64(loadF64(field(tb, 5)), get(settled)), [
        ...set(a, at(ARR, get(e), 16)),
        // The centre's frame is the reference: the step itself (depth: this if, the settled if, two loops' blocks, the settle block).
        ...when(eqI32(get(t), get(p)), [
          ...storeV128(field(sb, 0), loadF32PairAsF64x2(get(a))),
          ...storeV128(field(sb, 2), loadF32PairAsF64x2(add(get(a), int(8)))),
          ...set(ret, u32At(REV, get(e))),
          ...exitBlock(6),
        ]),
        ...set(dt, loadF64(field(tb, 4))),
        ...when(eqI32(orI32(gtF64(get(dt), get(dv)), andI32(eqF64(get(dt), get(dv)), eqI32(get(inclusive), int(0)))), int(0)), [
          // t's position u_t and transport (cos, sin) a_t; the step v − t in t's frame and g_{v→t}.
          ...set(tU, loadV128(field(tb, 0))),
          ...set(tA, loadV128(field(tb, 2))),
          ...set(tASwapped, shuffleF64x2(get(tA), 1, 0)),
          ...set(stepIn, loadF32PairAsF64x2(get(a))),
          ...set(g, loadF32PairAsF64x2(add(get(a), int(8)))),
          ...set(length, f64At(LEN, get(e))),
          // (pc, ps) = a_t · g as complex numbers: (tc·gc − ts·gs, ts·gc + tc·gs).
          ...set(proposedA, rotate(g)),
          // An unwelded duplicate: t's proposal alone (depth: this if, the proposing if, the settled if, two loops' blocks, the settle block).
          ...when(eqF64(get(length), f64(0)), [
            ...storeV128(field(sb, 0), get(tU)),
            ...storeV128(field(sb, 2), get(proposedA)),
            ...set(ret, int(NO_ENTRY)),
            ...exitBlock(7),
          ]),
          // t's step to v in the centre's frame, a_t · step, and the proposal u_t + it.
          ...set(step, rotate(stepIn)),
          ...set(proposedU, addF64x2(get(tU), get(step))),
          ...set(w, divF64(f64(1), mulF64(get(length), get(length)))),
          ...set(k, add(get(CACHE), mul(get(count), int(56)))),
          ...storeV128(get(k), get(proposedU)),
          ...storeV128(add(get(k), int(16)), get(proposedA)),
          ...storeV128(add(get(k), int(32)), get(step)),
          ...storeF64(add(get(k), int(48)), get(w)),
          ...set(count, add(get(count), int(1))),
          ...set(sumXY0, addF64x2(get(sumXY0), mulF64x2(splatF64x2(get(w)), get(proposedU)))),
          ...set(sumCS0, addF64x2(get(sumCS0), mulF64x2(splatF64x2(get(w)), get(proposedA)))),
          ...set(sumW0, addF64(get(sumW0), get(w))),
        ]),
      ]),
      ...set(e, add(get(e), int(1))),
    ]),
    ...set(inclusive, add(get(inclusive), int(1))),
  ]),
  ...set(u, zeroV128),
  ...set(transportSum, zeroV128),
  ...set(dir, zeroV128),
  ...block([
    // Pass 0: the sums gathered above.
    ...exitBlockIf(eqF64(get(sumW0), f64(0)), 0),
    ...average(sumXY0, sumCS0, sumW0),
    ...exitBlockIf(eqF64(get(len), f64(0)), 0),
    ...set(dir, divF64x2(get(u), splatF64x2(get(len)))),
    // Pass 1: weights cos α / r², α from pass 0's direction; steps at right angles or backwards weigh nothing.
    ...set(sumXY, zeroV128),
    ...set(sumCS, zeroV128),
    ...set(sumW, f64(0)),
    ...set(k, get(CACHE)),
    ...set(kEnd, add(get(CACHE), mul(get(count), int(56)))),
    ...repeat([
      ...exitBlockIf(geU(get(k), get(kEnd)), 1),
      ...set(product, mulF64x2(loadV128(add(get(k), int(32))), get(dir))),
      ...set(along, mulF64(sumLanesF64x2(get(product)), sqrtF64(loadF64(add(get(k), int(48)))))),
      ...when(gtF64(get(along), f64(0)), [
        ...set(w, mulF64(loadF64(add(get(k), int(48))), get(along))),
        ...set(sumXY, addF64x2(get(sumXY), mulF64x2(splatF64x2(get(w)), loadV128(get(k))))),
        ...set(sumCS, addF64x2(get(sumCS), mulF64x2(splatF64x2(get(w)), loadV128(add(get(k), int(16)))))),
        ...set(sumW, addF64(get(sumW), get(w))),
      ]),
      ...set(k, add(get(k), int(56))),
    ]),
    ...exitBlockIf(eqF64(get(sumW), f64(0)), 0),
    ...average(sumXY, sumCS, sumW),
  ]),
  ...set(product, mulF64x2(get(transportSum), get(transportSum))),
  ...set(norm, sqrtF64(sumLanesF64x2(get(product)))),
  ...storeV128(field(sb, 0), get(u)),
  ...storeV128(field(sb, 2), divF64x2(get(transportSum), splatF64x2(get(norm)))),
  ...set(ret, int(NO_ENTRY)),
]);

/** a_t · z as complex numbers for z = (zx, zy) in a local: (tc·zx − ts·zy, ts·zx + tc·zy), as (tc·zx + ts·(−zy), ts·zx + tc·zy). */
function rotate(z: number): Code {
  const first = mulF64x2(get(tA), shuffleF64x2(get(z), 0, 0));
  const second = mulF64x2(get(tASwapped), mulF64x2(shuffleF64x2(get(z), 1, 1), f64x2(-1, 1)));
  return addF64x2(first, second);
}

/** u = Σ w·proposal / Σ w, the transport sums kept, and len = |u|. */
function average(sumULocal: number, sumALocal: number, sumWLocal: number): Code {
  return [
    ...set(u, divF64x2(get(sumULocal), splatF64x2(get(sumWLocal)))),
    ...set(transportSum, get(sumALocal)),
    ...set(product, mulF64x2(get(u), get(u))),
    ...set(len, sqrtF64(sumLanesF64x2(get(product)))),
  ];
}

/** A propagation's start: the arguments read, the centre p reached at distance 0 and pushed. */
export const beginPropagation: Code = [
  ...set(reached, loadF64(get(ARGS))),
  ...set(settled, loadF64(add(get(ARGS), int(8)))),
  ...set(radius, loadF64(add(get(ARGS), int(16)))),
  ...set(reach, loadF64(add(get(ARGS), int(24)))),
  ...set(p, loadI32(add(get(ARGS), int(32)))),
  ...set(cap, loadI32(add(get(ARGS), int(36)))),
  ...set(cell, loadI32(add(get(ARGS), int(48)))),
  ...set(remaining, loadI32(add(get(ARGS), int(52)))),
  ...set(status, int(0)),
  ...set(memberCount, int(0)),
  ...set(hn, int(0)),
  ...set(sb, recordOf(get(p))),
  ...storeF64(field(sb, 4), f64(0)),
  ...storeF64(field(sb, 5), get(reached)),
  ...push(f64(0), get(p)),
];

/** The heap's front popped: its distance in d, its vertex in s and s's record at sb. */
export const popFront: Code = [
  ...set(d, heapTopKey(heap)),
  ...set(s, heapTopValue(heap)),
  ...heapPop(heap, heapScratch),
  ...set(sb, recordOf(get(s))),
];

/** Settles s (the centre or by settle), keeping settle's result in the record's free field. */
export const settleFront: Code = [
  ...storeF64(field(sb, 5), get(settled)),
  ...ifElse(eqI32(get(s), get(p)), [...writeProposal([f64(0), f64(0), f64(1), f64(0)]), ...set(ret, int(NO_ENTRY))], settle),
  ...storeF64(field(sb, 6), u32ToF64(get(ret))),
];

/** members[memberCount++] = key. */
export const addMember: Code = [
  ...storeI32(at(MEMBERS, get(memberCount), 4), get(key)),
  ...set(memberCount, add(get(memberCount), int(1))),
];

/** q := the neighbour of entry e, qb its record, m its mark and candidate = d + the edge's length. */
export const visitNeighbour: Code = [
  ...set(q, u32At(NBR, get(e))),
  ...set(qb, recordOf(get(q))),
  ...set(m, loadF64(field(qb, 5))),
  ...set(length, f64At(LEN, get(e))),
  ...set(candidate, addF64(get(d), get(length))),
];

/** q reached at `candidate` (and pushed) unless it was already reached at most that far. */
export const reachNeighbour: Code = when(orI32(neF64(get(m), get(reached)), ltF64(get(candidate), loadF64(field(qb, 4)))), [
  ...storeF64(field(qb, 4), get(candidate)),
  ...storeF64(field(qb, 5), get(reached)),
  ...push(get(candidate), get(q)),
]);

/** The results a propagation reports: its member count and status. */
export const endPropagation: Code = [
  ...storeI32(add(get(ARGS), int(40)), get(memberCount)),
  ...storeI32(add(get(ARGS), int(44)), get(status)),
];
