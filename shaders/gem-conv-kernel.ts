/// <reference types="@webgpu/types" />
import type { GemConvSpec } from '../core/model/layers/gem-conv.js';
import { fieldWidth } from '../core/model/layers/feature-layout.js';
import { projectOriginKernel } from '../core/model/layers/origin-kernel.js';
import { WGSL_ENTRY, type GpuConvEntries } from './conv-entries.js';
import { WGSL_PRELUDE, WORKGROUP_SIZE, type Dispatch, type GpuContext } from './gpu-context.js';
import type { GpuField } from './gpu-field.js';
import { chunkCount, chunkRows } from './site-chunks.js';
import { WebGpuError } from './webgpu-error.js';

/** Most rows one workgroup aggregates: enough to reuse each weight 16 times per load. */
const MAX_TILE_ROWS = 16;

/** Compile-time shape of one GEM convolution kernel. */
interface GemConvKernelShape {
  readonly cin: number; readonly min: number; readonly cout: number; readonly mout: number;
  readonly rings: number; readonly bias: boolean; readonly origin: boolean;
  /** Rows per workgroup. */
  readonly rows: number;
  /** Whether all weights are copied to workgroup memory. */
  readonly staged: boolean;
}

/** Picks rows per workgroup and weight staging so aggregates (and weights, where they fit) stay in workgroup memory. */
function kernelShape(spec: Required<GemConvSpec>, origin: boolean, workgroupBytes: number): GemConvKernelShape {
  const inW = fieldWidth(spec.in), outW = fieldWidth(spec.out), S = 2 * spec.out.maxOrder + 1;
  const o = origin ? 1 : 0;
  const aggPerRow = (spec.rings * S + o) * inW;
  const weightFloats = (spec.rings + o) * outW * inW;
  const budget = Math.floor(workgroupBytes / 4);
  const rowsFitting = (free: number): number => {
    let rows = 1;
    while (rows * 2 <= MAX_TILE_ROWS && rows * 2 * aggPerRow <= free) rows *= 2;
    return rows * aggPerRow <= free ? rows : 0;
  };
  // Stage the weights only when at least 4 rows still fit beside them: otherwise reuse is too low to pay.
  const staged = weightFloats + 4 * aggPerRow <= budget;
  const rows = rowsFitting(staged ? budget - weightFloats : budget);
  if (rows === 0) throw new WebGpuError('TOO_LARGE', `a GEM convolution with ${inW} input values per vertex needs ${aggPerRow * 4} bytes of workgroup memory, more than the device's ${workgroupBytes}.`);
  return { cin: spec.in.channels, min: spec.in.maxOrder, cout: spec.out.channels, mout: spec.out.maxOrder, rings: spec.rings, bias: spec.bias, origin, rows, staged };
}

