/// <reference types="@webgpu/types" />
import type { FieldShape } from '../core/model/layers/feature-layout.js';
import type { NetworkPooling } from '../core/model/network-input.js';
import { WGSL_PRELUDE, WORKGROUP_SIZE, groupsFor, type Dispatch, type GpuContext } from './gpu-context.js';
import type { GpuField } from './gpu-field.js';
import { chunkCount, chunkRows, type SiteChunks } from './site-chunks.js';

/**
 * Pooling links for the GPU, 1 + 2·M u32 each: a vertex index, then cos(n g), sin(n g) (as f32
 * bits) for n = 1..M, g = g_{fine→parent}, computed in float64 as the cpu layer does.
 */
export interface PoolingLinks {
  /** Per coarse vertex, its children (fine vertices, ascending) in `children`. */
  readonly childOffsets: Uint32Array;
  readonly children: Uint32Array;
  /** Per fine vertex, its parent. */
  readonly parents: Uint32Array;
  /** u32 per link. */
  readonly stride: number;
}

/** Builds the gather-by-destination links of a pooling for band limits up to `maxOrder`. */
export function poolingLinks(pooling: NetworkPooling, maxOrder: number): PoolingLinks {
  const { parent, transport, coarseCount } = pooling;
  const stride = 1 + 2 * maxOrder, F = parent.length;
  const childOffsets = new Uint32Array(coarseCount + 1);
  for (let f = 0; f < F; f++) childOffsets[parent[f]! + 1]++;
  for (let c = 0; c < coarseCount; c++) childOffsets[c + 1] += childOffsets[c]!;
  const fill = childOffsets.slice(0, coarseCount);
  const children = new Uint32Array(F * stride), parents = new Uint32Array(F * stride);
  const harmonics = new Float32Array(2 * maxOrder);
  const bits = new Uint32Array(harmonics.buffer);
  for (let f = 0; f < F; f++) {
    for (let n = 1; n <= maxOrder; n++) {
      harmonics[2 * n - 2] = Math.cos(n * transport[f]!);
      harmonics[2 * n - 1] = Math.sin(n * transport[f]!);
    }
    const slot = fill[parent[f]!]++;
    children[slot * stride] = f;
    children.set(bits, slot * stride + 1);
    parents[f * stride] = parent[f]!;
    parents.set(bits, f * stride + 1);
  }
  return { childOffsets, children, parents, stride };
}

/** Uploaded links split by chunks: children by coarse chunk (with rebased offsets), parents by fine chunk. */
export interface GpuPoolingLinks {
  readonly childOffsets: GPUBuffer[];
  readonly children: GPUBuffer[];
  readonly parents: GPUBuffer[];
  readonly stride: number;
}

/** Uploads `links` split by the coarse and fine row chunks. */
export function uploadPoolingLinks(context: GpuContext, links: PoolingLinks, coarse: SiteChunks, fine: SiteChunks): GpuPoolingLinks {
  const childOffsets: GPUBuffer[] = [], children: GPUBuffer[] = [], parents: GPUBuffer[] = [];
  const s = links.stride;
  for (let c = 0; c < chunkCount(coarse); c++) {
    const a = coarse.starts[c]!, b = coarse.starts[c + 1]!, base = links.childOffsets[a]!;
    const rebased = new Uint32Array(b - a + 1);
    for (let p = a; p <= b; p++) rebased[p - a] = links.childOffsets[p]! - base;
    childOffsets.push(context.upload(rebased));
    children.push(context.upload(links.children.subarray(base * s, links.childOffsets[b]! * s)));
  }
  for (let c = 0; c < chunkCount(fine); c++) parents.push(context.upload(links.parents.subarray(fine.starts[c]! * s, fine.starts[c + 1]! * s)));
  return { childOffsets, children, parents, stride: s };
}

/** WGSL rotating coefficient i of `field` at x0 by sign · n · g (cos/sin of n·g at link l). */
function rotateWgsl(D: number, sign: number): string {
  return /* wgsl */ `
fn rotated(x0: u32, i: u32, l: u32) -> f32 {
  let d = i % ${D}u;
  if (d == 0u) { return field[x0 + i]; }
  let n = (d + 1u) / 2u;
  let cs = bitcast<f32>(links[l + 2u * n - 1u]); let sn = ${sign < 0 ? '-' : ''}bitcast<f32>(links[l + 2u * n]);
  if ((d & 1u) == 1u) { return cs * field[x0 + i] - sn * field[x0 + i + 1u]; }
  return sn * field[x0 + i - 1u] + cs * field[x0 + i];
}`;
}

