import type { Document } from '@gltf-transform/core';
import type { Enum, StructuralMetadata } from '@gltf-transform/extensions';
import { sourceMeshFromDocument } from '../../core/mesh/source-mesh-from-document.js';
import { FEATURE_ID_ATTRIBUTE, LABEL_ENUM } from './write-labels.js';

/** Labels read back from a document written with {@link writeLabels}. */
export interface DocumentLabels {
  /** One label per source vertex, in the order of sourceMeshFromDocument. */
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
    const ids = meshes[part.mesh]!.listPrimitives()[part.primitive]!.getAttribute(FEATURE_ID_ATTRIBUTE)?.getArray();
    if (!ids) throw new Error(`readLabels: mesh ${part.mesh} primitive ${part.primitive} has no ${FEATURE_ID_ATTRIBUTE}.`);
    for (let v = 0; v < part.vertexCount; v++) labels[part.firstVertex + v] = ids[v]!;
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
