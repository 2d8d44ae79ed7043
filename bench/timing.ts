/** Median wall time of `fn` in milliseconds over `repeats` runs, after one warm-up run. */
export function medianMs(fn: () => unknown, repeats: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    // A full collection between runs keeps one side's garbage from being billed to the other.
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** One result line, in the format every benchmark prints so runs can be compared across commits. */
export interface BenchLine {
  case: string;
  ours_ms: number;
  peer: string;
  peer_ms: number;
  ratio: number;
  [extra: string]: unknown;
}

/** Prints a result line as JSON, times rounded to 0.1 ms. */
export function printLine(line: BenchLine): void {
  const rounded = { ...line, ours_ms: round(line.ours_ms), peer_ms: round(line.peer_ms), ratio: Math.round(line.ratio * 1000) / 1000 };
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
