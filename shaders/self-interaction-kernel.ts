/// <reference types="@webgpu/types" />
import type { SelfInteractionSpec } from '../core/model/layers/self-interaction.js';
import { WGSL_PRELUDE, WORKGROUP_SIZE, type Dispatch, type GpuContext } from './gpu-context.js';
import type { GpuField } from './gpu-field.js';
import { chunkCount, chunkRows } from './site-chunks.js';

/** Rows per workgroup: the staged weights are reused by every row of the tile. */
const TILE_ROWS = 64;

/** WGSL of a self-interaction: thread (row, unit) computes an order-0 output or an order-m pair. */
function selfInteractionShader(spec: SelfInteractionSpec, staged: boolean, parameterCount: number): string {
  const cin = spec.in.channels, cout = spec.out.channels, orders = Math.min(spec.in.maxOrder, spec.out.maxOrder);
  const DIN = 2 * spec.in.maxOrder + 1, DOUT = 2 * spec.out.maxOrder + 1;
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> input: array<f32>;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read_write> output: array<f32>;
const CIN = ${cin}u; const COUT = ${cout}u; const DIN = ${DIN}u; const DOUT = ${DOUT}u; const ORDERS = ${orders}u;
const MOUT = ${spec.out.maxOrder}u; const UNITS = COUT * (MOUT + 1u); const PAIRS = COUT * CIN;
const BIAS_BASE = PAIRS * (1u + 2u * ORDERS);
${staged ? `var<workgroup> staged: array<f32, ${parameterCount}>;
fn weight(i: u32) -> f32 { return staged[i]; }` : 'fn weight(i: u32) -> f32 { return weights[i]; }'}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  ${staged ? `for (var i = lid; i < ${parameterCount}u; i += ${WORKGROUP_SIZE}u) { staged[i] = weights[i]; }
  workgroupBarrier();` : ''}
  let row0 = groupIndex(wid, groups) * ${TILE_ROWS}u;
  for (var item = lid; item < ${TILE_ROWS}u * UNITS; item += ${WORKGROUP_SIZE}u) {
    let row = row0 + item / UNITS; let u = item % UNITS;
    if (row >= params.rowCount) { continue; }
    let co = u / (MOUT + 1u); let m = u % (MOUT + 1u);
    let x0 = row * CIN * DIN; let y = row * COUT * DOUT + co * DOUT;
    if (m == 0u) {
      var s = ${spec.bias ? 'weight(BIAS_BASE + co)' : '0.0'};
      for (var ci = 0u; ci < CIN; ci++) { s += weight(co * CIN + ci) * input[x0 + ci * DIN]; }
      output[y] = s;
    } else if (m <= ORDERS) {
      let pb = PAIRS + ((m - 1u) * PAIRS + co * CIN) * 2u;
      var sa = 0.0; var sb = 0.0;
      for (var ci = 0u; ci < CIN; ci++) {
        let a = weight(pb + 2u * ci); let b = weight(pb + 2u * ci + 1u);
        let xa = input[x0 + ci * DIN + 2u * m - 1u]; let xb = input[x0 + ci * DIN + 2u * m];
        sa += a * xa - b * xb; sb += b * xa + a * xb;
      }
      output[y + 2u * m - 1u] = sa; output[y + 2u * m] = sb;
    } else {
      output[y + 2u * m - 1u] = 0.0; output[y + 2u * m] = 0.0;
    }
  }
}
`;
}

/** Dispatches of a self-interaction (weights = the layer's parameter slice), one per row chunk. */
export function encodeSelfInteraction(context: GpuContext, spec: SelfInteractionSpec, parameterCount: number, weights: GPUBuffer, input: GpuField, output: GpuField): Dispatch[] {
  const staged = parameterCount * 4 <= context.limits.workgroupStorageBytes;
  const pipeline = context.pipeline(selfInteractionShader(spec, staged, Math.max(1, parameterCount)));
  const dispatches: Dispatch[] = [];
  for (let c = 0; c < chunkCount(output.chunks); c++) {
    const rows = chunkRows(output.chunks, c);
    dispatches.push({ pipeline, uniforms: { rowCount: rows }, storage: [input.buffers[c]!, weights, output.buffers[c]!], workgroups: Math.ceil(rows / TILE_ROWS) });
  }
  return dispatches;
}
