import type { ConvEntries } from './conv-entry-cache.js';

// The per-entry arrays every convolution kernel reads, in its WebAssembly memory (regions: core/wasm/memory-regions.ts).

/** Where a kernel memory holds the per-entry arrays that every convolution kernel reads (byte offsets). */
export interface EntryRegions {
  readonly sources: number;
  readonly rings: number;
  readonly offsets: number;
  readonly weight0: number;
  readonly weight1: number;
  readonly cosIn: number;
  readonly sinIn: number;
}

/** Byte sizes of the arrays of {@link EntryRegions}, in its order. */
export function entryRegionSizes(entries: ConvEntries): number[] {
  const E = entries.ring.length;
  return [E * 4, E * 4, (entries.rowScale.length + 1) * 4, E * 8, E * 8, entries.cosIn.length * 8, entries.sinIn.length * 8];
}

/** Copies the entries' sources, rings, row offsets, ring weights and input harmonics into `buffer` at `at`. */
export function writeEntries(buffer: ArrayBuffer, at: EntryRegions, entries: ConvEntries): void {
  const E = entries.ring.length, nb = entries.neighbourhood;
  new Uint32Array(buffer, at.sources, E).set(nb.sources);
  new Int32Array(buffer, at.rings, E).set(entries.ring);
  new Uint32Array(buffer, at.offsets, nb.rowCount + 1).set(nb.offsets);
  new Float64Array(buffer, at.weight0, E).set(entries.weight0);
  new Float64Array(buffer, at.weight1, E).set(entries.weight1);
  new Float64Array(buffer, at.cosIn, entries.cosIn.length).set(entries.cosIn);
  new Float64Array(buffer, at.sinIn, entries.sinIn.length).set(entries.sinIn);
}
