import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import { refineMesh } from '../core/mesh/refine-mesh.js';
import { fieldWidth } from '../core/model/layers/feature-layout.js';
import { decodeModel } from '../core/model/model.js';
import type { Network } from '../core/model/network.js';
import { prepareNetworkInput, type NetworkInput } from '../core/model/network-input.js';
import { WebGpuError } from '../shaders/index.js';
import { gpuForward } from '../shaders/gpu-forward.js';
import { GpuContext } from '../shaders/gpu-context.js';
import { requestGpuDevice } from '../shaders/gpu-device.js';
import { timeMatmul } from '../shaders/matmul-kernel.js';
import { networkGraph } from '../shaders/network-graph.js';
import { medianMs, printLine } from './timing.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const BODY = 'samples/scans/smpl-human/human_man.obj';
const MODEL = 'samples/models/human-parts.erlm';

/** Median wall time of an async `fn` in milliseconds over `repeats` runs, after one warm-up (which also compiles the kernels). */
async function medianAsyncMs(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Floating-point operations of one forward pass as the cpu algorithm counts them (a multiply-add
 * is 2): per conv entry the input rotation and ring/order aggregation, per row the W_k products;
 * self-interactions, nonlinearities (N samples each way) and the rest per value.
 */
function forwardFlops(network: Network, input: NetworkInput): number {
  let flops = 0;
  for (const node of networkGraph(network)) {
    const rows = node.site === 'mesh' ? input.meshVertexCount : input.levels[node.site]!.vertices.length;
    const op = node.op, W = fieldWidth(node.shape);
    if (op.kind === 'conv') {
      const { in: i, out: o, rings } = op.layer.spec;
      const nb = node.site === 'mesh' ? input.output : input.levels[node.site]!.neighbourhood;
      const inW = fieldWidth(i), slots = 2 * o.maxOrder + 1;
      flops += nb.sources.length * inW * (3 + 2 * 2 * slots);
      flops += rows * 2 * rings * inW * o.channels * (1 + 4 * o.maxOrder);
    } else if (op.kind === 'self') {
      const { in: i, out: o } = op.layer.spec;
      flops += rows * 2 * o.channels * i.channels * (1 + 4 * Math.min(i.maxOrder, o.maxOrder));
    } else if (op.kind === 'nonlinearity') {
      const M = node.shape.maxOrder, N = M === 0 ? 1 : op.layer.samples;
      flops += rows * node.shape.channels * N * (2 * 2 * 2 * M + 4);
    } else if (op.kind !== 'input' && op.kind !== 'dropout') {
      flops += rows * W * 4;
    }
  }
  return flops;
}

/** Case `forward-webgpu`: the bundled model on the SMPL body and a ~100k-vertex refinement, WebGPU against the cpu backend in the same run. */
export async function benchForwardWebgpu(): Promise<void> {
  if (existsSync(SWIFTSHADER_ICD) && process.env.ERLANGEN_BENCH_REAL_GPU !== '1') {
    // Without a GPU, SwiftShader; set ERLANGEN_BENCH_REAL_GPU=1 to let Dawn pick the system's adapter.
    process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
    process.env.NODEVICE_SELECT ??= '1';
  }
  let gpu: Awaited<ReturnType<typeof requestGpuDevice>>;
  try {
    // The backend's own device setup, plus timestamp queries for the GPU time of the compute pass.
    gpu = await requestGpuDevice(undefined, ['timestamp-query']);
  } catch (error) {
    if (!(error instanceof WebGpuError)) throw error;
    process.stderr.write(`bench forward-webgpu: skipped, ${error.message}\n`);
    return;
  }
  const { device, adapterDescription } = gpu;
  process.stdout.write(`forward-webgpu adapter: ${adapterDescription}\n`);
  const context = new GpuContext(device);
  try {
    const peak = await matmulPeak(context);
    const model = decodeModel(new Uint8Array(await readFile(MODEL)), MODEL);
    const body = await loadMesh(BODY);
    const meshes = [
      { name: 'smpl-body-6890', mesh: body, repeats: 5 },
      // Two rounds of midpoint subdivision: 16 × 6890 ≈ 110k vertices.
      { name: 'smpl-refined-110k', mesh: refineMesh(body, { levels: 2 }).mesh, repeats: 3 },
    ];
    for (const { name, mesh, repeats } of meshes) {
      const input = prepareNetworkInput(mesh, model.preprocessing);
      const cpuMs = medianMs(() => model.network.forward(model.parameters, input), repeats);
      const passTimes: number[] = [];
      const gpuMs = await medianAsyncMs(async () => {
        await gpuForward(context, model.network, model.parameters, input);
        if (context.lastPassMs !== null) passTimes.push(context.lastPassMs);
      }, repeats);
      // The first pass time is the warm-up's.
      const timed = passTimes.slice(1).sort((a, b) => a - b);
      const passMs = timed.length > 0 ? timed[Math.floor(timed.length / 2)]! : null;
      const gflop = forwardFlops(model.network, input) / 1e9;
      const kernelMs = passMs ?? gpuMs;
      printLine({
        case: `forward-webgpu/${name}`,
        ours_ms: gpuMs,
        peer: 'erlangen cpu backend (same run, one thread)',
        peer_ms: cpuMs,
        ratio: gpuMs / cpuMs,
        vertices: input.meshVertexCount,
        adapter: adapterDescription,
        gpu_pass_ms: passMs === null ? null : Math.round(passMs * 10) / 10,
        forward_gflop: Math.round(gflop * 1000) / 1000,
        gflops: Math.round((gflop / (kernelMs / 1000)) * 100) / 100,
        matmul_peak_gflops: Math.round(peak * 100) / 100,
        fraction_of_peak: Math.round((gflop / (kernelMs / 1000) / peak) * 1000) / 1000,
        note: 'ours_ms: wall time of one prediction (packing, upload, kernels, read-back); gpu_pass_ms: timestamp-query time of its compute pass, which gflops uses',
      });
    }
  } finally {
    device.destroy();
  }
}

/** GFLOP/s of a square matrix product on the same device: 512 on a slow (software) device, 2048 on a real GPU. */
async function matmulPeak(context: GpuContext): Promise<number> {
  let n = 512;
  let ms = await timeMatmul(context, n, 3);
  if (ms < 20) {
    n = 2048;
    ms = await timeMatmul(context, n, 5);
  }
  return (2 * n ** 3) / (ms / 1000) / 1e9;
}
