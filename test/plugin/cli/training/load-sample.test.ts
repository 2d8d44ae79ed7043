import { describe, expect, it } from 'vitest';
import { PREPROCESSING_DEFAULTS, prepareNetworkInput } from '../../../../core/model/network-input.js';
import { loadMesh } from '../../../../core/mesh/load-mesh.js';
import { loadSample } from '../../../../plugin/cli/training/load-sample.js';

describe('loadSample', () => {
  it('prepares one input per sampling: the first as prepareNetworkInput does, the others over other level-1 vertices', async () => {
    const spec = { mesh: 'samples/scans/smpl-human/human_woman.obj', labels: 'samples/scans/smpl-human/human_woman.labels.txt', retriangulation: { kind: 'none' }, samplings: 3 } as const;
    const samples = await loadSample(spec, 8, PREPROCESSING_DEFAULTS);
    expect(samples.length).toBe(3);
    const plain = prepareNetworkInput(await loadMesh(spec.mesh), PREPROCESSING_DEFAULTS);
    expect(samples[0]!.input.features).toEqual(plain.features);
    expect(samples[0]!.input.levels[0]!.vertices).toEqual(plain.levels[0]!.vertices);
    for (const other of samples.slice(1)) {
      expect(other.labels).toBe(samples[0]!.labels);
      expect(other.input.meshVertexCount).toBe(plain.meshVertexCount);
      expect(other.input.levels[0]!.vertices).not.toEqual(plain.levels[0]!.vertices);
    }
    expect(samples[1]!.input.levels[0]!.vertices).not.toEqual(samples[2]!.input.levels[0]!.vertices);
  }, 30_000);
});
