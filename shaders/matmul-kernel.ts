/// <reference types="@webgpu/types" />
import type { GpuContext } from './gpu-context.js';
import { WGSL_PRELUDE } from './gpu-context.js';

/** Output tile per workgroup (TILE × TILE) and its depth step; each of 16 × 16 threads computes 4 × 4 outputs. */
const TILE = 64;
const DEPTH = 16;

/** WGSL of C = A · B for square n × n matrices (n a multiple of 64), tiled through workgroup memory. */
function matmulShader(n: number): string {
  return /* wgsl */ `${WGSL_PRELUDE}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
const N = ${n}u; const TILE = ${TILE}u; const DEPTH = ${DEPTH}u;
var<workgroup> tileA: array<f32, ${TILE * DEPTH}>;
var<workgroup> tileB: array<f32, ${TILE * DEPTH}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) index: u32) {
  let row0 = wid.y * TILE; let col0 = wid.x * TILE;
  var acc = array<f32, 16>();
  for (var k0 = 0u; k0 < N; k0 += DEPTH) {
    // 1024 values of each tile, 4 per thread, consecutive threads on consecutive addresses.
    for (var j = 0u; j < 4u; j++) {
      let e = index + j * 256u;
      tileA[e] = a[(row0 + e / DEPTH) * N + k0 + e % DEPTH];
      tileB[e] = b[(k0 + e / TILE) * N + col0 + e % TILE];
    }
    workgroupBarrier();
    for (var k = 0u; k < DEPTH; k++) {
      for (var i = 0u; i < 4u; i++) {
        let x = tileA[(lid.y * 4u + i) * DEPTH + k];
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] += x * tileB[k * TILE + lid.x + j * 16u]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { c[(row0 + lid.y * 4u + i) * N + col0 + lid.x + j * 16u] = acc[i * 4u + j]; }
  }
  if (params.rowCount == 0u) { c[0] = 0.0; }
}
`;
}

/**
 * Milliseconds of one n × n matrix product on the device (wall time of a submission after a
 * warm-up, median of `repeats`): the device's practical peak, 2n³ floating-point operations.
 */
export async function timeMatmul(context: GpuContext, n: number, repeats: number): Promise<number> {
  if (n % TILE !== 0) throw new RangeError(`timeMatmul: n must be a multiple of ${TILE}`);
  const pipeline = context.pipeline(matmulShader(n));
  const values = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const times: number[] = [];
  context.beginJob();
  try {
    const a = context.upload(values), b = context.upload(values), c = context.storage(n * n * 4);
    const dispatch = { pipeline, uniforms: { rowCount: n }, storage: [a, b, c], workgroups: 0 };
    for (let r = 0; r <= repeats; r++) {
      const start = performance.now();
      await context.executeGrid(dispatch, n / TILE, n / TILE, { buffer: c, bytes: 4 });
      if (r > 0) times.push(performance.now() - start);
    }
  } finally {
    await context.release();
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)]!;
}
