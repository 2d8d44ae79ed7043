import type { Primitive } from '@gltf-transform/core';
import type { FeatureID, Features } from '@gltf-transform/extensions';

/**
 * The attribute that holds each vertex's class id: EXT_mesh_features feature id attribute 0, unless
 * another feature ID set of the primitive already reads `_FEATURE_ID_0`; then the first free
 * `_FEATURE_ID_n` (see {@link labelFeatureID}).
 */
export const FEATURE_ID_ATTRIBUTE = '_FEATURE_ID_0';
/** Keys of Erlangen's enum, class and property in the document's EXT_structural_metadata schema. */
export const LABEL_ENUM = 'ErlangenLabel';
export const LABEL_CLASS = 'erlangen_segment';
export const LABEL_PROPERTY = 'label';

/** The vertex attribute that EXT_mesh_features feature id attribute `n` reads. */
export function featureIdAttribute(n: number): string {
  return `_FEATURE_ID_${n}`;
}

/** True for a feature ID set that indexes Erlangen's label property table. */
export function isLabelFeatureID(featureId: FeatureID): boolean {
  return featureId.getAttribute() !== null && featureId.getPropertyTable()?.getClass() === LABEL_CLASS;
}

/**
 * The feature ID set of a primitive that holds Erlangen's labels: the one whose property table is
 * of class {@link LABEL_CLASS}; null if it has none (EXT_structural_metadata stripped, or never labelled).
 */
export function labelFeatureID(primitive: Primitive): FeatureID | null {
  const features = primitive.getExtension<Features>('EXT_mesh_features');
  return features?.listFeatureIDs().find(isLabelFeatureID) ?? null;
}
