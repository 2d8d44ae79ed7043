import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { documentFromSourceMesh } from '../core/mesh/document-from-source-mesh.js';
import { loadSourceMesh } from '../core/mesh/load-source-mesh.js';
import { mulberry32 } from '../core/mesh/seeded-random.js';
import { subdivideMidpoint } from './subdivide.js';
import { printLine } from './timing.js';

const SCAN = 'samples/scans/smpl-human/human_man.obj';
// The figure; ERLANGEN_BENCH_COPIES makes a quicker run.
const COPIES = Number(process.env['ERLANGEN_BENCH_COPIES'] ?? 200);
const CLI_MAIN = new URL('../dist/plugin/cli/main.js', import.meta.url).pathname;

/** Wall time and peak resident memory (threads included) of one `erlangen segment` run in a fresh process. */
function segmentRun(dir: string, args: string[]): { ms: number; peakMb: number; code: number } {
  const script = `const { main } = await import(${JSON.stringify(CLI_MAIN)});
const start = performance.now();
const code = await main(${JSON.stringify(['segment', ...args])}, { stdout() {}, stderr: (t) => process.stderr.write(t) });
console.log(JSON.stringify({ ms: performance.now() - start, peakMb: process.resourceUsage().maxRSS / 1024, code }));`;
  // A script file, not --eval: worker threads inherit the parent's flags, and --input-type breaks them.
  const file = join(dir, 'segment-run.mjs');
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const result = child.status === 0 ? JSON.parse(child.stdout.trim().split('\n').pop()!) : null;
  if (!result || result.code !== 0) throw new Error(`bench batch: erlangen segment ${args.join(' ')} failed: ${child.stderr}`);
  return result;
}

/** `batch`: copies of a bundled body under random similarity transforms through `erlangen segment`, 2 workers vs 1; then one 1.76M-vertex scan for peak memory. */
export async function benchBatch(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const source = await loadSourceMesh(SCAN);
  const dir = await mkdtemp(join(tmpdir(), 'erlangen-bench-batch-'));
  const io = new NodeIO();
  for (let i = 0; i < COPIES; i++) {
    const positions = similarity(source.positions, mulberry32(1000 + i));
    await io.write(join(dir, `body-${String(i).padStart(3, '0')}.glb`), documentFromSourceMesh({ ...source, positions }));
  }
  const runs = [1, 2].map((workers) => segmentRun(dir, [join(dir, '*.glb'), '-o', join(dir, `out-${workers}`), '--workers', String(workers), '--backend', 'cpu', '--quiet']));
  const [one, two] = runs as [ReturnType<typeof segmentRun>, ReturnType<typeof segmentRun>];
  printLine({
    case: `batch/${COPIES}-smpl-bodies-workers-2`, ours_ms: two.ms, peer: 'erlangen segment --workers 1', peer_ms: one.ms, ratio: two.ms / one.ms,
    scaling: one.ms / two.ms, files_per_s: COPIES / (two.ms / 1000), peak_mb: Math.round(two.peakMb), peer_peak_mb: Math.round(one.peakMb),
  });

  let big = { positions: source.positions, triangles: source.triangles };
  for (let level = 0; level < 4; level++) big = subdivideMidpoint(big.positions, big.triangles);
  const bigFile = join(dir, 'big.glb');
  await io.write(bigFile, documentFromSourceMesh({ ...source, ...big }));
  const large = segmentRun(dir, [bigFile, '-o', join(dir, 'out-big'), '--workers', '1', '--backend', 'cpu', '--quiet']);
  printLine({
    case: 'batch/one-scan-1.76M-vertices', ours_ms: large.ms, peer: 'one 6890-vertex body (same run, 1 worker)', peer_ms: one.ms / COPIES,
    ratio: large.ms / (one.ms / COPIES), vertices: big.positions.length / 3, peak_mb: Math.round(large.peakMb),
  });
  await rm(dir, { recursive: true, force: true });
}

// A random rotation (about z, then x), uniform scale in [0.5, 2] and shift: every copy is a different file of the same body.
function similarity(positions: Float32Array, random: () => number): Float32Array {
  const a = 2 * Math.PI * random(), b = 2 * Math.PI * random(), scale = 0.5 + 1.5 * random();
  const shift = [random() - 0.5, random() - 0.5, random() - 0.5].map((t) => 4 * t);
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    const x = Math.cos(a) * positions[i]! - Math.sin(a) * positions[i + 1]!;
    const y = Math.sin(a) * positions[i]! + Math.cos(a) * positions[i + 1]!;
    const z = positions[i + 2]!;
    out[i] = scale * x + shift[0]!;
    out[i + 1] = scale * (Math.cos(b) * y - Math.sin(b) * z) + shift[1]!;
    out[i + 2] = scale * (Math.sin(b) * y + Math.cos(b) * z) + shift[2]!;
  }
  return out;
}
