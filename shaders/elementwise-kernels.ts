/// <reference types="@webgpu/types" />
import { WGSL_PRELUDE, WORKGROUP_SIZE, groupsFor, type Dispatch, type GpuContext } from './gpu-context.js';
import type { GpuField } from './gpu-field.js';
import { chunkCount, chunkRows } from './site-chunks.js';

/** WGSL of out = x + y (a residual connection), thread per value. */
function addShader(width: number): string {
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> output: array<f32>;
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let item = groupIndex(wid, groups) * ${WORKGROUP_SIZE}u + lid;
  if (item >= params.rowCount * ${width}u) { return; }
  output[item] = x[item] + y[item];
}
`;
}

/** WGSL of per-vertex concatenation (x's channels then y's), thread per output value. */
function concatShader(xWidth: number, yWidth: number): string {
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> output: array<f32>;
const WX = ${xWidth}u; const WY = ${yWidth}u;
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let item = groupIndex(wid, groups) * ${WORKGROUP_SIZE}u + lid;
  if (item >= params.rowCount * (WX + WY)) { return; }
  let row = item / (WX + WY); let j = item % (WX + WY);
  if (j < WX) { output[item] = x[row * WX + j]; } else { output[item] = y[row * WY + j - WX]; }
}
`;
}

/** Dispatches of out = x + y, one per row chunk (all three fields share the vertex set). */
export function encodeAdd(context: GpuContext, x: GpuField, y: GpuField, output: GpuField): Dispatch[] {
  const pipeline = context.pipeline(addShader(output.width));
  return output.buffers.map((buffer, c) => ({
    pipeline, uniforms: { rowCount: chunkRows(output.chunks, c) }, storage: [x.buffers[c]!, y.buffers[c]!, buffer],
    workgroups: groupsFor(chunkRows(output.chunks, c) * output.width),
  }));
}

/** Dispatches of the per-vertex concatenation of x and y, one per row chunk. */
export function encodeConcat(context: GpuContext, x: GpuField, y: GpuField, output: GpuField): Dispatch[] {
  const pipeline = context.pipeline(concatShader(x.width, y.width));
  const dispatches: Dispatch[] = [];
  for (let c = 0; c < chunkCount(output.chunks); c++) {
    const rows = chunkRows(output.chunks, c);
    dispatches.push({ pipeline, uniforms: { rowCount: rows }, storage: [x.buffers[c]!, y.buffers[c]!, output.buffers[c]!], workgroups: groupsFor(rows * output.width) });
  }
  return dispatches;
}
