import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../plugin/cli/main.js';

const SMPL = 'samples/scans/smpl-human/human_man.obj';
const HEAD = 'samples/scans/lee-perry-smith/LeePerrySmith.glb';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('erlangen info', () => {
  it('describes the bundled body with the documented JSON keys', async () => {
    const { code, stdout } = await run(['info', SMPL, '--json']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(Object.keys(info).sort()).toEqual(
      ['bbox', 'boundaryLoops', 'components', 'faces', 'meanEdgeLength', 'repairs', 'sourceVertices', 'vertices'].sort(),
    );
    expect(info.vertices).toBe(6890);
    expect(info.sourceVertices).toBe(6890);
    expect(info.faces).toBe(13776);
    expect(info.components).toBe(1);
    // A standing adult: about 1.5-2 m tall, edges of a centimetre or two.
    const height = Math.max(...info.bbox.max.map((max: number, i: number) => max - info.bbox.min[i]));
    expect(height).toBeGreaterThan(1.4);
    expect(height).toBeLessThan(2.1);
    expect(info.meanEdgeLength).toBeGreaterThan(0.005);
    expect(info.meanEdgeLength).toBeLessThan(0.05);
  });

  it('welds a GLB split at UV seams: fewer mesh vertices than file vertices', async () => {
    const { code, stdout } = await run(['info', HEAD, '--json']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.vertices).toBeLessThan(info.sourceVertices);
    expect(info.faces).toBeGreaterThan(0);
  });

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await run(['info', SMPL]);
    expect(code).toBe(0);
    expect(stdout).toContain('vertices         6890');
  });

  it('reports a bad file in one line with its code and exit 1, the stack only with --verbose', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-info-'));
    const file = join(dir, 'empty.obj');
    await writeFile(file, '');
    const plain = await run(['info', file]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(new RegExp(`^erlangen: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+ \\[EMPTY\\]\\n$`));
    const verbose = await run(['info', file, '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toContain('at ');
  });

  it('answers usage mistakes with exit 2 and help with an example', async () => {
    expect((await run(['info'])).code).toBe(2);
    expect((await run(['nonsense'])).code).toBe(2);
    const help = await run(['info', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Example:');
  });

  it('works as a real process through the bin script', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'plugin/cli/bin.ts', 'info', SMPL, '--json']);
    expect(JSON.parse(stdout).vertices).toBe(6890);
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'plugin/cli/bin.ts', 'info', 'missing.obj']).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/^erlangen: missing\.obj: .+ \[IO\]\n$/);
  });
});
