import { describe, expect, it } from 'vitest';
import { chunkCount, chunkRows, planSiteChunks } from '../../shaders/site-chunks.js';
import { WebGpuError } from '../../shaders/webgpu-error.js';
import { mulberry32 } from '../../core/mesh/seeded-random.js';

describe('planSiteChunks', () => {
  it('covers every row once and keeps each chunk\'s rows and records within the limit', () => {
    const random = mulberry32(5);
    const rows = 1000, offsets = new Uint32Array(rows + 1);
    for (let p = 0; p < rows; p++) offsets[p + 1] = offsets[p]! + Math.floor(random() * 20);
    const limit = 4096;
    const chunks = planSiteChunks(rows, 24, limit, [{ offsets, bytesPerRecord: 32 }]);
    expect(chunks.starts[0]).toBe(0);
    expect(chunks.starts[chunkCount(chunks)]).toBe(rows);
    for (let c = 0; c < chunkCount(chunks); c++) {
      const a = chunks.starts[c]!, b = chunks.starts[c + 1]!;
      expect(b).toBeGreaterThan(a);
      expect(chunkRows(chunks, c) * 24).toBeLessThanOrEqual(limit);
      expect((chunkRows(chunks, c) + 1) * 4).toBeLessThanOrEqual(limit);
      expect((offsets[b]! - offsets[a]!) * 32).toBeLessThanOrEqual(limit);
    }
    // Greedy: no two neighbouring chunks would fit together by rows and records.
    for (let c = 0; c + 1 < chunkCount(chunks); c++) {
      const a = chunks.starts[c]!, b = chunks.starts[c + 2]!;
      expect((b - a) * 24 > limit - 4 || (offsets[b]! - offsets[a]!) * 32 > limit).toBe(true);
    }
  });

  it('keeps a small vertex set in one chunk, and an empty one as one empty chunk', () => {
    expect(Array.from(planSiteChunks(10, 40, 1 << 20).starts)).toEqual([0, 10]);
    expect(Array.from(planSiteChunks(0, 40, 1 << 20).starts)).toEqual([0, 0]);
  });

  it('refuses a row that cannot fit in one binding, with TOO_LARGE', () => {
    expect(() => planSiteChunks(10, 8192, 4096)).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
    const offsets = Uint32Array.from([0, 1, 500, 501]);
    const error = (() => { try { planSiteChunks(3, 4, 4096, [{ offsets, bytesPerRecord: 32 }]); } catch (e) { return e; } return null; })();
    expect(error).toBeInstanceOf(WebGpuError);
    expect((error as WebGpuError).code).toBe('TOO_LARGE');
  });
});
