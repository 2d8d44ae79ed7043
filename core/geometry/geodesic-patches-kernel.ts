import {
  add, addF64, andI32, block, buildModule, divF64, eqF64, eqI32, exitBlock, exitBlockIf, F64, f64, geU, get, gtF64, I32, ifElse, int, lazyModule,
  leF64, loadF32AsF64, loadF64, loadI32, ltF64, mul, mulF64, neF64, neI32, orI32, repeat, set, sqrtF64, storeF64, storeI32, subF64, u32ToF64, when,
  type Code,
} from '../wasm/module-builder.js';
import { ensureBytes, placeRegions } from '../wasm/memory-regions.js';
import { heapPop, heapPush, heapTopKey, heapTopValue, type HeapLocals, type HeapScratch } from '../wasm/min-heap-code.js';
import type { ExpMapSteps } from './exp-map-steps.js';

// One row of geodesicPatches (a Dijkstra from a centre with the discrete exponential map of
// settleExpMap, and the min-heap of MinHeap) as WebAssembly: the same float64 operations in the
// same order, so the patches equal the JavaScript loop's bit for bit (tested); about 1.4× faster
// on level 1 of the SMPL body and of the Nefertiti scan (same process), where that loop was about
// a third of the preprocessing.

// Parameters: byte addresses of the unpacked 1-ring (offsets, neighbours, arrival f32×4, edge
// lengths f64, reverse entries), the exp-map state (f64×8 per vertex), the local index of each
// vertex, the members out, the heap's keys (f64) and values, the proposal scratch (f64×7 per
// neighbour) and the arguments: reached, settled, radius, reach (f64), then centre, heap
// capacity, and out: member count, status (1 when the heap was full and the row must be rerun).
const OFFS = 0, NBR = 1, ARR = 2, LEN = 3, REV = 4, STATE = 5, LOCAL = 6, MEMBERS = 7, HK = 8, HV = 9, CACHE = 10, ARGS = 11;
const PARAMS = 12;
let next = PARAMS;
const i32Local = (): number => next++;
const [p, hn, cap, status, s, sb, e, end, q, qb, key, memberCount, i, par, c, n, value, start, t, tb, a, count, inclusive, ret, k, kEnd] =
  Array.from({ length: 26 }, i32Local);
const I32_LOCALS = next - PARAMS;
const f64Local = (): number => next++;
const [reached, settled, radius, reach, d, logRadius, x, y, m, length, candidate, heapKey, parentKey, dv, dt] = Array.from({ length: 15 }, f64Local);
const [tx, ty, tc, ts, sx, sy, gc, gs, stepX, stepY, px, py, pc, ps, w] = Array.from({ length: 15 }, f64Local);
const [sumX0, sumY0, sumC0, sumS0, sumW0, sumX, sumY, sumC, sumS, sumW, ux, uy, sumCos, sumSin, dirX, dirY, along, len, norm] = Array.from({ length: 19 }, f64Local);
const LOCALS = [...Array(I32_LOCALS).fill(I32), ...Array(next - PARAMS - I32_LOCALS).fill(F64)] as number[];

/** The status a row reports when the heap filled up. */
export const HEAP_FULL = 1;
const NO_ENTRY = 0xffffffff | 0; // as i32

const at = (base: number, index: Code, bytes: number): Code => add(get(base), mul(index, int(bytes)));
const u32At = (base: number, index: Code): Code => loadI32(at(base, index, 4));
const f64At = (base: number, index: Code): Code => loadF64(at(base, index, 8));
/** Field j (0–7) of the exp-map record at byte address `record`. */
const field = (record: number, j: number): Code => add(get(record), int(8 * j));
const recordOf = (vertex: Code): Code => add(get(STATE), mul(vertex, int(64)));
const arrivalAt = (j: number): Code => loadF32AsF64(add(get(a), int(4 * j)));

const heap: HeapLocals = { keys: HK, values: HV, size: hn, capacity: cap };
const heapScratch: HeapScratch = { index: i, parent: par, child: c, last: n, value, key: heapKey, parentKey };
const push = (keyCode: Code, valueCode: Code): Code => heapPush(heap, heapScratch, keyCode, valueCode, set(status, int(HEAP_FULL)));