/** WGSL of a GEM convolution: per workgroup, aggregate `rows` rows per ring and output order, then apply W_k. */
function gemConvShader(k: GemConvKernelShape): string {
  const DIN = 2 * k.min + 1, DOUT = 2 * k.mout + 1, S = DOUT;
  const IN_W = k.cin * DIN, OUT_W = k.cout * DOUT, O = k.origin ? 1 : 0;
  const AGG_ROW = (k.rings * S + O) * IN_W, WEIGHT_FLOATS = (k.rings + O) * OUT_W * IN_W;
  // Orders unrolled in the source (M is small): the harmonics of θ are computed once per entry, shared by both rings.
  const ringSlots = (ring: string, z: string) => {
    const lines = [`acc[${ring} * S] += ${z};`];
    for (let m = 1; m <= k.mout; m++) lines.push(`acc[${ring} * S + ${2 * m - 1}u] += cos${m} * ${z}; acc[${ring} * S + ${2 * m}u] += sin${m} * ${z};`);
    return lines.join('\n        ');
  };
  const outHarmonics: string[] = [];
  for (let m = 1; m <= k.mout; m++) {
    outHarmonics.push(m === 1
      ? 'let cos1 = en.cosOut; let sin1 = en.sinOut;'
      : `let cos${m} = cos${m - 1} * en.cosOut - sin${m - 1} * en.sinOut; let sin${m} = sin${m - 1} * en.cosOut + cos${m - 1} * en.sinOut;`);
  }
  const inHarmonics: string[] = [];
  for (let n = 2; n <= k.min; n++) inHarmonics.push(`if (n >= ${n}u) { let c = cn * en.cosIn - sn * en.sinIn; sn = sn * en.cosIn + cn * en.sinIn; cn = c; }`);
  return /* wgsl */ `${WGSL_PRELUDE}${WGSL_ENTRY}
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read> entries: array<Entry>;
@group(0) @binding(3) var<storage, read> source: array<f32>;
@group(0) @binding(4) var<storage, read> weights: array<f32>;
@group(0) @binding(5) var<storage, read_write> output: array<f32>;
const K = ${k.rings}u; const S = ${S}u; const DIN = ${DIN}u; const IN_W = ${IN_W}u;
const COUT = ${k.cout}u; const MOUT = ${k.mout}u; const DOUT = ${DOUT}u; const OUT_W = ${OUT_W}u;
const ROWS = ${k.rows}u; const AGG_ROW = ${AGG_ROW}u; const UNITS = COUT * (MOUT + 1u);
const ORIGIN_BASE = K * OUT_W * IN_W; const BIAS_BASE = ${WEIGHT_FLOATS}u;
var<workgroup> agg: array<f32, ${k.rows * AGG_ROW}>;
${k.staged ? `var<workgroup> staged: array<f32, ${WEIGHT_FLOATS}>;
fn weight(i: u32) -> f32 { return staged[i]; }` : `fn weight(i: u32) -> f32 { return weights[i]; }`}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row0 = groupIndex(wid, groups) * ROWS;
  ${k.staged ? `for (var i = lid; i < ${WEIGHT_FLOATS}u; i += ${WORKGROUP_SIZE}u) { staged[i] = weights[i]; }` : ''}
  // Phase 1: thread (r, i) sums z_i = (ρ_in(g − θ) x_q)_i into every ring and output-order slot of row r.
  for (var item = lid; item < ROWS * IN_W; item += ${WORKGROUP_SIZE}u) {
    let r = item / IN_W; let i = item % IN_W; let row = row0 + r;
    var acc = array<f32, ${k.rings * S}>();
    var orig = 0.0;
    if (row < params.rowCount) {
      let d = i % DIN; let n = (d + 1u) / 2u;
      for (var e = offsets[row]; e < offsets[row + 1u]; e++) {
        let en = entries[e];
        if (en.source < params.sourceBegin || en.source >= params.sourceEnd) { continue; }
        let x0 = (en.source - params.sourceBegin) * IN_W;
        var z = source[x0 + i];
        if (d > 0u) {
          var cn = en.cosIn; var sn = en.sinIn;
          ${inHarmonics.join('\n          ')}
          if ((d & 1u) == 1u) { z = cn * z - sn * source[x0 + i + 1u]; } else { z = sn * source[x0 + i - 1u] + cn * z; }
        }
        ${k.origin ? 'if (en.ring >= K) { orig += en.w0 * z; continue; }' : ''}
        let k0 = en.ring; let z0 = en.w0 * z; let z1 = en.w1 * z;
        ${outHarmonics.join('\n        ')}
        ${ringSlots('k0', 'z0')}
        if (k0 + 1u < K) {
          let k1 = k0 + 1u;
          ${ringSlots('k1', 'z1')}
        }
      }
    }
    for (var s = 0u; s < K * S; s++) { agg[r * AGG_ROW + s * IN_W + i] = acc[s]; }
    ${k.origin ? 'agg[r * AGG_ROW + K * S * IN_W + i] = orig;' : ''}
  }
  workgroupBarrier();
  // Phase 2: thread (r, unit) applies W_k to the aggregates: an order-0 output, or an order-m pair.
  for (var item = lid; item < ROWS * UNITS; item += ${WORKGROUP_SIZE}u) {
    let r = item / UNITS; let u = item % UNITS; let row = row0 + r;
    if (row >= params.rowCount) { continue; }
    let c = u / (MOUT + 1u); let m = u % (MOUT + 1u); let a0 = r * AGG_ROW;
    if (m == 0u) {
      let o = c * DOUT;
      var s = 0.0;
      for (var k = 0u; k < K; k++) {
        let wb = (k * OUT_W + o) * IN_W; let ab = a0 + k * S * IN_W;
        for (var i = 0u; i < IN_W; i++) { s += weight(wb + i) * agg[ab + i]; }
      }
      ${k.origin ? `{ let wb = ORIGIN_BASE + o * IN_W; let ab = a0 + K * S * IN_W;
        // The θ-averaged kernel maps order 0 only to order 0: one column per input channel.
        for (var ci = 0u; ci < ${k.cin}u; ci++) { let i = ci * DIN; s += weight(wb + i) * agg[ab + i]; } }` : ''}
      let y = row * OUT_W + o;
      var base = ${k.bias ? 'weights[BIAS_BASE + c]' : '0.0'};
      if (params.first == 0u) { base = output[y]; }
      output[y] = base + s;
    } else {
      let oa = c * DOUT + 2u * m - 1u;
      var sa = 0.0; var sb = 0.0;
      for (var k = 0u; k < K; k++) {
        let wa = (k * OUT_W + oa) * IN_W; let wb = wa + IN_W;
        let ac = a0 + (k * S + 2u * m - 1u) * IN_W; let an = ac + IN_W;
        for (var i = 0u; i < IN_W; i++) {
          let Wa = weight(wa + i); let Wb = weight(wb + i); let Ac = agg[ac + i]; let As = agg[an + i];
          sa += Wa * Ac - Wb * As; sb += Wb * Ac + Wa * As;
        }
      }
      ${k.origin ? `if (m <= ${k.min}u) {
        // ... and order m only to order m, by a 2 × 2 block per input channel.
        let wa = ORIGIN_BASE + oa * IN_W; let wb = wa + IN_W; let ab = a0 + K * S * IN_W;
        for (var ci = 0u; ci < ${k.cin}u; ci++) {
          let i = ci * DIN + 2u * m - 1u; let xa = agg[ab + i]; let xb = agg[ab + i + 1u];
          sa += weight(wa + i) * xa + weight(wa + i + 1u) * xb; sb += weight(wb + i) * xa + weight(wb + i + 1u) * xb;
        } }` : ''}
      let y = row * OUT_W + oa;
      var ba = 0.0; var bb = 0.0;
      if (params.first == 0u) { ba = output[y]; bb = output[y + 1u]; }
      output[y] = ba + sa; output[y + 1u] = bb + sb;
    }
  }
}
`;
}

