/// <reference types="@webgpu/types" />
import type { GpuContext } from './gpu-context.js';
import { chunkCount, chunkRows, type SiteChunks } from './site-chunks.js';

/** A per-vertex array on the GPU: `width` values per row, one buffer per chunk of its vertex set. */
export interface GpuField {
  readonly chunks: SiteChunks;
  readonly width: number;
  readonly buffers: readonly GPUBuffer[];
}

/** An uninitialised field (every kernel writes all of its rows). */
export function createField(context: GpuContext, chunks: SiteChunks, width: number): GpuField {
  const buffers: GPUBuffer[] = [];
  for (let c = 0; c < chunkCount(chunks); c++) buffers.push(context.storage(chunkRows(chunks, c) * width * 4));
  return { chunks, width, buffers };
}

/** A field holding `data` (rows × width, 32-bit values), one upload per chunk. */
export function uploadField(context: GpuContext, chunks: SiteChunks, width: number, data: Float32Array | Uint32Array): GpuField {
  const buffers: GPUBuffer[] = [];
  for (let c = 0; c < chunkCount(chunks); c++) {
    buffers.push(context.upload(data.subarray(chunks.starts[c]! * width, chunks.starts[c + 1]! * width)));
  }
  return { chunks, width, buffers };
}

/** Read-back requests of every chunk of `field`. */
export function fieldReads(field: GpuField): { buffer: GPUBuffer; bytes: number }[] {
  return field.buffers.map((buffer, c) => ({ buffer, bytes: chunkRows(field.chunks, c) * field.width * 4 }));
}

/** Joins read-back chunks into one array of rows × width values. */
export function joinChunks<T extends Float32Array | Uint32Array>(field: GpuField, parts: readonly ArrayBuffer[], make: (length: number) => T, view: (buffer: ArrayBuffer, length: number) => T): T {
  const out = make(field.chunks.rowCount * field.width);
  parts.forEach((part, c) => out.set(view(part, chunkRows(field.chunks, c) * field.width), field.chunks.starts[c]! * field.width));
  return out;
}
