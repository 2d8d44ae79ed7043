import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { icosphere } from '../fixtures/meshes.js';
import { createNodeSegmentationWorker } from '../../workers/node-worker.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// SwiftShader compiles and runs the kernels in about 30 s here: too slow for every run on two shared cores.
const enabled = process.env.ERLANGEN_WEBGPU_WORKER_TEST === '1' || process.env.CI === 'true';

describe.skipIf(!enabled)(`the segmentation worker on WebGPU${enabled ? '' : ' (skipped: set ERLANGEN_WEBGPU_WORKER_TEST=1; runs in CI)'}`, () => {
  it('runs backend webgpu in the worker that owns the device and agrees with cpu', async () => {
    if (existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
      process.env.NODEVICE_SELECT ??= '1';
    }
    const worker = createNodeSegmentationWorker();
    try {
      await worker.loadModel(new Uint8Array(readFileSync('samples/models/human-parts.erlm')), 'human-parts.erlm');
      const sphere = icosphere(3);
      const input = () => ({ kind: 'arrays' as const, positions: Float32Array.from(sphere.positions), triangles: sphere.triangles.slice() });
      await worker.prepare(input());
      const cpu = await worker.segment({ backend: 'cpu' });
      const gpu = await worker.segment({ backend: 'webgpu' });
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.adapter).toBeTruthy();
      let same = 0;
      for (let v = 0; v < cpu.labels.length; v++) if (cpu.labels[v] === gpu.labels[v]) same++;
      // Float32 kernels differ from the cpu by rounding only: labels change at near-ties alone.
      expect(same / cpu.labels.length).toBeGreaterThan(0.99);
      for (let v = 0; v < cpu.labels.length; v++) expect(Math.abs(gpu.confidences[v]! - cpu.confidences[v]!)).toBeLessThan(1e-3);
      // `auto` never picks a software adapter over the cpu.
      const auto = await worker.segment({ backend: 'auto' });
      if (/swiftshader/i.test(gpu.adapter!)) expect(auto).toMatchObject({ backend: 'cpu', fallbackReason: expect.stringMatching(/software WebGPU adapter/) });
      // Passes average the GPU's logits as the cpu's.
      const cpuPasses = await worker.segment({ backend: 'cpu', passes: 2, smoothing: 1 });
      const gpuPasses = await worker.segment({ backend: 'webgpu', passes: 2, smoothing: 1 });
      expect(gpuPasses.backend).toBe('webgpu');
      let samePasses = 0;
      for (let v = 0; v < cpuPasses.labels.length; v++) if (cpuPasses.labels[v] === gpuPasses.labels[v]) samePasses++;
      expect(samePasses / cpuPasses.labels.length).toBeGreaterThan(0.99);
      for (let v = 0; v < cpuPasses.labels.length; v++) expect(Math.abs(gpuPasses.confidences[v]! - cpuPasses.confidences[v]!)).toBeLessThan(1e-3);
    } finally {
      await worker.dispose();
    }
  }, 180_000);
});