/** The weight buffer of a conv: W_k (k < K), then the θ-averaged r = 0 kernel when used, then biases. */
export function gemConvWeights(spec: Required<GemConvSpec>, params: Float32Array, origin: boolean): Float32Array {
  const inW = fieldWidth(spec.in), outW = fieldWidth(spec.out), weightCount = spec.rings * outW * inW;
  const biases = spec.bias ? spec.out.channels : 0;
  const out = new Float32Array(weightCount + (origin ? outW * inW : 0) + biases);
  out.set(params.subarray(0, weightCount));
  if (origin) {
    const kernel = new Float64Array(outW * inW);
    projectOriginKernel(params, spec.in, spec.out, kernel);
    out.set(kernel, weightCount);
  }
  out.set(params.subarray(weightCount, weightCount + biases), out.length - biases);
  return out;
}

/**
 * Dispatches of a GEM convolution from `input` (indexed by the entries' sources) to `output`
 * (rows of the entries): one per output chunk and input chunk, later input chunks accumulating.
 */
export function encodeGemConv(
  context: GpuContext, spec: Required<GemConvSpec>, weights: GPUBuffer, entries: GpuConvEntries, input: GpuField, output: GpuField,
): Dispatch[] {
  const shape = kernelShape(spec, entries.hasOrigin, context.limits.workgroupStorageBytes);
  const pipeline = context.pipeline(gemConvShader(shape));
  const dispatches: Dispatch[] = [];
  for (let c = 0; c < chunkCount(output.chunks); c++) {
    const rows = chunkRows(output.chunks, c);
    for (let s = 0; s < chunkCount(input.chunks); s++) {
      dispatches.push({
        pipeline,
        uniforms: { rowCount: rows, sourceBegin: input.chunks.starts[s]!, sourceEnd: input.chunks.starts[s + 1]!, first: s === 0 ? 1 : 0 },
        storage: [entries.offsets[c]!, entries.entries[c]!, input.buffers[s]!, weights, output.buffers[c]!],
        workgroups: Math.ceil(rows / shape.rows),
      });
    }
  }
  return dispatches;
}
