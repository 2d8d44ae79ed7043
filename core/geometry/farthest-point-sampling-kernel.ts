import {
  add, addF64, andI32, buildModule, eqF64, eqI32, exitBlock, exitBlockIf, F64, f64, geU, get, gtF64, I32, ifElse, int, instantiate, lazyModule, Locals, loadF64, loadI32,
  ltF64, ltU, mul, negF64, neI32, orI32, repeat, set, storeF64, storeI32, when, type Code,
} from '../wasm/module-builder.js';
import { ensureBytes, placeRegions } from '../wasm/memory-regions.js';
import { heapPop, heapPush, heapTopKey, heapTopValue, type HeapLocals, type HeapScratch } from '../wasm/min-heap-code.js';

// The sampling loop of farthestPointSampling (the multi-source Dijkstra and the lazy max-heap of
// candidate distances) as WebAssembly: the same float64 sums and heap orders, so the same samples,
// nearest samples and distances bit for bit (tested).

// Parameters: byte addresses of the 1-ring offsets, neighbours and edge lengths, the distance
// (f64) and source (i32) per vertex, the candidate flag (i32) per vertex, the component seeds, the
// samples out, the front heap's keys and values, the farthest heap's, and the arguments: spacing
// (f64), then seed count, most samples, the two heaps' capacities, and out: sample count, status.
const OFFS = 0, NBR = 1, LEN = 2, DIST = 3, SOURCE = 4, CAND = 5, SEEDS = 6, SAMPLES = 7, FK = 8, FV = 9, GK = 10, GV = 11, ARGS = 12;
const PARAMS = 13;
const locals = new Locals(PARAMS);
const [seedCount, maxCount, frontCap, farCap, frontSize, farSize, status, sampleCount, nextSeed, sample, s, e, end, q, index, parent, child, last, value] =
  locals.take(I32, 19);
const [spacing, d, candidate, heapKey, parentKey] = locals.take(F64, 5);
const LOCALS = locals.types;

/** The status a run reports when a heap filled up; the caller reruns with larger heaps. */
export const HEAP_FULL = 1;

const front: HeapLocals = { keys: FK, values: FV, size: frontSize, capacity: frontCap };
const farthest: HeapLocals = { keys: GK, values: GV, size: farSize, capacity: farCap };
const scratch: HeapScratch = { index, parent, child, last, value, key: heapKey, parentKey };
const full = set(status, int(HEAP_FULL));

const at = (base: number, i: Code, bytes: number): Code => add(get(base), mul(i, int(bytes)));
const distanceAt = (vertex: Code): Code => at(DIST, vertex, 8);

