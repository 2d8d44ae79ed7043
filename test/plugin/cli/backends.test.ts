import { describe, expect, it } from 'vitest';
import { main } from '../../../plugin/cli/main.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function largestOffDiagonal(confusion: number[][]): [number, number] {
  let best: [number, number] = [0, 1];
  confusion.forEach((row, t) => row.forEach((count, p) => {
    if (t !== p && count > confusion[best[0]]![best[1]]!) best = [t, p];
  }));
  return best;
}

describe('--backend in eval', () => {
  it('scores the bundled bodies the same on onnxruntime-node as on the cpu backend', async () => {
    const cpu = await run(['eval', '--data', 'samples/scans/smpl-human', '--backend', 'cpu', '--json']);
    const onnx = await run(['eval', '--data', 'samples/scans/smpl-human', '--backend', 'onnx', '--json']);
    expect(cpu.code).toBe(0);
    expect(onnx.code).toBe(0);
    // Logits agree to ~1e-6 relative (test/plugin/onnx), so no vertex changes label on these bodies.
    expect(JSON.parse(onnx.stdout)).toEqual(JSON.parse(cpu.stdout));
    expect(JSON.parse(cpu.stdout).accuracy).toBeGreaterThan(0.95);
    const text = await run(['eval', '--data', 'samples/scans/smpl-human', '--backend', 'cpu']);
    const [t, p] = largestOffDiagonal(JSON.parse(cpu.stdout).confusion as number[][]);
    const names = (JSON.parse(cpu.stdout).perClass as { name: string }[]).map((c) => c.name);
    expect(text.stdout).toContain(`most confused: ${names[t]} as ${names[p]} `);
  });

  it('averages passes and smooths on onnxruntime-node as on the cpu backend', async () => {
    const args = ['eval', '--data', 'samples/scans/smpl-human', '--passes', '2', '--smooth', '1', '--json'];
    const cpu = await run([...args, '--backend', 'cpu']);
    const onnx = await run([...args, '--backend', 'onnx']);
    expect(cpu.code).toBe(0);
    expect(JSON.parse(onnx.stdout)).toEqual(JSON.parse(cpu.stdout));
    const plain = await run(['eval', '--data', 'samples/scans/smpl-human', '--backend', 'cpu', '--json']);
    expect(JSON.parse(cpu.stdout).confusion).not.toEqual(JSON.parse(plain.stdout).confusion);
  });

  it('rejects an unknown backend as a usage error', async () => {
    const { code, stderr } = await run(['eval', '--data', 'samples/scans/smpl-human', '--backend', 'tpu']);
    expect(code).toBe(2);
    expect(stderr).toContain("--backend 'tpu': expected one of cpu, webgpu, onnx, auto");
  });
});
