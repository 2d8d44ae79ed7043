import { describe, expect, it } from 'vitest';
import { prepareNetworkInput } from '../../../core/model/network-input.js';
import { bumpySphere } from '../../fixtures/meshes.js';
import { SMALL_PREPROCESSING } from './network-fixtures.js';

describe('prepareNetworkInput', () => {
  const mesh = bumpySphere(3);

  it('builds levels 2 and up over the mesh, spacings doubling, patches as level 1, for preprocessing that does not say (model files made before)', () => {
    const { coarseSurface: _, spacingGrowth: __, coarsePatchRadiusFactor: ___, ...older } = SMALL_PREPROCESSING;
    const unsaid = prepareNetworkInput(mesh, older);
    const overMesh = prepareNetworkInput(mesh, { ...SMALL_PREPROCESSING, coarseSurface: 'mesh', spacingGrowth: 2, coarsePatchRadiusFactor: SMALL_PREPROCESSING.patchRadiusFactor });
    const overLevel1 = prepareNetworkInput(mesh, SMALL_PREPROCESSING);
    for (let k = 0; k < unsaid.levels.length; k++) {
      expect(unsaid.levels[k]!.vertices).toEqual(overMesh.levels[k]!.vertices);
      expect(unsaid.levels[k]!.neighbourhood.angle).toEqual(overMesh.levels[k]!.neighbourhood.angle);
    }
    // Level 1 is the same either way; level 2 is sampled over other paths.
    expect(overLevel1.levels[0]!.vertices).toEqual(overMesh.levels[0]!.vertices);
    expect(overLevel1.levels[1]!.vertices).not.toEqual(overMesh.levels[1]!.vertices);
  });

  it('spaces the levels by spacingGrowth: a smaller ratio keeps more coarse vertices', () => {
    const doubling = prepareNetworkInput(mesh, { ...SMALL_PREPROCESSING, spacingGrowth: 2 });
    const slower = prepareNetworkInput(mesh, { ...SMALL_PREPROCESSING, spacingGrowth: 1.6 });
    expect(slower.levels[0]!.vertices).toEqual(doubling.levels[0]!.vertices);
    expect(slower.levels[1]!.vertices.length).toBeGreaterThan(doubling.levels[1]!.vertices.length);
    expect(slower.levels[2]!.vertices.length).toBeGreaterThan(doubling.levels[2]!.vertices.length);
  });
});
