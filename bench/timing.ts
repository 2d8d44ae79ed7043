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

/**
 * Mean wall time of `fn` in milliseconds over `runs` back-to-back runs after `warmUp` untimed ones,
 * with no forced collection: the throughput of a batch, garbage collection included. A forced
 * `gc()` also drops the hidden classes of objects that lived only inside the last run, so the next
 * run re-optimises the code that used them, which a batch, whose collections start on their own,
 * mostly does not see (`predictMesh`, same process, alternating: 1.27× slower than back to back on
 * the SMPL body, 1.12× on Nefertiti).
 */
export function steadyMs(fn: () => unknown, runs: number, warmUp = 3): number {
  for (let i = 0; i < warmUp; i++) fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - start) / runs;
}

/**
 * Median wall times (ms) of `ours` and `peer`, run alternately `repeats` times after one warm-up
 * each: on a shared machine the speed drifts over seconds, and alternating puts both sides under
 * the same drift, so their ratio holds when the times do not.
 */
export async function interleavedMedians(ours: () => unknown, peer: () => unknown, repeats: number): Promise<{ ours: number; peer: number }> {
  await ours();
  await peer();
  const oursTimes: number[] = [], peerTimes: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < repeats; i++) {
    gc?.();
    let start = performance.now();
    await ours();
    oursTimes.push(performance.now() - start);
    gc?.();
    start = performance.now();
    await peer();
    peerTimes.push(performance.now() - start);
  }
  const median = (times: number[]): number => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return { ours: median(oursTimes), peer: median(peerTimes) };
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
