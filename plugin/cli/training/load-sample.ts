import { loadMesh } from '../../../core/mesh/load-mesh.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { transferVertexData } from '../../../core/mesh/retriangulate.js';
import { prepareNetworkInput, type Preprocessing } from '../../../core/model/network-input.js';
import { labelsOfMeshVertices } from '../../../core/model/predict.js';
import type { TrainingSample } from '../../../core/model/sample-gradients.js';
import { readVertexLabels } from '../dataset.js';
import { retriangulate } from '../retriangulation.js';
import { stretchPositions } from './random-stretch.js';
import { describeChanges, type SampleSpec } from './sample-spec.js';
import { TrainError } from './train-error.js';

/**
 * Loads a labelled mesh, re-triangulates and stretches it as the spec says and prepares the network input.
 * @throws MeshError or DatasetError from reading the files, as they are (the same for every copy of the
 * mesh); TrainError `PREPARE_FAILED` naming the mesh, and the copy if it is one, when preparing fails.
 */
export async function loadSample(spec: SampleSpec, labelCount: number, preprocessing: Preprocessing): Promise<TrainingSample> {
  const original = await loadMesh(spec.mesh);
  const fileLabels = await readVertexLabels(spec.labels, original.sourceToMesh.length, labelCount);
  try {
    let mesh: Mesh = original;
    let labels = labelsOfMeshVertices(original, fileLabels);
    const result = await retriangulate(original, spec.retriangulation);
    if (result) {
      mesh = result.mesh;
      labels = transferVertexData(result.origin, labels);
    }
    if (spec.stretch) mesh = { ...mesh, positions: stretchPositions(mesh.positions, spec.stretch) };
    return { input: prepareNetworkInput(mesh, preprocessing), labels: Uint8Array.from(labels) };
  } catch (error) {
    // The files read well, so what failed is this sample; a copy is named, as the file alone would not show it.
    const changes = describeChanges(spec);
    const what = changes === null ? 'cannot be prepared for training' : `its copy (${changes}) cannot be prepared for training`;
    throw new TrainError('PREPARE_FAILED', spec.mesh, `${what} (${(error as Error).message})`, { cause: error });
  }
}
