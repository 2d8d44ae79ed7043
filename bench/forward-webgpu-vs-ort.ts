import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadMesh } from '../core/mesh/load-mesh.js';
import type { Mesh } from '../core/mesh/mesh.js';
import { refineMesh } from '../core/mesh/refine-mesh.js';
import { decodeModel } from '../core/model/model.js';
import { prepareNetworkInput } from '../core/model/network-input.js';
import { createOnnxBackend, type OnnxBackend } from '../plugin/onnx/onnx-backend.js';
import { OnnxError } from '../plugin/onnx/onnx-error.js';
import { createWebGpuBackend, WebGpuError, type WebGpuBackend } from '../shaders/index.js';
import { installNodeWebGpu, ortWebGpuImporter } from './ort-web-webgpu.js';
import { printLine } from './timing.js';
import { relativeError } from './relative-error.js';

const CASE = 'forward-webgpu-vs-ort';
const PEER = 'onnxruntime-web webgpu EP (same adapter)';
const PEER_NODE = 'onnxruntime-node webgpu EP (native, own Dawn)';
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const MODEL = 'samples/models/human-parts.erlm';
const BODY = 'samples/scans/smpl-human/human_man.obj';

/** One side's median wall time (ms), its first run's (which compiles its kernels) and its last result. */
interface SideTiming<T> {
  median: number;
  first: number;
  result: T;
}

/** Runs the sides in turn, one warm-up each then `repeats` rounds, so that a change in machine load (the bench shares its cores) hits all alike. */
async function interleavedTimings<T>(sides: (() => Promise<T>)[], repeats: number): Promise<SideTiming<T>[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const timed = async (side: () => Promise<T>): Promise<{ ms: number; result: T }> => {
    gc?.();
    const start = performance.now();
    const result = await side();
    return { ms: performance.now() - start, result };
  };
  const out: SideTiming<T>[] = [];
  for (const side of sides) {
    const { ms, result } = await timed(side);
    out.push({ median: ms, first: ms, result });
  }
  const times: number[][] = sides.map(() => []);
  for (let i = 0; i < repeats; i++) {
    for (let k = 0; k < sides.length; k++) {
      const { ms, result } = await timed(sides[k]!);
      times[k]!.push(ms);
      out[k]!.result = result;
    }
  }
  for (let k = 0; k < sides.length; k++) out[k]!.median = times[k]!.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
  return out;
}

/** Says on stderr why the case printed no line. */
function skip(reason: string): void {
  process.stderr.write(`bench ${CASE}: skipped, ${reason}\n`);
}

/**
 * Case `forward-webgpu-vs-ort`: the bundled model's forward pass from the same prepared input on
 * our WebGPU backend and on the exported ONNX graph in onnxruntime-web's WebGPU execution
 * provider, both in this Node process on Dawn (`webgpu` package) and the same adapter (SwiftShader
 * without a GPU; ERLANGEN_BENCH_REAL_GPU=1 lets Dawn pick the system's), on the 6890-vertex SMPL
 * body and the body refined twice (~110k vertices). Each side's time is one whole prediction:
 * input packing, upload, kernels, read-back, labels. Runs alternate; the first of each side
 * (kernel compilation) is reported apart as *_first_ms. ratio = ours_ms / peer_ms. Where
 * onnxruntime-node has its native WebGPU EP (Linux x64 1.30 does), a second line per mesh,
 * `forward-webgpu-vs-ort-node/<mesh>`, compares with it; its Dawn is its own, so the adapter is
 * the one VK_ICD_FILENAMES leaves it, not checked by name.
 */
