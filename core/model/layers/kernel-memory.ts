import type { ConvEntries } from './conv-entry-cache.js';

// Byte layouts in the WebAssembly memories of the cpu kernels: consecutive regions, each starting
// on 16 bytes (where four-lane loads read), and growing a memory to hold them.

/** `bytes` rounded up to a multiple of 16. */
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The start of each region of `sizes` bytes, placed one after another from `start` on 16-byte boundaries, and the end of the last. */
export function placeRegions(start: number, sizes: readonly number[]): { starts: number[]; end: number } {
  const starts: number[] = [];
  let at = start;
  for (const size of sizes) {
    starts.push(at);
    at += align16(size);
  }
  return { starts, end: at };
}

/** Grows `memory` to at least `bytes`; returns whether it grew, which detaches every view of the old buffer. */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return false;
  memory.grow(Math.ceil((bytes - have) / 65536));
  return true;
}

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
