import {
  add, addF64, block, buildModule, eqI32, exitBlock, exitBlockIf, F64, f64, floorModU, geU, get, I32, int, instantiate, lazyModule, Locals, loadF64, loadI32, ltF64, mul,
  mulF64, neI32, repeat, set, storeF64, storeI32, sub, when, type Code,
} from '../../wasm/module-builder.js';
import { ensureBytes, placeRegions } from '../../wasm/memory-regions.js';
import type { LevelGraph } from './level-graph.js';

// One source of graphDistances' bucket Dijkstra (Dial's algorithm: a ring of buckets as linked
// lists in a pool) as WebAssembly: the same float64 sums, comparisons and bucket indices, so the
// same distances bit for bit (tested).

// Parameters: byte addresses of the graph's offsets, neighbours and weights, the source's row of
// distances (f64 per vertex), the settled mark per vertex, the ring's heads, the pool's vertex and
// next per entry, and the arguments: 1 / bucket width (f64), then the source, its mark, the ring
// size, the pool's capacity and out: the status (POOL_FULL when the pool filled; rerun with a larger one).
const OFFS = 0, NBR = 1, WGT = 2, ROW = 3, DONE = 4, HEAD = 5, EV = 6, EN = 7, ARGS = 8;
const PARAMS = 9;
const locals = new Locals(PARAMS);
const [source, mark, ring, capacity, status, used, queued, slot, entry, v, e, end, q, target] = locals.take(I32, 14);
const [inverse, d, candidate] = locals.take(F64, 3);
const LOCALS = locals.types;

/** The status a source reports when the pool of queued entries filled up. */
export const POOL_FULL = 1;

const at = (base: number, index: Code, bytes: number): Code => add(get(base), mul(index, int(bytes)));
const u32At = (base: number, index: Code): Code => loadI32(at(base, index, 4));
const rowAt = (vertex: Code): Code => at(ROW, vertex, 8);

/** q into bucket ⌊candidate / width⌋ mod ring (the caller checked the pool has room). */
const enqueue: Code = [
  ...set(target, floorModU(mulF64(get(candidate), get(inverse)), get(ring))),
  ...storeI32(at(EV, get(used), 4), get(q)),
  ...storeI32(at(EN, get(used), 4), u32At(HEAD, get(target))),
  ...storeI32(at(HEAD, get(target), 4), get(used)),
  ...set(used, add(get(used), int(1))),
  ...set(queued, add(get(queued), int(1))),
];

