// Byte layouts in the WebAssembly memories of the kernels: consecutive regions, each starting
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