/** WGSL of pooling: thread per (coarse vertex, value) averages its children's transported values. */
function poolShader(shape: FieldShape, stride: number): string {
  const D = 2 * shape.maxOrder + 1, W = shape.channels * D;
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read> links: array<u32>;
@group(0) @binding(3) var<storage, read> field: array<f32>;
@group(0) @binding(4) var<storage, read_write> output: array<f32>;
${rotateWgsl(D, 1)}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let item = groupIndex(wid, groups) * ${WORKGROUP_SIZE}u + lid;
  if (item >= params.rowCount * ${W}u) { return; }
  let row = item / ${W}u; let i = item % ${W}u;
  let begin = offsets[row]; let end = offsets[row + 1u];
  let scale = 1.0 / f32(max(end - begin, 1u));
  var s = 0.0;
  if (params.first == 0u) { s = output[item]; }
  for (var e = begin; e < end; e++) {
    let l = e * ${stride}u; let f = links[l];
    if (f < params.sourceBegin || f >= params.sourceEnd) { continue; }
    s += scale * rotated((f - params.sourceBegin) * ${W}u, i, l);
  }
  output[item] = s;
}
`;
}

/** WGSL of unpooling: thread per (fine vertex, value) carries its parent's value back by ρ(−g). */
function unpoolShader(shape: FieldShape, stride: number): string {
  const D = 2 * shape.maxOrder + 1, W = shape.channels * D;
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> links: array<u32>;
@group(0) @binding(2) var<storage, read> field: array<f32>;
@group(0) @binding(3) var<storage, read_write> output: array<f32>;
${rotateWgsl(D, -1)}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let item = groupIndex(wid, groups) * ${WORKGROUP_SIZE}u + lid;
  if (item >= params.rowCount * ${W}u) { return; }
  let row = item / ${W}u; let i = item % ${W}u;
  let l = row * ${stride}u; let p = links[l];
  if (p < params.sourceBegin || p >= params.sourceEnd) { return; }
  output[item] = rotated((p - params.sourceBegin) * ${W}u, i, l);
}
`;
}

/** Dispatches of pooling `fine` → `coarse`: per coarse chunk, one pass per fine chunk. */
export function encodePool(context: GpuContext, shape: FieldShape, links: GpuPoolingLinks, fine: GpuField, coarse: GpuField): Dispatch[] {
  const pipeline = context.pipeline(poolShader(shape, links.stride));
  const dispatches: Dispatch[] = [];
  for (let c = 0; c < chunkCount(coarse.chunks); c++) {
    const rows = chunkRows(coarse.chunks, c);
    for (let s = 0; s < chunkCount(fine.chunks); s++) {
      dispatches.push({
        pipeline, uniforms: { rowCount: rows, sourceBegin: fine.chunks.starts[s]!, sourceEnd: fine.chunks.starts[s + 1]!, first: s === 0 ? 1 : 0 },
        storage: [links.childOffsets[c]!, links.children[c]!, fine.buffers[s]!, coarse.buffers[c]!], workgroups: groupsFor(rows * coarse.width),
      });
    }
  }
  return dispatches;
}

/** Dispatches of unpooling `coarse` → `fine`: per fine chunk, one pass per coarse chunk (each vertex written once). */
export function encodeUnpool(context: GpuContext, shape: FieldShape, links: GpuPoolingLinks, coarse: GpuField, fine: GpuField): Dispatch[] {
  const pipeline = context.pipeline(unpoolShader(shape, links.stride));
  const dispatches: Dispatch[] = [];
  for (let c = 0; c < chunkCount(fine.chunks); c++) {
    const rows = chunkRows(fine.chunks, c);
    for (let s = 0; s < chunkCount(coarse.chunks); s++) {
      dispatches.push({
        pipeline, uniforms: { rowCount: rows, sourceBegin: coarse.chunks.starts[s]!, sourceEnd: coarse.chunks.starts[s + 1]! },
        storage: [links.parents[c]!, coarse.buffers[s]!, fine.buffers[c]!], workgroups: groupsFor(rows * fine.width),
      });
    }
  }
  return dispatches;
}
