/// <reference types="@webgpu/types" />
import type { ConvNeighbourhood } from '../core/model/layers/conv-neighbourhood.js';
import type { GpuContext } from './gpu-context.js';
import { chunkCount, type SiteChunks } from './site-chunks.js';

/** Bytes of one packed entry: source, ring, w0, w1, cos/sin(g − θ), cos/sin θ. */
export const ENTRY_BYTES = 32;

/** The WGSL struct matching one packed entry. */
export const WGSL_ENTRY = /* wgsl */ `
struct Entry { source: u32, ring: u32, w0: f32, w1: f32, cosIn: f32, sinIn: f32, cosOut: f32, sinOut: f32 }
`;

/** Radial profile of a convolution, as in GemConvSpec. */
export interface RadialProfile {
  readonly rings: number;
  readonly radius: number;
  readonly normalise: boolean;
}

/**
 * A neighbourhood packed for the GPU: entries beyond every ring dropped, the row normaliser
 * folded into the hat weights, r = 0 entries marked with ring = K (they use the θ-averaged kernel).
 */
export interface PackedConvEntries {
  /** Row starts into the packed entries, length rowCount + 1. */
  readonly offsets: Uint32Array;
  /** ENTRY_BYTES per entry. */
  readonly data: ArrayBuffer;
  readonly hasOrigin: boolean;
}

/**
 * Packs `nb` with the hat weights, normaliser and harmonics of core/model/layers/conv-entry-cache.ts,
 * computed in float64 as there: hat k has centre k·h, h = radius / (K − 1) (radius when K = 1).
 */
export function packConvEntries(nb: ConvNeighbourhood, profile: RadialProfile): PackedConvEntries {
  const K = profile.rings;
  const h = K === 1 ? profile.radius : profile.radius / (K - 1);
  const offsets = new Uint32Array(nb.rowCount + 1);
  const data = new ArrayBuffer(Math.max(1, nb.sources.length) * ENTRY_BYTES);
  const u32 = new Uint32Array(data), f32 = new Float32Array(data);
  let n = 0, hasOrigin = false;
  for (let p = 0; p < nb.rowCount; p++) {
    // First the row's weight total (as the cpu layer sums it), then the entries scaled by the normaliser.
    let total = 0;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const t = nb.radius[e]! / h, k = Math.floor(t);
      if (k < K) total += 1 - (t - k) + (k + 1 < K ? t - k : 0);
    }
    const scale = profile.normalise ? 1 / Math.max(1, total) : 1;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const r = nb.radius[e]!;
      const t = r / h;
      const k = Math.floor(t);
      if (k >= K) continue;
      const origin = r === 0;
      hasOrigin ||= origin;
      const theta = origin ? 0 : nb.angle[e]!;
      const alpha = nb.transport[e]! - theta;
      const o = n * 8;
      u32[o] = nb.sources[e]!;
      u32[o + 1] = origin ? K : k;
      // The normaliser is a per-row scalar: folding it into the weights leaves the sum unchanged.
      f32[o + 2] = scale * (1 - (t - k));
      f32[o + 3] = scale * (k + 1 < K ? t - k : 0);
      f32[o + 4] = Math.cos(alpha); f32[o + 5] = Math.sin(alpha);
      f32[o + 6] = Math.cos(theta); f32[o + 7] = Math.sin(theta);
      n++;
    }
    offsets[p + 1] = n;
  }
  return { offsets, data: data.slice(0, Math.max(1, n) * ENTRY_BYTES), hasOrigin };
}


/** Per chunk of the rows: rebased offsets and the entries of its rows, uploaded. */
export interface GpuConvEntries {
  readonly offsets: GPUBuffer[];
  readonly entries: GPUBuffer[];
  readonly hasOrigin: boolean;
}

/** Uploads packed entries split by the row chunks. */
export function uploadConvEntries(context: GpuContext, packed: PackedConvEntries, chunks: SiteChunks): GpuConvEntries {
  const offsets: GPUBuffer[] = [], entries: GPUBuffer[] = [];
  for (let c = 0; c < chunkCount(chunks); c++) {
    const a = chunks.starts[c]!, b = chunks.starts[c + 1]!;
    const base = packed.offsets[a]!;
    const rebased = new Uint32Array(b - a + 1);
    for (let p = a; p <= b; p++) rebased[p - a] = packed.offsets[p]! - base;
    offsets.push(context.upload(rebased));
    entries.push(context.upload(new Uint8Array(packed.data, base * ENTRY_BYTES, (packed.offsets[b]! - base) * ENTRY_BYTES)));
  }
  return { offsets, entries, hasOrigin: packed.hasOrigin };
}
