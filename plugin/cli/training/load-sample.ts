import { loadMesh } from '../../../core/mesh/load-mesh.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { transferVertexData } from '../../../core/mesh/retriangulate.js';
import { prepareNetworkInput, type Preprocessing } from '../../../core/model/network-input.js';
import { labelsOfMeshVertices } from '../../../core/model/predict.js';
import type { TrainingSample } from '../../../core/model/sample-gradients.js';
import { readVertexLabels } from '../dataset.js';
import { retriangulate } from '../retriangulation.js';
import { stretchPositions } from './random-stretch.js';
import type { SampleSpec } from './sample-spec.js';

/** Loads a labelled mesh, re-triangulates and stretches it as the spec says and prepares the network input. */
export async function loadSample(spec: SampleSpec, labelCount: number, preprocessing: Preprocessing): Promise<TrainingSample> {
  const original = await loadMesh(spec.mesh);
  const fileLabels = await readVertexLabels(spec.labels, original.sourceToMesh.length, labelCount);
  let mesh: Mesh = original;
  let labels = labelsOfMeshVertices(original, fileLabels);
  const result = await retriangulate(original, spec.retriangulation);
  if (result) {
    mesh = result.mesh;
    labels = transferVertexData(result.origin, labels);
  }
  if (spec.stretch) mesh = { ...mesh, positions: stretchPositions(mesh.positions, spec.stretch) };
  return { input: prepareNetworkInput(mesh, preprocessing), labels: Uint8Array.from(labels) };
}
