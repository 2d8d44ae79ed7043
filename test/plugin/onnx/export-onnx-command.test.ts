import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../plugin/cli/main.js';
import { exportOnnx } from '../../../plugin/onnx/export-onnx.js';
import { loadOnnxRuntime } from '../../../plugin/onnx/onnx-runtime.js';
import { bundledModel, describeRuntime } from './onnx-fixture.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describeRuntime('node')('erlangen export-onnx', () => {
  it('writes the bundled model as a file onnxruntime-node loads, and reports it as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-onnx-'));
    const out = join(dir, 'human-parts.onnx');
    const { code, stdout, stderr } = await run(['export-onnx', '-o', out, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { out: string; bytes: number; opset: number; ops: string[] };
    const bytes = new Uint8Array(await readFile(out));
    expect(summary).toMatchObject({ out, bytes: bytes.length, opset: 17 });
    expect(summary.ops).toContain('MatMul');
    // Only the file itself: the temporary file of the atomic write is gone.
    expect(await readdir(dir)).toEqual(['human-parts.onnx']);
    const ort = await loadOnnxRuntime('node');
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toContain('features');
    await session.release();
    // The same bytes a script gets from exportOnnx with the same recorded source.
    const model = await bundledModel();
    expect(Buffer.from(bytes).equals(Buffer.from(exportOnnx(model, { source: 'samples/models/human-parts.erlm' })))).toBe(true);
  });
});

describe('erlangen export-onnx errors', () => {
  it('reports a file that is not a model with its code and exit 1, writing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erlangen-onnx-'));
    const bad = join(dir, 'bad.erlm');
    await writeFile(bad, 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n');
    const { code, stderr } = await run(['export-onnx', '--model', bad, '-o', join(dir, 'out.onnx')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^erlangen: ${bad}: .*\\[NOT_A_MODEL\\]\\n$`));
    expect(await readdir(dir)).toEqual(['bad.erlm']);
  });

  it('is a usage error (exit 2) without -o', async () => {
    const { code, stderr } = await run(['export-onnx']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/export-onnx needs -o <model\.onnx>/);
  });

  it('has help with an example', async () => {
    const { code, stdout } = await run(['export-onnx', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Example:\n {2}erlangen export-onnx -o/);
  });
});