const body: Code = [
  ...set(spacing, loadF64(get(ARGS))),
  ...set(seedCount, loadI32(add(get(ARGS), int(8)))),
  ...set(maxCount, loadI32(add(get(ARGS), int(12)))),
  ...set(frontCap, loadI32(add(get(ARGS), int(16)))),
  ...set(farCap, loadI32(add(get(ARGS), int(20)))),
  ...[status, sampleCount, nextSeed, frontSize, farSize].flatMap((local) => set(local, int(0))),
  ...repeat([
    ...exitBlockIf(orI32(geU(get(sampleCount), get(maxCount)), neI32(get(status), int(0))), 1),
    // Drop stale entries: each improvement pushed the new distance, so a key above it is old.
    ...repeat([
      ...exitBlockIf(eqI32(get(farSize), int(0)), 1),
      ...exitBlockIf(eqF64(negF64(heapTopKey(farthest)), loadF64(distanceAt(heapTopValue(farthest)))), 1),
      ...heapPop(farthest, scratch),
    ]),
    ...repeat([
      ...exitBlockIf(geU(get(nextSeed), get(seedCount)), 1),
      // The seed of a component not reached yet.
      ...exitBlockIf(eqF64(loadF64(distanceAt(loadI32(at(SEEDS, get(nextSeed), 4)))), f64(Infinity)), 1),
      ...set(nextSeed, add(get(nextSeed), int(1))),
    ]),
    // An unreached component first; else the farthest candidate while it lies beyond the spacing; else done (depth: the ifs, then the loop's block).
    ...ifElse(ltU(get(nextSeed), get(seedCount)), set(sample, loadI32(at(SEEDS, get(nextSeed), 4))), [
      ...ifElse(andI32(neI32(get(farSize), int(0)), gtF64(negF64(heapTopKey(farthest)), get(spacing))), [
        ...set(sample, heapTopValue(farthest)),
        ...heapPop(farthest, scratch),
      ], exitBlock(3)),
    ]),
    ...storeI32(at(SAMPLES, get(sampleCount), 4), get(sample)),
    ...set(sampleCount, add(get(sampleCount), int(1))),
    ...storeF64(distanceAt(get(sample)), f64(0)),
    ...set(frontSize, int(0)),
    ...heapPush(front, scratch, f64(0), get(sample), full),
    ...repeat([
      ...exitBlockIf(orI32(eqI32(get(frontSize), int(0)), neI32(get(status), int(0))), 1),
      ...set(d, heapTopKey(front)),
      ...set(s, heapTopValue(front)),
      ...heapPop(front, scratch),
      // Not improved since this entry was pushed.
      ...when(eqI32(gtF64(get(d), loadF64(distanceAt(get(s)))), int(0)), [
        ...storeI32(at(SOURCE, get(s), 4), get(sample)),
        ...when(andI32(eqI32(loadI32(at(CAND, get(s), 4)), int(1)), neI32(get(s), get(sample))), heapPush(farthest, scratch, negF64(get(d)), get(s), full)),
        ...set(end, loadI32(at(OFFS, add(get(s), int(1)), 4))),
        ...set(e, loadI32(at(OFFS, get(s), 4))),
        ...repeat([
          ...exitBlockIf(geU(get(e), get(end)), 1),
          ...set(q, loadI32(at(NBR, get(e), 4))),
          ...set(candidate, addF64(get(d), loadF64(at(LEN, get(e), 8)))),
          ...when(ltF64(get(candidate), loadF64(distanceAt(get(q)))), [
            ...storeF64(distanceAt(get(q)), get(candidate)),
            ...heapPush(front, scratch, get(candidate), get(q), full),
          ]),
          ...set(e, add(get(e), int(1))),
        ]),
      ]),
    ]),
  ]),
  ...storeI32(add(get(ARGS), int(24)), get(sampleCount)),
  ...storeI32(add(get(ARGS), int(28)), get(status)),
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const FARTHEST_POINT_SAMPLING_KERNEL_BYTES = buildModule([{ name: 'sample', params: PARAMS, locals: LOCALS, body }], 1);

const kernelModule = lazyModule(FARTHEST_POINT_SAMPLING_KERNEL_BYTES);

/** What a run leaves: samples in the order drawn, and per vertex the distance to and the vertex of its nearest sample. */
export interface SamplingRun {
  readonly samples: Uint32Array;
  readonly distance: Float64Array;
  readonly source: Uint32Array;
}

/** The sampling kernel with its own memory, grown to the largest mesh seen (the caller bounds it). */
export class FarthestPointSamplingKernel {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly run: (...addresses: number[]) => void;
  // Heap capacities, doubled when a run fills one and kept for later runs; small at first, so that
  // the rerun runs on any real mesh (and in the tests). The farthest heap also gets 2 per vertex.
  private frontCapacity = 16;
  private farCapacity = 16;

  private constructor(module: WebAssembly.Module) {
    this.run = instantiate<'sample'>(module, this.memory).sample;
  }

  /** The kernel, or null where WebAssembly is unavailable or refused. */
  static create(): FarthestPointSamplingKernel | null {
    const module = kernelModule();
    return module === null ? null : new FarthestPointSamplingKernel(module);
  }

  /**
   * farthestPointSampling's loop over the 1-ring (`offsets`, `neighbours`, `edgeLength`) from the
   * component `seeds`, drawing while candidates lie beyond `spacing`, at most `maxCount` samples.
   */
  sample(
    steps: { offsets: Uint32Array; neighbours: Uint32Array; edgeLength: Float64Array; vertexCount: number },
    isCandidate: Uint8Array, seeds: Uint32Array, spacing: number, maxCount: number,
  ): SamplingRun {
    const V = steps.vertexCount, E = steps.neighbours.length;
    for (;;) {
      const frontCapacity = this.frontCapacity, farCapacity = Math.max(this.farCapacity, 2 * V);
      const { starts, end } = placeRegions(0, [4 * (V + 1), 4 * E, 8 * E, 8 * V, 4 * V, 4 * V, 4 * seeds.length, 4 * V, 8 * (frontCapacity + 1), 4 * (frontCapacity + 1), 8 * (farCapacity + 1), 4 * (farCapacity + 1), 32]);
      ensureBytes(this.memory, end);
      const buffer = this.memory.buffer;
      new Uint32Array(buffer, starts[OFFS]!, V + 1).set(steps.offsets.subarray(0, V + 1));
      new Uint32Array(buffer, starts[NBR]!, E).set(steps.neighbours);
      new Float64Array(buffer, starts[LEN]!, E).set(steps.edgeLength);
      new Float64Array(buffer, starts[DIST]!, V).fill(Infinity);
      new Uint32Array(buffer, starts[SOURCE]!, V).fill(0xffffffff);
      new Uint32Array(buffer, starts[CAND]!, V).set(isCandidate);
      new Uint32Array(buffer, starts[SEEDS]!, seeds.length).set(seeds);
      new Float64Array(buffer, starts[ARGS]!, 1)[0] = spacing;
      const ints = new Uint32Array(buffer, starts[ARGS]! + 8, 6);
      ints.set([seeds.length, Math.min(maxCount, 0xffffffff), frontCapacity, farCapacity]);
      this.run(...starts);
      if (ints[5] === HEAP_FULL) {
        // Either heap may have filled: grow both, and run again from the start.
        this.frontCapacity = 2 * frontCapacity;
        this.farCapacity = 2 * farCapacity;
        continue;
      }
      const count = ints[4]!;
      return {
        samples: new Uint32Array(buffer, starts[SAMPLES]!, count).slice(),
        distance: new Float64Array(buffer, starts[DIST]!, V).slice(),
        source: new Uint32Array(buffer, starts[SOURCE]!, V).slice(),
      };
    }
  }
}
