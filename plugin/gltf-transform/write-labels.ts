import { Accessor, type Document, type Primitive } from '@gltf-transform/core';
import { EXTMeshFeatures, EXTStructuralMetadata, type StructuralMetadata } from '@gltf-transform/extensions';
import type { SourceMesh } from '../../core/mesh/mesh.js';
import { labelColorLinear } from './label-palette.js';

/** The attribute that holds each vertex's class id (EXT_mesh_features feature id 0). */
export const FEATURE_ID_ATTRIBUTE = '_FEATURE_ID_0';
/** Keys of Erlangen's enum, class and property in the document's EXT_structural_metadata schema. */
export const LABEL_ENUM = 'ErlangenLabel';
export const LABEL_CLASS = 'erlangen_segment';
export const LABEL_PROPERTY = 'label';

/** Options for {@link writeLabels}. */
export interface WriteLabelsOptions {
  /** Also write `COLOR_0` with the label palette (replaces the primitive's vertex colours). */
  colors?: boolean;
}

/** Defaults for {@link WriteLabelsOptions}. */
export const WRITE_LABELS_DEFAULTS: Required<WriteLabelsOptions> = { colors: false };

/**
 * Writes per-vertex class ids into the document the SourceMesh was taken from: every primitive
 * gets `_FEATURE_ID_0` (EXT_mesh_features, `featureCount` = number of labels) whose feature ids
 * index a property table of EXT_structural_metadata with an enum of the label names. `labels`
 * holds one label per source vertex (a primitive placed by several nodes takes its first
 * placement's); a vertex without a label (NO_VERTEX, dropped by repair) gets the null feature id,
 * which is the number of labels.
 */
export function writeLabels(document: Document, source: SourceMesh, labels: Uint32Array, labelNames: readonly string[], options: WriteLabelsOptions = {}): void {
  const { colors } = { ...WRITE_LABELS_DEFAULTS, ...options };
  if (labels.length !== source.positions.length / 3) {
    throw new Error(`writeLabels: ${labels.length} labels for ${source.positions.length / 3} source vertices.`);
  }
  const root = document.getRoot();
  const table = labelTable(document, labelNames);
  const meshFeatures = document.createExtension(EXTMeshFeatures);
  const meshes = root.listMeshes();
  const done = new Set<Primitive>();
  for (const part of source.primitives) {
    const primitive = meshes[part.mesh]!.listPrimitives()[part.primitive]!;
    if (done.has(primitive)) continue;
    done.add(primitive);
    const ids = labels.subarray(part.firstVertex, part.firstVertex + part.vertexCount);
    const buffer = primitive.getAttribute('POSITION')?.getBuffer() ?? root.listBuffers()[0] ?? document.createBuffer();
    const nullId = labelNames.length;
    const unlabelled = ids.some((id) => id >= nullId);
    const array = nullId < 0xff ? Uint8Array.from(ids, (id) => Math.min(id, nullId)) : Uint16Array.from(ids, (id) => Math.min(id, nullId));
    primitive.getAttribute(FEATURE_ID_ATTRIBUTE)?.dispose();
    primitive.setAttribute(FEATURE_ID_ATTRIBUTE, document.createAccessor().setType(Accessor.Type.SCALAR).setArray(array).setBuffer(buffer));
    const featureId = meshFeatures.createFeatureID().setFeatureCount(labelNames.length).setAttribute(0).setPropertyTable(table).setNullFeatureID(unlabelled ? nullId : null);
    primitive.setExtension(EXTMeshFeatures.EXTENSION_NAME, meshFeatures.createFeatures().addFeatureID(featureId));
    if (colors) primitive.setAttribute('COLOR_0', colorAccessor(document, ids, labelNames.length, buffer));
  }
}

// Property table row k is label k; its one property is an enum value named after the label.
function labelTable(document: Document, labelNames: readonly string[]) {
  const metadataExtension = document.createExtension(EXTStructuralMetadata);
  const root = document.getRoot();
  let metadata = root.getExtension<StructuralMetadata>(EXTStructuralMetadata.EXTENSION_NAME);
  if (!metadata) {
    metadata = metadataExtension.createStructuralMetadata();
    root.setExtension(EXTStructuralMetadata.EXTENSION_NAME, metadata);
  }
  let schema = metadata.getSchema();
  if (!schema) metadata.setSchema((schema = metadataExtension.createSchema().setId('erlangen')));
  const labelEnum = metadataExtension.createEnum().setValueType('UINT16');
  labelNames.forEach((name, k) => labelEnum.addEnumValue(metadataExtension.createEnumValue().setName(name).setValue(k)));
  schema.setEnum(LABEL_ENUM, labelEnum);
  const labelProperty = metadataExtension.createClassProperty().setType('ENUM').setEnumType(LABEL_ENUM).setRequired(true);
  schema.setClass(LABEL_CLASS, metadataExtension.createClass().setName('Segment').setProperty(LABEL_PROPERTY, labelProperty));
  // Segmenting an already segmented file replaces the old table instead of adding a second.
  for (const old of metadata.listPropertyTables()) if (old.getClass() === LABEL_CLASS) old.dispose();
  const values = new Uint8Array(Uint16Array.from(labelNames, (_, k) => k).buffer);
  const table = metadataExtension.createPropertyTable().setClass(LABEL_CLASS).setCount(labelNames.length)
    .setProperty(LABEL_PROPERTY, metadataExtension.createPropertyTableProperty().setValues(values));
  metadata.addPropertyTable(table);
  return table;
}

function colorAccessor(document: Document, ids: Uint32Array, labelCount: number, buffer: ReturnType<Document['createBuffer']>): Accessor {
  const rgb = new Float32Array(3 * ids.length);
  // Unlabelled vertices stay mid grey.
  for (let v = 0; v < ids.length; v++) rgb.set(ids[v]! < labelCount ? labelColorLinear(ids[v]!) : [0.2, 0.2, 0.2], 3 * v);
  return document.createAccessor().setType(Accessor.Type.VEC3).setArray(rgb).setBuffer(buffer);
}
