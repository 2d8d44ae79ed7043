/**
 * glTF-Transform integration (`erlangen/gltf-transform`): read meshes from a `Document` you
 * already hold, label them with {@link segment} inside a `document.transform(...)` pipeline or a
 * glTF-Transform CLI config, and read labels back.
 * @packageDocumentation
 */
export { sourceMeshFromDocument, type SourceMeshFromDocumentOptions } from '../../core/mesh/source-mesh-from-document.js';
export { segment, SEGMENT_DEFAULTS, type MeshPredictor, type SegmentOptions, type SegmentResult } from './segment.js';
export { writeLabels, WRITE_LABELS_DEFAULTS, type WriteLabelsOptions } from './write-labels.js';
export { FEATURE_ID_ATTRIBUTE, LABEL_CLASS, LABEL_ENUM, LABEL_PROPERTY, featureIdAttribute, labelFeatureID } from './label-schema.js';
export { readLabels, type DocumentLabels } from './read-labels.js';
export { labelColor, labelColorLinear } from './label-palette.js';
