/// <reference types="@webgpu/types" />
import { LEAKY_SLOPE, type RegularNonlinearityKind } from '../core/model/layers/regular-nonlinearity.js';
import type { FieldShape } from '../core/model/layers/feature-layout.js';
import { WGSL_PRELUDE, WORKGROUP_SIZE, groupsFor, type Dispatch, type GpuContext } from './gpu-context.js';
import type { GpuField } from './gpu-field.js';
import { chunkCount, chunkRows } from './site-chunks.js';

/** WGSL of the pointwise function: SiLU in the overflow-free form, or (leaky) ReLU. */
export function activationWgsl(kind: RegularNonlinearityKind): string {
  if (kind === 'silu') {
    return 'fn activate(x: f32) -> f32 { if (x >= 0.0) { return x / (1.0 + exp(-x)); } let e = exp(x); return x * e / (1.0 + e); }';
  }
  const slope = kind === 'leaky' ? LEAKY_SLOPE : 0;
  return `fn activate(x: f32) -> f32 { return select(${slope.toPrecision(9)} * x, x, x > 0.0); }`;
}

/** cos or sin(2π n j / N) at [j · M + n − 1], as a WGSL array literal. */
function tableWgsl(samples: number, maxOrder: number, trig: (x: number) => number): { type: string; value: string } {
  const values: string[] = [];
  for (let j = 0; j < samples; j++) for (let n = 1; n <= maxOrder; n++) values.push(trig((2 * Math.PI * n * j) / samples).toPrecision(9));
  return { type: `array<f32, ${values.length}>`, value: `array<f32, ${values.length}>(${values.join(', ')})` };
}

/** WGSL of the regular nonlinearity: thread per (vertex, channel) samples N angles, activates, projects back. */
function regularNonlinearityShader(shape: FieldShape, samples: number, kind: RegularNonlinearityKind): string {
  const M = shape.maxOrder, D = 2 * M + 1;
  const body = M === 0
    ? 'output[item] = activate(input[item]);'
    : `let base = item * D;
    var values: array<f32, N>;
    var s0 = 0.0;
    for (var j = 0u; j < N; j++) {
      var f = input[base];
      for (var n = 1u; n <= M; n++) { f += input[base + 2u * n - 1u] * COS[j * M + n - 1u] + input[base + 2u * n] * SIN[j * M + n - 1u]; }
      let y = activate(f);
      values[j] = y; s0 += y;
    }
    output[base] = s0 / f32(N);
    for (var n = 1u; n <= M; n++) {
      var sa = 0.0; var sb = 0.0;
      for (var j = 0u; j < N; j++) { sa += values[j] * COS[j * M + n - 1u]; sb += values[j] * SIN[j * M + n - 1u]; }
      output[base + 2u * n - 1u] = (2.0 / f32(N)) * sa; output[base + 2u * n] = (2.0 / f32(N)) * sb;
    }`;
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> input: array<f32>;
@group(0) @binding(2) var<storage, read_write> output: array<f32>;
const M = ${M}u; const D = ${D}u; const C = ${shape.channels}u; const N = ${samples}u;
${M > 0 ? [['COS', Math.cos], ['SIN', Math.sin]].map(([name, trig]) => {
    const table = tableWgsl(samples, M, trig as (x: number) => number);
    return `var<private> ${name as string}: ${table.type} = ${table.value};`;
  }).join('\n') : ''}
${activationWgsl(kind)}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let item = groupIndex(wid, groups) * ${WORKGROUP_SIZE}u + lid;
  if (item >= params.rowCount * C) { return; }
  ${body}
}
`;
}

/** Dispatches of the regular nonlinearity, one per row chunk. */
export function encodeRegularNonlinearity(context: GpuContext, shape: FieldShape, samples: number, kind: RegularNonlinearityKind, input: GpuField, output: GpuField): Dispatch[] {
  const pipeline = context.pipeline(regularNonlinearityShader(shape, samples, kind));
  const dispatches: Dispatch[] = [];
  for (let c = 0; c < chunkCount(output.chunks); c++) {
    const rows = chunkRows(output.chunks, c);
    dispatches.push({ pipeline, uniforms: { rowCount: rows }, storage: [input.buffers[c]!, output.buffers[c]!], workgroups: groupsFor(rows * shape.channels) });
  }
  return dispatches;
}