export async function benchForwardWebgpuVsOrt(): Promise<void> {
  if (existsSync(SWIFTSHADER_ICD) && process.env.ERLANGEN_BENCH_REAL_GPU !== '1') {
    process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
    process.env.NODEVICE_SELECT ??= '1';
  }
  const webgpu = await installNodeWebGpu();
  if (!webgpu) return skip('the `webgpu` package (Dawn for Node) is not installed; install it to give both sides a WebGPU adapter.');
  let ours: WebGpuBackend;
  try {
    ours = await createWebGpuBackend({ gpu: webgpu.gpu });
  } catch (error) {
    if (!(error instanceof WebGpuError)) throw error;
    return skip(error.message);
  }
  process.stdout.write(`${CASE} adapter: ${ours.adapterDescription}\n`);
  const model = decodeModel(new Uint8Array(await readFile(MODEL)), MODEL);
  let peer: OnnxBackend;
  try {
    peer = await createOnnxBackend(model, { runtime: 'web', executionProviders: ['webgpu'], threads: 1, importer: ortWebGpuImporter });
  } catch (error) {
    ours.dispose();
    if (!(error instanceof OnnxError)) throw error;
    return skip(`onnxruntime-web's WebGPU execution provider did not start (${error.message}); it needs onnxruntime-web ≥ 1.22 with its asyncify wasm and a WebGPU adapter.`);
  }
  // onnxruntime asks navigator.gpu for its adapter during session creation.
  const peerAdapter = webgpu.navigatorAdapters.at(-1) ?? 'none requested';
  if (peerAdapter !== ours.adapterDescription) process.stderr.write(`bench ${CASE}: onnxruntime-web got adapter '${peerAdapter}', ours '${ours.adapterDescription}'\n`);
  const peers = [{ label: PEER, backend: peer, adapter: peerAdapter }];
  // onnxruntime-node's Linux x64 build bundles a native WebGPU EP on its own Dawn: a second, faster peer where it loads.
  try {
    const backend = await createOnnxBackend(model, { runtime: 'node', executionProviders: ['webgpu'], threads: 1 });
    peers.push({ label: PEER_NODE, backend, adapter: `its own Dawn (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'})` });
  } catch (error) {
    if (!(error instanceof OnnxError)) throw error;
    process.stderr.write(`bench ${CASE}: no onnxruntime-node webgpu line (${error.message})\n`);
  }
  try {
    const body = await loadMesh(BODY);
    // Software WebGPU (SwiftShader) takes tens of seconds per onnxruntime pass on the body: few repeats.
    const meshes: { name: string; mesh: Mesh; repeats: number }[] = [
      { name: 'smpl-body-6890', mesh: body, repeats: 3 },
      // Two rounds of midpoint subdivision: 16 × 6890 ≈ 110k vertices.
      { name: 'smpl-refined-110k', mesh: refineMesh(body, { levels: 2 }).mesh, repeats: 1 },
    ];
    for (const { name, mesh, repeats } of meshes) {
      const input = prepareNetworkInput(mesh, model.preprocessing);
      const [mine, ...theirs] = await interleavedTimings([() => ours.predict(model.network, model.parameters, input), ...peers.map((p) => () => p.backend.predict(input))], repeats);
      for (let k = 0; k < peers.length; k++) {
        const other = theirs[k]!;
        printLine({
          case: k === 0 ? `${CASE}/${name}` : `${CASE}-node/${name}`,
          ours_ms: mine!.median,
          peer: peers[k]!.label,
          peer_ms: other.median,
          ratio: mine!.median / other.median,
          vertices: input.meshVertexCount,
          adapter: ours.adapterDescription,
          peer_adapter: peers[k]!.adapter,
          repeats,
          ours_first_ms: Math.round(mine!.first),
          peer_first_ms: Math.round(other.first),
          max_relative_logit_error: Number(relativeError(mine!.result.logits, other.result.logits).toExponential(2)),
          label_agreement: labelAgreement(mine!.result.labels, other.result.labels),
        });
      }
    }
  } finally {
    for (const p of peers) await p.backend.dispose();
    ours.dispose();
  }
}

/** Fraction of vertices given the same label by both sides. */
function labelAgreement(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return Math.round((same / a.length) * 1e5) / 1e5;
}
