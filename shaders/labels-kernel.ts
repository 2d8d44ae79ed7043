/// <reference types="@webgpu/types" />
import { WGSL_PRELUDE, WORKGROUP_SIZE, groupsFor, type Dispatch, type GpuContext } from './gpu-context.js';
import type { GpuField } from './gpu-field.js';
import { chunkRows } from './site-chunks.js';

/** WGSL of argmax (first of equal maxima, as the cpu) and its softmax probability, thread per vertex. */
function labelsShader(classes: number): string {
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> confidences: array<f32>;
const CLASSES = ${classes}u;
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = groupIndex(wid, groups) * ${WORKGROUP_SIZE}u + lid;
  if (row >= params.rowCount) { return; }
  let base = row * CLASSES;
  var best = 0u;
  for (var k = 1u; k < CLASSES; k++) { if (logits[base + k] > logits[base + best]) { best = k; } }
  let top = logits[base + best];
  var sum = 0.0;
  for (var k = 0u; k < CLASSES; k++) { sum += exp(logits[base + k] - top); }
  labels[row] = best;
  confidences[row] = 1.0 / sum;
}
`;
}

/** Dispatches writing labels and confidences (width-1 fields) from `logits`, one per row chunk. */
export function encodeLabels(context: GpuContext, logits: GpuField, labels: GpuField, confidences: GpuField): Dispatch[] {
  const pipeline = context.pipeline(labelsShader(logits.width));
  return logits.buffers.map((buffer, c) => ({
    pipeline, uniforms: { rowCount: chunkRows(logits.chunks, c) }, storage: [buffer, labels.buffers[c]!, confidences.buffers[c]!],
    workgroups: groupsFor(chunkRows(logits.chunks, c)),
  }));
}
