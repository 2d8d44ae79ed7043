import type { Document } from '@gltf-transform/core';
import type { Enum, Features, StructuralMetadata } from '@gltf-transform/extensions';
import { NO_VERTEX } from '../../core/mesh/mesh.js';
import { sourceMeshFromDocument } from '../../core/mesh/source-mesh-from-document.js';
import { FEATURE_ID_ATTRIBUTE, LABEL_ENUM } from './write-labels.js';

/** Labels read back from a document written with {@link writeLabels}. */
export interface DocumentLabels {
  /** One label per source vertex, in the order of sourceMeshFromDocument; NO_VERTEX (0xffffffff) where the file has the null feature id. */
  readonly labels: Uint32Array;
  /** Label names from the EXT_structural_metadata enum (empty if the document has none). */
  readonly labelNames: readonly string[];
}

/** Reads `_FEATURE_ID_0` of every placed primitive; a primitive without it is an error. */
export function readLabels(document: Document): DocumentLabels {
  const source = sourceMeshFromDocument(document);
  const labels = new Uint32Array(source.positions.length / 3);
  const meshes = document.getRoot().listMeshes();
  for (const part of source.primitives) {
    const primitive = meshes[part.mesh]!.listPrimitives()[part.primitive]!;
    const ids = primitive.getAttribute(FEATURE_ID_ATTRIBUTE)?.getArray();
    if (!ids) throw new Error(`readLabels: mesh ${part.mesh} primitive ${part.primitive} has no ${FEATURE_ID_ATTRIBUTE}.`);
    const nullId = primitive.getExtension<Features>('EXT_mesh_features')?.listFeatureIDs()[0]?.getNullFeatureID() ?? null;
    for (let v = 0; v < part.vertexCount; v++) labels[part.firstVertex + v] = ids[v] === nullId ? NO_VERTEX : ids[v]!;
  }
  return { labels, labelNames: labelNamesOf(document) };
}

function labelNamesOf(document: Document): string[] {
  const metadata = document.getRoot().getExtension<StructuralMetadata>('EXT_structural_metadata');
  const labelEnum: Enum | null = metadata?.getSchema()?.getEnum(LABEL_ENUM) ?? null;
  if (!labelEnum) return [];
  const names: string[] = [];
  for (const value of labelEnum.listValues()) names[value.getValue()] = value.getName();
  return names;
}
