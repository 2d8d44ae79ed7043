import { loadMesh } from '../../../core/mesh/load-mesh.js';
import type { Mesh } from '../../../core/mesh/mesh.js';
import { remeshMesh, simplifyMesh, transferVertexData } from '../../../core/mesh/retriangulate.js';
import { prepareNetworkInput, type Preprocessing } from '../../../core/model/network-input.js';
import type { TrainingSample } from '../../../core/model/sample-gradients.js';
import { readVertexLabels } from '../dataset.js';
import type { SampleSpec } from './sample-spec.js';

/** Loads a labelled mesh, re-triangulates it as the spec says and prepares the network input. */
export async function loadSample(spec: SampleSpec, labelCount: number, preprocessing: Preprocessing): Promise<TrainingSample> {
  const original = await loadMesh(spec.mesh);
  const fileLabels = await readVertexLabels(spec.labels, original.sourceToMesh.length, labelCount);
  let mesh: Mesh = original;
  let labels = meshVertexLabels(original, fileLabels);
  const r = spec.retriangulation;
  if (r.kind !== 'none') {
    const result = r.kind === 'simplify' ? await simplifyMesh(original, r.vertices) : await remeshMesh(original, r.resolution);
    mesh = result.mesh;
    labels = transferVertexData(result.origin, labels) as Uint32Array;
  }
  return { input: prepareNetworkInput(mesh, preprocessing), labels: Uint8Array.from(labels) };
}

/** Per welded mesh vertex, the label of a file vertex welded into it. */
export function meshVertexLabels(mesh: Mesh, fileLabels: Uint32Array): Uint32Array {
  const labels = new Uint32Array(mesh.positions.length / 3);
  for (let s = 0; s < fileLabels.length; s++) {
    const v = mesh.sourceToMesh[s]!;
    if (v !== 0xffffffff) labels[v] = fileLabels[s]!;
  }
  return labels;
}
