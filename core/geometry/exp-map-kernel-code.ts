import {
  add, addF64, andI32, block, divF64, eqF64, eqI32, exitBlock, exitBlockIf, F64, f64, geU, get, gtF64, I32, ifElse, int, loadF32AsF64, Locals, loadF64, loadI32,
  ltF64, mul, mulF64, neF64, neI32, orI32, repeat, set, sqrtF64, storeF64, storeI32, subF64, u32ToF64, when, type Code,
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
const [tx, ty, tc, ts, sx, sy, gc, gs, stepX, stepY, px, py, pc, ps, w] = locals.take(F64, 15);
const [sumX0, sumY0, sumC0, sumS0, sumW0, sumX, sumY, sumC, sumS, sumW, ux, uy, sumCos, sumSin, dirX, dirY, along, len, norm] = locals.take(F64, 19);
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
const arrivalAt = (j: number): Code => loadF32AsF64(add(get(a), int(4 * j)));

/** The heap's locals and the scratch its code overwrites. */
export const heap: HeapLocals = { keys: HK, values: HV, size: hn, capacity: cap };
export const heapScratch: HeapScratch = { index: i, parent: par, child: c, last: n, value, key: heapKey, parentKey };
/** MinHeap.push, or status := HEAP_FULL. */
export const push = (keyCode: Code, valueCode: Code): Code => heapPush(heap, heapScratch, keyCode, valueCode, set(status, int(HEAP_FULL)));

/** The record of s at sb: u (2) and the transport as cos, sin (2) := the given codes. */
export const writeProposal = (values: readonly Code[]): Code => values.flatMap((v, j) => storeF64(field(sb, j), v));

/** settleExpMap(steps, state, s, p, settled) with the record of s at sb; its result in ret. */
export const settle: Code = block([
  ...set(start, u32At(OFFS, get(s))),
  ...set(end, u32At(OFFS, add(get(s), int(1)))),
  ...set(dv, loadF64(field(sb, 4))),
  ...set(count, int(0)),
  ...[sumX0, sumY0, sumC0, sumS0, sumW0].flatMap((sum) => set(sum, f64(0))),
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
          ...writeProposal([arrivalAt(0), arrivalAt(1), arrivalAt(2), arrivalAt(3)]),
          ...set(ret, u32At(REV, get(e))),
          ...exitBlock(6),
        ]),
        ...set(dt, loadF64(field(tb, 4))),
        ...when(eqI32(orI32(gtF64(get(dt), get(dv)), andI32(eqF64(get(dt), get(dv)), eqI32(get(inclusive), int(0)))), int(0)), [
          ...set(tx, loadF64(field(tb, 0))), ...set(ty, loadF64(field(tb, 1))), ...set(tc, loadF64(field(tb, 2))), ...set(ts, loadF64(field(tb, 3))),
          ...set(sx, arrivalAt(0)), ...set(sy, arrivalAt(1)), ...set(gc, arrivalAt(2)), ...set(gs, arrivalAt(3)),
          ...set(length, f64At(LEN, get(e))),
          ...set(pc, subF64(mulF64(get(tc), get(gc)), mulF64(get(ts), get(gs)))),
          ...set(ps, addF64(mulF64(get(ts), get(gc)), mulF64(get(tc), get(gs)))),
          // An unwelded duplicate: t's proposal alone (depth: this if, the proposing if, the settled if, two loops' blocks, the settle block).
          ...when(eqF64(get(length), f64(0)), [
            ...writeProposal([get(tx), get(ty), get(pc), get(ps)]),
            ...set(ret, int(NO_ENTRY)),
            ...exitBlock(7),
          ]),
          ...set(stepX, subF64(mulF64(get(tc), get(sx)), mulF64(get(ts), get(sy)))),
          ...set(stepY, addF64(mulF64(get(ts), get(sx)), mulF64(get(tc), get(sy)))),
          ...set(px, addF64(get(tx), get(stepX))),
          ...set(py, addF64(get(ty), get(stepY))),
          ...set(w, divF64(f64(1), mulF64(get(length), get(length)))),
          ...set(k, add(get(CACHE), mul(get(count), int(56)))),
          ...[px, py, pc, ps, stepX, stepY, w].flatMap((v, j) => storeF64(add(get(k), int(8 * j)), get(v))),
          ...set(count, add(get(count), int(1))),
          ...set(sumX0, addF64(get(sumX0), mulF64(get(w), get(px)))),
          ...set(sumY0, addF64(get(sumY0), mulF64(get(w), get(py)))),
          ...set(sumC0, addF64(get(sumC0), mulF64(get(w), get(pc)))),
          ...set(sumS0, addF64(get(sumS0), mulF64(get(w), get(ps)))),
          ...set(sumW0, addF64(get(sumW0), get(w))),
        ]),
      ]),
      ...set(e, add(get(e), int(1))),
    ]),
    ...set(inclusive, add(get(inclusive), int(1))),
  ]),
  ...[ux, uy, sumCos, sumSin, dirX, dirY].flatMap((v) => set(v, f64(0))),
  ...block([
    // Pass 0: the sums gathered above.
    ...exitBlockIf(eqF64(get(sumW0), f64(0)), 0),
    ...average(sumX0, sumY0, sumC0, sumS0, sumW0),
    ...exitBlockIf(eqF64(get(len), f64(0)), 0),
    ...set(dirX, divF64(get(ux), get(len))),
    ...set(dirY, divF64(get(uy), get(len))),
    // Pass 1: weights cos α / r², α from pass 0's direction; steps at right angles or backwards weigh nothing.
    ...[sumX, sumY, sumC, sumS, sumW].flatMap((sum) => set(sum, f64(0))),
    ...set(k, get(CACHE)),
    ...set(kEnd, add(get(CACHE), mul(get(count), int(56)))),
    ...repeat([
      ...exitBlockIf(geU(get(k), get(kEnd)), 1),
      ...set(along, mulF64(addF64(mulF64(loadF64(add(get(k), int(32))), get(dirX)), mulF64(loadF64(add(get(k), int(40))), get(dirY))), sqrtF64(loadF64(add(get(k), int(48)))))),
      ...when(gtF64(get(along), f64(0)), [
        ...set(w, mulF64(loadF64(add(get(k), int(48))), get(along))),
        ...[sumX, sumY, sumC, sumS].flatMap((sum, j) => set(sum, addF64(get(sum), mulF64(get(w), loadF64(add(get(k), int(8 * j))))))),
        ...set(sumW, addF64(get(sumW), get(w))),
      ]),
      ...set(k, add(get(k), int(56))),
    ]),
    ...exitBlockIf(eqF64(get(sumW), f64(0)), 0),
    ...average(sumX, sumY, sumC, sumS, sumW),
  ]),
  ...set(norm, sqrtF64(addF64(mulF64(get(sumCos), get(sumCos)), mulF64(get(sumSin), get(sumSin))))),
  ...writeProposal([get(ux), get(uy), divF64(get(sumCos), get(norm)), divF64(get(sumSin), get(norm))]),
  ...set(ret, int(NO_ENTRY)),
]);

/** u = Σ w·proposal / Σ w, the transport sums kept, and len = |u|. */
function average(sumXLocal: number, sumYLocal: number, sumCLocal: number, sumSLocal: number, sumWLocal: number): Code {
  return [
    ...set(ux, divF64(get(sumXLocal), get(sumWLocal))),
    ...set(uy, divF64(get(sumYLocal), get(sumWLocal))),
    ...set(sumCos, get(sumCLocal)),
    ...set(sumSin, get(sumSLocal)),
    ...set(len, sqrtF64(addF64(mulF64(get(ux), get(ux)), mulF64(get(uy), get(uy))))),
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
