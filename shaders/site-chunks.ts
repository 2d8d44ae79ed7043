import { WebGpuError } from './webgpu-error.js';

/**
 * How the rows (vertices) of one vertex set are split so that every per-row buffer of a chunk
 * fits in one storage binding: chunk c holds rows starts[c] … starts[c + 1] − 1. Every field,
 * neighbourhood and pooling record of the vertex set uses the same split.
 */
export interface SiteChunks {
  readonly rowCount: number;
  /** Chunk boundaries, length chunkCount + 1, starting at 0 and ending at rowCount. */
  readonly starts: Uint32Array;
}

/** Rows with a variable number of records (CSR `offsets`), each `bytesPerRecord` bytes. */
export interface VariableRows {
  readonly offsets: Uint32Array;
  readonly bytesPerRecord: number;
}

/**
 * Greedy split of `rowCount` rows into chunks where rows × bytesPerRow and, for each CSR in
 * `variable`, the chunk's records × bytesPerRecord stay within `limit` bytes.
 */
export function planSiteChunks(rowCount: number, bytesPerRow: number, limit: number, variable: readonly VariableRows[] = []): SiteChunks {
  // The CSR offsets of a chunk (rows + 1 u32) are a per-row buffer too.
  const perRow = Math.max(bytesPerRow, 4);
  const maxRows = Math.floor((limit - 4) / perRow);
  if (maxRows < 1) throw new WebGpuError('TOO_LARGE', `one vertex needs ${perRow} bytes, more than the ${limit}-byte binding limit.`);
  const starts = [0];
  let start = 0;
  while (start < rowCount) {
    let end = Math.min(rowCount, start + maxRows);
    for (const { offsets, bytesPerRecord } of variable) {
      const maxRecords = Math.floor(limit / bytesPerRecord);
      if (offsets[end]! - offsets[start]! <= maxRecords) continue;
      // Largest end whose records fit: binary search on the monotone offsets.
      let lo = start, hi = end;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (offsets[mid]! - offsets[start]! <= maxRecords) lo = mid;
        else hi = mid;
      }
      if (lo === start) throw new WebGpuError('TOO_LARGE', `vertex ${start} has ${offsets[start + 1]! - offsets[start]!} neighbours, more than fit in a ${limit}-byte binding.`);
      end = lo;
    }
    starts.push(end);
    start = end;
  }
  if (rowCount === 0) starts.push(0);
  return { rowCount, starts: Uint32Array.from(starts) };
}

/** Number of chunks. */
export function chunkCount(chunks: SiteChunks): number {
  return chunks.starts.length - 1;
}

/** Rows of chunk c. */
export function chunkRows(chunks: SiteChunks, c: number): number {
  return chunks.starts[c + 1]! - chunks.starts[c]!;
}