const body: Code = [
  ...set(inverse, loadF64(get(ARGS))),
  ...set(source, loadI32(add(get(ARGS), int(8)))),
  ...set(mark, loadI32(add(get(ARGS), int(12)))),
  ...set(ring, loadI32(add(get(ARGS), int(16)))),
  ...set(capacity, loadI32(add(get(ARGS), int(20)))),
  ...set(status, int(0)),
  ...block([
    ...storeF64(rowAt(get(source)), f64(0)),
    ...storeI32(get(EV), get(source)),
    ...storeI32(get(EN), int(-1)),
    ...storeI32(get(HEAD), int(0)),
    ...set(used, int(1)),
    ...set(queued, int(1)),
    ...set(slot, int(0)),
    ...repeat([
      ...exitBlockIf(eqI32(get(queued), int(0)), 1),
      ...set(entry, u32At(HEAD, get(slot))),
      ...storeI32(at(HEAD, get(slot), 4), int(-1)),
      ...repeat([
        ...exitBlockIf(eqI32(get(entry), int(-1)), 1),
        ...set(v, u32At(EV, get(entry))),
        ...set(entry, u32At(EN, get(entry))),
        ...set(queued, sub(get(queued), int(1))),
        // Not a stale copy of a vertex lowered into an earlier bucket.
        ...when(neI32(u32At(DONE, get(v)), get(mark)), [
          ...storeI32(at(DONE, get(v), 4), get(mark)),
          ...set(d, loadF64(rowAt(get(v)))),
          ...set(end, u32At(OFFS, add(get(v), int(1)))),
          ...set(e, u32At(OFFS, get(v))),
          ...repeat([
            ...exitBlockIf(geU(get(e), get(end)), 1),
            ...set(q, u32At(NBR, get(e))),
            ...when(neI32(u32At(DONE, get(q)), get(mark)), [
              ...set(candidate, addF64(get(d), loadF64(at(WGT, get(e), 8)))),
              ...when(ltF64(get(candidate), loadF64(rowAt(get(q)))), [
                ...storeF64(rowAt(get(q)), get(candidate)),
                // A full pool stops the source (depth: this if, the two ifs, the edge loop's two labels, the settled if, the bucket loop's two, the ring loop's two, the block).
                ...when(eqI32(get(used), get(capacity)), [...set(status, int(POOL_FULL)), ...exitBlock(10)]),
                ...enqueue,
              ]),
            ]),
            ...set(e, add(get(e), int(1))),
          ]),
        ]),
      ]),
      ...set(slot, add(get(slot), int(1))),
      ...when(eqI32(get(slot), get(ring)), set(slot, int(0))),
    ]),
  ]),
  ...storeI32(add(get(ARGS), int(24)), get(status)),
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const GRAPH_DISTANCES_KERNEL_BYTES = buildModule([{ name: 'source', params: PARAMS, locals: LOCALS, body }], 1);

const kernelModule = lazyModule(GRAPH_DISTANCES_KERNEL_BYTES);

// Bytes of the arguments region: 1 / width, then source, mark, ring, capacity and status.
const ARGS_BYTES = 32;

/** The bucket kernel with its own memory, grown to the largest graph seen (the caller bounds it). */
export class GraphDistancesKernel {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly run: (...addresses: number[]) => void;
  // Pool entries, doubled when a source fills it and kept for later calls.
  private poolCapacity = 64;

  private constructor(module: WebAssembly.Module) {
    this.run = instantiate<'source'>(module, this.memory).source;
  }

  /** The kernel, or null where WebAssembly is unavailable or refused. */
  static create(): GraphDistancesKernel | null {
    const module = kernelModule();
    return module === null ? null : new GraphDistancesKernel(module);
  }

  /** graphDistances' bucket Dijkstra from each of `sources` with buckets of `width` in a ring of `ring`, into `distances` (source-major). */
  distances(graph: LevelGraph, sources: Uint32Array, width: number, ring: number, distances: Float64Array): void {
    const V = graph.vertexCount, E = graph.neighbours.length;
    let regions = this.place(V, E, ring, true, graph);
    let mark = 0;
    for (let s = 0; s < sources.length; s++) {
      for (;;) {
        const buffer = this.memory.buffer;
        const row = new Float64Array(buffer, regions[ROW]!, V).fill(Infinity);
        new Float64Array(buffer, regions[ARGS]!, 1)[0] = 1 / width;
        const ints = new Uint32Array(buffer, regions[ARGS]! + 8, 5);
        ints.set([sources[s]!, ++mark, ring, this.poolCapacity]);
        this.run(...regions);
        if (ints[4] !== POOL_FULL) {
          distances.set(row, s * V);
          break;
        }
        // The ring holds the stopped source's entries: empty it, grow the pool and run the source again.
        new Int32Array(buffer, regions[HEAD]!, ring).fill(-1);
        this.poolCapacity *= 2;
        regions = this.place(V, E, ring, false, graph);
      }
    }
  }

  /** Places the regions (the pool near the end, so growing it keeps the graph, marks and heads in place), growing the memory; with `copy`, writes the graph in and clears the marks and heads. */
  private place(V: number, E: number, ring: number, copy: boolean, graph: LevelGraph): number[] {
    const P = this.poolCapacity;
    const { starts, end } = placeRegions(0, [4 * (V + 1), 4 * E, 8 * E, 8 * V, 4 * V, 4 * ring, 4 * P, 4 * P, ARGS_BYTES]);
    ensureBytes(this.memory, end);
    if (copy) {
      const buffer = this.memory.buffer;
      new Uint32Array(buffer, starts[OFFS]!, V + 1).set(graph.offsets.subarray(0, V + 1));
      new Uint32Array(buffer, starts[NBR]!, E).set(graph.neighbours);
      new Float64Array(buffer, starts[WGT]!, E).set(graph.weights);
      new Uint32Array(buffer, starts[DONE]!, V).fill(0);
      new Int32Array(buffer, starts[HEAD]!, ring).fill(-1);
    }
    return starts;
  }
}
