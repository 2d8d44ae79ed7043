import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMesh } from '../../../../core/mesh/load-mesh.js';
import { decodeModel } from '../../../../core/model/model.js';
import { predictMesh } from '../../../../core/model/predict.js';

const OriginalMemory = WebAssembly.Memory;

afterEach(() => {
  WebAssembly.Memory = OriginalMemory;
});

describe('WebAssembly memories of the SIMD layers', () => {
  it('are shared between layers and networks: three bundled models, each run, make a handful, not one per layer', async () => {
    const bytes = new Uint8Array(readFileSync('samples/models/human-parts.erlm'));
    const mesh = await loadMesh('samples/scans/smpl-human/human_man.obj');
    let made = 0;
    WebAssembly.Memory = new Proxy(OriginalMemory, { construct: (target, args: [WebAssembly.MemoryDescriptor]) => (made++, new target(...args)) });
    const labels = [0, 1, 2].map(() => predictMesh(decodeModel(bytes, 'human-parts.erlm'), mesh).labels);
    // A Chromium renderer makes only about 125; one memory per layer was 43 per model.
    expect(made).toBeLessThanOrEqual(12);
    expect(labels[1]).toEqual(labels[0]);
    expect(labels[2]).toEqual(labels[0]);
  }, 60_000);
});
