import type { Document, Primitive } from '@gltf-transform/core';
import type { Enum, FeatureID, Features, StructuralMetadata } from '@gltf-transform/extensions';
import { NO_VERTEX } from '../../core/mesh/mesh.js';
import { sourceMeshFromDocument } from '../../core/mesh/source-mesh-from-document.js';
import { FEATURE_ID_ATTRIBUTE, featureIdAttribute, LABEL_ENUM, labelFeatureID } from './label-schema.js';

/** Labels read back from a document written with {@link writeLabels}. */
export interface DocumentLabels {
  /** One label per source vertex, in the order of sourceMeshFromDocument; NO_VERTEX (0xffffffff) where the file has the null feature id. */
  readonly labels: Uint32Array;
  /** Label names from the EXT_structural_metadata enum (empty if the document has none). */
  readonly labelNames: readonly string[];
}

/**
 * Reads the labels of every placed primitive from the feature ID set that indexes Erlangen's
 * property table (`_FEATURE_ID_0`, or the first free `_FEATURE_ID_n` when another set had taken
 * it; see {@link writeLabels}), or from `_FEATURE_ID_0` when the document has no such set (its
 * EXT_structural_metadata was stripped); a primitive without them is an error.
 */
export function readLabels(document: Document): DocumentLabels {
  const source = sourceMeshFromDocument(document);
  const labels = new Uint32Array(source.positions.length / 3);
  const meshes = document.getRoot().listMeshes();
  for (const part of source.primitives) {
    const primitive = meshes[part.mesh]!.listPrimitives()[part.primitive]!;
    const labelId = labelFeatureID(primitive) ?? featureIDOfAttribute(primitive, 0);
    const semantic = labelId ? featureIdAttribute(labelId.getAttribute()!) : FEATURE_ID_ATTRIBUTE;
    const ids = primitive.getAttribute(semantic)?.getArray();
    if (!ids) throw new Error(`readLabels: mesh ${part.mesh} primitive ${part.primitive} has no ${semantic}.`);
    const nullId = labelId?.getNullFeatureID() ?? null;
    for (let v = 0; v < part.vertexCount; v++) labels[part.firstVertex + v] = ids[v] === nullId ? NO_VERTEX : ids[v]!;
  }
  return { labels, labelNames: labelNamesOf(document) };
}

function featureIDOfAttribute(primitive: Primitive, n: number): FeatureID | null {
  return primitive.getExtension<Features>('EXT_mesh_features')?.listFeatureIDs().find((f) => f.getAttribute() === n) ?? null;
}

function labelNamesOf(document: Document): string[] {
  const metadata = document.getRoot().getExtension<StructuralMetadata>('EXT_structural_metadata');
  const labelEnum: Enum | null = metadata?.getSchema()?.getEnum(LABEL_ENUM) ?? null;
  if (!labelEnum) return [];
  const names: string[] = [];
  for (const value of labelEnum.listValues()) names[value.getValue()] = value.getName();
  return names;
}
