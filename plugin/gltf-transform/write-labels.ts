import { Accessor, PropertyType, type Buffer, type Document, type Primitive, type Property } from '@gltf-transform/core';
import { EXTMeshFeatures, EXTStructuralMetadata, type FeatureID, type Features, type StructuralMetadata } from '@gltf-transform/extensions';
import type { SourceMesh } from '../../core/mesh/mesh.js';
import { labelColorLinear } from './label-palette.js';
import { featureIdAttribute, isLabelFeatureID, LABEL_CLASS, LABEL_ENUM, LABEL_PROPERTY } from './label-schema.js';

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
 *
 * The primitive's other feature ID sets are kept, in their order; labels written before (by an
 * earlier run) are replaced in place. When another set already reads `_FEATURE_ID_0`, the labels
 * go to the first `_FEATURE_ID_n` no other set reads; `readLabels` finds them by their
 * property table. An attribute this replaces is detached from this primitive only, and disposed
 * when nothing else uses it.
 */
export function writeLabels(document: Document, source: SourceMesh, labels: Uint32Array, labelNames: readonly string[], options: WriteLabelsOptions = {}): void {
  const colors = options.colors ?? WRITE_LABELS_DEFAULTS.colors;
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
    const accessor = document.createAccessor().setType(Accessor.Type.SCALAR).setArray(array).setBuffer(buffer);
    const labelId = meshFeatures.createFeatureID().setFeatureCount(labelNames.length).setPropertyTable(table).setNullFeatureID(unlabelled ? nullId : null);
    setLabelFeatureID(meshFeatures, primitive, labelId, accessor);
    if (colors) {
      releaseAttribute(primitive, 'COLOR_0');
      primitive.setAttribute('COLOR_0', colorAccessor(document, ids, labelNames.length, buffer));
    }
  }
  // Segmenting an already segmented file replaces the old table instead of adding a second; only
  // now, since the old label feature IDs are recognised by it.
  const metadata = root.getExtension<StructuralMetadata>(EXTStructuralMetadata.EXTENSION_NAME)!;
  for (const old of metadata.listPropertyTables()) if (old.getClass() === LABEL_CLASS && old !== table) old.dispose();
}

// Puts `accessor` on the first _FEATURE_ID_n no other feature ID set of the primitive reads, and `labelId` in its Features.
function setLabelFeatureID(meshFeatures: EXTMeshFeatures, primitive: Primitive, labelId: FeatureID, accessor: Accessor): void {
  const old = primitive.getExtension<Features>(EXTMeshFeatures.EXTENSION_NAME);
  const oldIds = old?.listFeatureIDs() ?? [];
  const taken = new Set(oldIds.filter((f) => !isLabelFeatureID(f)).map((f) => f.getAttribute()));
  for (const f of oldIds) if (isLabelFeatureID(f) && !taken.has(f.getAttribute())) releaseAttribute(primitive, featureIdAttribute(f.getAttribute()!));
  let n = 0;
  while (taken.has(n)) n++;
  releaseAttribute(primitive, featureIdAttribute(n));
  primitive.setAttribute(featureIdAttribute(n), accessor);
  labelId.setAttribute(n);
  // The labels take the old labels' place in the list, or go last: other sets keep their index.
  const features = meshFeatures.createFeatures();
  let placed = false;
  for (const f of oldIds) {
    if (!isLabelFeatureID(f)) features.addFeatureID(f);
    else if (!placed) {
      features.addFeatureID(labelId);
      placed = true;
    }
  }
  if (!placed) features.addFeatureID(labelId);
  primitive.setExtension(EXTMeshFeatures.EXTENSION_NAME, features);
  if (old) disposeIfUnused(old);
  for (const f of oldIds) if (isLabelFeatureID(f)) disposeIfUnused(f);
}

// Detaches the attribute from this primitive only: another primitive may share the accessor.
function releaseAttribute(primitive: Primitive, semantic: string): void {
  const accessor = primitive.getAttribute(semantic);
  if (!accessor) return;
  primitive.setAttribute(semantic, null);
  disposeIfUnused(accessor);
}

// The root lists every accessor; any other parent still uses it.
function disposeIfUnused(property: Property): void {
  if (property.listParents().every((parent) => parent.propertyType === PropertyType.ROOT)) property.dispose();
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
  const values = new Uint8Array(Uint16Array.from(labelNames, (_, k) => k).buffer);
  const table = metadataExtension.createPropertyTable().setClass(LABEL_CLASS).setCount(labelNames.length)
    .setProperty(LABEL_PROPERTY, metadataExtension.createPropertyTableProperty().setValues(values));
  metadata.addPropertyTable(table);
  return table;
}

function colorAccessor(document: Document, ids: Uint32Array, labelCount: number, buffer: Buffer): Accessor {
  const rgb = new Float32Array(3 * ids.length);
  // Unlabelled vertices stay mid grey.
  for (let v = 0; v < ids.length; v++) rgb.set(ids[v]! < labelCount ? labelColorLinear(ids[v]!) : [0.2, 0.2, 0.2], 3 * v);
  return document.createAccessor().setType(Accessor.Type.VEC3).setArray(rgb).setBuffer(buffer);
}