/** The record of s at sb: u (2) and the transport as cos, sin (2) := the given codes. */
const writeProposal = (values: readonly Code[]): Code => values.flatMap((v, j) => storeF64(field(sb, j), v));

/** settleExpMap(steps, state, s, p, settled) with the record of s at sb; its result in ret. */
const settle: Code = block([
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

/** The row: geodesicPatches' loop over the heap for one centre. */
const rowBody: Code = [
  ...set(reached, loadF64(get(ARGS))),
  ...set(settled, loadF64(add(get(ARGS), int(8)))),
  ...set(radius, loadF64(add(get(ARGS), int(16)))),
  ...set(reach, loadF64(add(get(ARGS), int(24)))),
  ...set(p, loadI32(add(get(ARGS), int(32)))),
  ...set(cap, loadI32(add(get(ARGS), int(36)))),
  ...set(status, int(0)),
  ...set(memberCount, int(0)),
  ...set(hn, int(0)),
  ...set(sb, recordOf(get(p))),
  ...storeF64(field(sb, 4), f64(0)),
  ...storeF64(field(sb, 5), get(reached)),
  ...push(f64(0), get(p)),
  ...repeat([
    ...exitBlockIf(orI32(eqI32(get(hn), int(0)), neI32(get(status), int(0))), 1),
    ...set(d, heapTopKey(heap)),
    ...set(s, heapTopValue(heap)),
    ...heapPop(heap, heapScratch),
    ...set(sb, recordOf(get(s))),
    // Not a stale duplicate of an improved key.
    ...when(neF64(loadF64(field(sb, 5)), get(settled)), [
      ...exitBlockIf(gtF64(get(d), get(reach)), 2),
      ...storeF64(field(sb, 5), get(settled)),
      ...set(logRadius, f64(0)),
      ...ifElse(eqI32(get(s), get(p)), writeProposal([f64(0), f64(0), f64(1), f64(0)]), [
        ...settle,
        ...storeF64(field(sb, 6), u32ToF64(get(ret))),
        ...set(x, loadF64(field(sb, 0))),
        ...set(y, loadF64(field(sb, 1))),
        ...set(key, u32At(LOCAL, get(s))),
        ...set(logRadius, sqrtF64(addF64(mulF64(get(x), get(x)), mulF64(get(y), get(y))))),
        ...when(andI32(neI32(get(key), int(NO_ENTRY)), leF64(get(logRadius), get(radius))), [
          ...storeI32(at(MEMBERS, get(memberCount), 4), get(key)),
          ...set(memberCount, add(get(memberCount), int(1))),
        ]),
      ]),
      ...set(end, u32At(OFFS, add(get(s), int(1)))),
      ...set(e, u32At(OFFS, get(s))),
      ...repeat([
        ...exitBlockIf(geU(get(e), get(end)), 1),
        ...set(q, u32At(NBR, get(e))),
        ...set(qb, recordOf(get(q))),
        ...set(m, loadF64(field(qb, 5))),
        ...set(length, f64At(LEN, get(e))),
        ...set(candidate, addF64(get(d), get(length))),
        // Not settled; a step from outside ρ + length cannot land inside the patch; within reach.
        ...when(andI32(andI32(neF64(get(m), get(settled)), eqI32(gtF64(subF64(get(logRadius), get(length)), get(radius)), int(0))), eqI32(gtF64(get(candidate), get(reach)), int(0))), [
          ...when(orI32(neF64(get(m), get(reached)), ltF64(get(candidate), loadF64(field(qb, 4)))), [
            ...storeF64(field(qb, 4), get(candidate)),
            ...storeF64(field(qb, 5), get(reached)),
            ...push(get(candidate), get(q)),
          ]),
        ]),
        ...set(e, add(get(e), int(1))),
      ]),
    ]),
  ]),
  ...storeI32(add(get(ARGS), int(40)), get(memberCount)),
  ...storeI32(add(get(ARGS), int(44)), get(status)),
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const GEODESIC_PATCHES_KERNEL_BYTES = buildModule([{ name: 'row', params: PARAMS, locals: LOCALS, body: rowBody }], 1);

const kernelModule = lazyModule(GEODESIC_PATCHES_KERNEL_BYTES);

// Bytes of the arguments region: four f64, then centre, heap capacity, member count and status.
const ARGS_BYTES = 48;

/**
 * The row kernel and its memory, kept for every call (like the propagations' heaps): the 1-ring
 * of one call copied in by `bind`, then `row` per centre; `state` and `members` are views that
 * `bind` and a heap that grows re-take.
 */
export class GeodesicPatchesKernel {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly run: (...addresses: number[]) => void;
  private addresses: number[] = [];
  private heapCapacity = 0;
  private vertexCount = 0;
  private entryCount = 0;
  private maxDegree = 0;
  /** The exp-map state of the last row, as in createExpMapState. */
  state = new Float64Array(0);
  /** The last row's members (local indices), unsorted. */
  members = new Uint32Array(0);

  private constructor(module: WebAssembly.Module) {
    this.run = (new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as { row: (...addresses: number[]) => void }).row;
  }

  /** The kernel, or null where WebAssembly is unavailable or refused. */
  static create(): GeodesicPatchesKernel | null {
    const module = kernelModule();
    return module === null ? null : new GeodesicPatchesKernel(module);
  }

  /** Copies the unpacked 1-ring and the local index of every vertex (NO_ENTRY where not a centre) in. */
  bind(steps: ExpMapSteps, localIndex: Uint32Array): void {
    const V = steps.vertexCount, E = steps.neighbours.length;
    this.vertexCount = V;
    this.entryCount = E;
    this.maxDegree = 0;
    for (let v = 0; v < V; v++) this.maxDegree = Math.max(this.maxDegree, steps.offsets[v + 1]! - steps.offsets[v]!);
    // Small at first, so that the doubling and rerun of a row runs on any real mesh (and in the tests).
    this.heapCapacity = Math.max(this.heapCapacity, 64);
    this.place();
    const buffer = this.memory.buffer, at = this.addresses;
    new Uint32Array(buffer, at[OFFS]!, V + 1).set(steps.offsets.subarray(0, V + 1));
    new Uint32Array(buffer, at[NBR]!, E).set(steps.neighbours);
    new Float32Array(buffer, at[ARR]!, 4 * E).set(steps.arrival);
    new Float64Array(buffer, at[LEN]!, E).set(steps.edgeLength);
    new Uint32Array(buffer, at[REV]!, E).set(steps.reverse);
    this.state.fill(0);
    new Uint32Array(buffer, at[LOCAL]!, V).set(localIndex);
  }

  /** One centre's propagation with the given stamps and radii; the number of members written to `members`. */
  row(centre: number, reached: number, settled: number, radius: number, reach: number): number {
    const argsAt = this.addresses[ARGS]!;
    new Float64Array(this.memory.buffer, argsAt, 4).set([reached, settled, radius, reach]);
    const ints = new Uint32Array(this.memory.buffer, argsAt + 32, 4);
    ints[0] = centre;
    ints[1] = this.heapCapacity;
    this.run(...this.addresses);
    if (ints[3] === HEAP_FULL) return -1;
    return ints[2]!;
  }

  /** Doubles the heap; the caller reruns the row with fresh stamps. */
  growHeap(): void {
    this.heapCapacity *= 2;
    this.place();
  }

  /**
   * Places the regions, grows the memory to hold them and re-takes the views. The heap comes after
   * everything `bind` copies in, so a larger heap leaves those regions, and their contents, in place.
   */
  private place(): void {
    const V = this.vertexCount, E = this.entryCount, H = this.heapCapacity;
    // One spare heap slot: pop reads the key after the last when comparing children.
    const { starts, end } = placeRegions(0, [4 * (V + 1), 4 * E, 16 * E, 8 * E, 4 * E, 64 * V, 4 * V, 4 * V, 8 * (H + 1), 4 * (H + 1), 56 * Math.max(1, this.maxDegree), ARGS_BYTES]);
    ensureBytes(this.memory, end);
    this.state = new Float64Array(this.memory.buffer, starts[STATE]!, 8 * V);
    this.members = new Uint32Array(this.memory.buffer, starts[MEMBERS]!, V);
    this.addresses = starts;
  }
}
