import { describe, expect, it } from 'vitest';
import { Accessor, type Document, NodeIO, Primitive } from '@gltf-transform/core';
import { ALL_EXTENSIONS, EXTMeshFeatures, type Features, type StructuralMetadata } from '@gltf-transform/extensions';
import validator from 'gltf-validator';
import { NO_VERTEX } from '../../../core/mesh/mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { sourceMeshFromDocument } from '../../../core/mesh/source-mesh-from-document.js';
import { labelsOfSourceVertices, predictMesh } from '../../../core/model/predict.js';
import { readLabels, segment, type SegmentResult, FEATURE_ID_ATTRIBUTE } from '../../../plugin/gltf-transform/index.js';
import { labelColorLinear } from '../../../plugin/gltf-transform/label-palette.js';
import { smallModel, sphereDocument } from '../../fixtures/scan-documents.js';

const io = new NodeIO().registerExtensions(ALL_EXTENSIONS);

/** The labels the cpu backend gives the document's vertices, computed on a copy of it. */
function expectedLabels(document: Document, seed = 1): Uint32Array {
  const mesh = prepareMesh(sourceMeshFromDocument(document));
  return labelsOfSourceVertices(mesh, predictMesh(smallModel(seed), mesh).labels);
}

/** Adds another tool's feature ID set (`featureCount` 4, label `theirs`) reading `_FEATURE_ID_n` of the primitive, filled with 3. */
function addTheirFeatureID(document: Document, primitive: Primitive, n: number): Accessor {
  const ids = document.createAccessor().setType(Accessor.Type.SCALAR).setArray(new Uint8Array(primitive.getAttribute('POSITION')!.getCount()).fill(3))
    .setBuffer(document.getRoot().listBuffers()[0]!);
  primitive.setAttribute(`_FEATURE_ID_${n}`, ids);
  const extension = document.createExtension(EXTMeshFeatures);
  const features = primitive.getExtension<Features>('EXT_mesh_features') ?? extension.createFeatures();
  primitive.setExtension('EXT_mesh_features', features.addFeatureID(extension.createFeatureID().setFeatureCount(4).setAttribute(n).setLabel('theirs')));
  return ids;
}

async function expectValid(document: Document): Promise<Document> {
  const glb = await io.writeBinary(document);
  const report = await validator.validateBytes(glb);
  expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
  return io.readBinary(glb);
}

const featureIDsOf = (primitive: Primitive) =>
  primitive.getExtension<Features>('EXT_mesh_features')?.listFeatureIDs().map((f) => `${f.getLabel() || 'erlangen'}@${f.getAttribute()}/${f.getFeatureCount()}`) ?? [];

describe('the segment() glTF-Transform transform', () => {
  it('writes the labels the cpu backend predicts as _FEATURE_ID_0 of every primitive, with the label names', async () => {
    const model = smallModel();
    const document = sphereDocument();
    const expected = (() => {
      const mesh = prepareMesh(sourceMeshFromDocument(document));
      return labelsOfSourceVertices(mesh, predictMesh(model, mesh).labels);
    })();
    const results: SegmentResult[] = [];
    await document.transform(segment({ model, colors: true, onSegmented: (r) => results.push(r) }));

    const { labels, labelNames } = readLabels(await io.readBinary(await io.writeBinary(document)));
    expect(labelNames).toEqual(model.labels);
    expect(Array.from(labels)).toEqual(Array.from(expected));
    expect(new Set(labels).size).toBeGreaterThan(1);
    expect(results[0]!.vertices).toBe(642);
    // The seam's vertices are in both primitives: more file vertices than welded ones.
    expect(results[0]!.sourceVertices).toBeGreaterThan(642);
    expect(Object.values(results[0]!.labelCounts).reduce((a, b) => a + b, 0)).toBe(642);

    for (const primitive of document.getRoot().listMeshes()[0]!.listPrimitives()) {
      const features = primitive.getExtension<Features>('EXT_mesh_features')!;
      expect(features.listFeatureIDs().map((f) => [f.getFeatureCount(), f.getAttribute()])).toEqual([[5, 0]]);
      const ids = primitive.getAttribute(FEATURE_ID_ATTRIBUTE)!.getArray()!;
      const colors = primitive.getAttribute('COLOR_0')!.getArray()!;
      for (let v = 0; v < ids.length; v++) expect(Array.from(colors.subarray(3 * v, 3 * v + 3))).toEqual(labelColorLinear(ids[v]!).map(Math.fround));
    }
  });

  it('keeps the rest of the document and passes the glTF validator', async () => {
    const document = sphereDocument();
    await document.transform(segment({ model: smallModel() }));
    const glb = await io.writeBinary(document);
    const report = await validator.validateBytes(glb);
    expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
    const back = await io.readBinary(glb);
    const root = back.getRoot();
    expect(root.listNodes().map((n) => n.getName())).toEqual(['scan', 'root']);
    expect(root.listNodes()[1]!.getScale()).toEqual([2, 2, 2]);
    expect(root.listMaterials()[0]!.getExtension('KHR_materials_unlit')).not.toBeNull();
    expect(root.listMeshes()[0]!.listPrimitives().every((p) => p.getMaterial()?.getName() === 'skin')).toBe(true);
  });

  it('gives a vertex that repair dropped the null feature id, and reads it back as NO_VERTEX', async () => {
    const document = sphereDocument();
    const position = document.getRoot().listMeshes()[0]!.listPrimitives()[0]!.getAttribute('POSITION')!;
    // One more vertex that no triangle uses: repair drops it, so it has no label.
    position.setArray(Float32Array.from([...position.getArray()!, 5, 5, 5]));
    await document.transform(segment({ model: smallModel() }));
    const glb = await io.writeBinary(document);
    expect((await validator.validateBytes(glb)).issues.numErrors).toBe(0);
    const { labels } = readLabels(await io.readBinary(glb));
    const dropped = position.getCount() - 1;
    expect(labels[dropped]).toBe(NO_VERTEX);
    expect(labels.filter((label) => label === NO_VERTEX)).toHaveLength(1);
    const features = document.getRoot().listMeshes()[0]!.listPrimitives()[0]!.getExtension<Features>('EXT_mesh_features')!;
    expect(features.listFeatureIDs()[0]!.getNullFeatureID()).toBe(5);
  });

  it('replaces its own labels when a labelled document is segmented again', async () => {
    const document = sphereDocument();
    await document.transform(segment({ model: smallModel(1) }));
    await document.transform(segment({ model: smallModel(2) }));
    const back = await io.readBinary(await io.writeBinary(document));
    const metadata = back.getRoot().getExtension<StructuralMetadata>('EXT_structural_metadata')!;
    expect(metadata.listPropertyTables()).toHaveLength(1);
    const mesh = prepareMesh(sourceMeshFromDocument(sphereDocument()));
    expect(Array.from(readLabels(back).labels)).toEqual(Array.from(labelsOfSourceVertices(mesh, predictMesh(smallModel(2), mesh).labels)));
  });

  it('fills options passed as undefined with their defaults', async () => {
    const document = sphereDocument();
    const expected = expectedLabels(document);
    await document.transform(segment({ model: smallModel(), predict: undefined, colors: undefined, file: undefined }));
    expect(Array.from(readLabels(document).labels)).toEqual(Array.from(expected));
    expect(document.getRoot().listMeshes()[0]!.listPrimitives()[0]!.getAttribute('COLOR_0')).toBeNull();
  });

  it('detaches an old _FEATURE_ID_0 shared with a points primitive from the labelled primitive only', async () => {
    const document = sphereDocument();
    const mesh = document.getRoot().listMeshes()[0]!;
    const triangles = mesh.listPrimitives()[0]!;
    const position = triangles.getAttribute('POSITION')!;
    const old = document.createAccessor().setType(Accessor.Type.SCALAR).setArray(new Uint8Array(position.getCount()).fill(1)).setBuffer(position.getBuffer());
    const points = document.createPrimitive().setMode(Primitive.Mode.POINTS).setAttribute('POSITION', position).setAttribute(FEATURE_ID_ATTRIBUTE, old);
    const extension = document.createExtension(EXTMeshFeatures);
    points.setExtension('EXT_mesh_features', extension.createFeatures().addFeatureID(extension.createFeatureID().setFeatureCount(2).setAttribute(0)));
    mesh.addPrimitive(points);
    triangles.setAttribute(FEATURE_ID_ATTRIBUTE, old);
    const expected = expectedLabels(document);
    await document.transform(segment({ model: smallModel() }));

    expect(old.isDisposed()).toBe(false);
    expect(points.getAttribute(FEATURE_ID_ATTRIBUTE)).toBe(old);
    expect(Array.from(old.getArray()!).every((id) => id === 1)).toBe(true);
    expect(featureIDsOf(points)).toEqual(['erlangen@0/2']);
    expect(triangles.getAttribute(FEATURE_ID_ATTRIBUTE)).not.toBe(old);
    const back = await expectValid(document);
    expect(Array.from(readLabels(back).labels)).toEqual(Array.from(expected));
    expect(back.getRoot().listMeshes()[0]!.listPrimitives()[2]!.getAttribute(FEATURE_ID_ATTRIBUTE)!.getCount()).toBe(position.getCount());
  });

  it("keeps a primitive's other feature ID sets, in their order, and leaves no stale accessors when run again", async () => {
    const document = sphereDocument();
    const primitive = document.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
    const theirs = addTheirFeatureID(document, primitive, 1);
    await document.transform(segment({ model: smallModel(1), colors: true }));
    expect(featureIDsOf(primitive)).toEqual(['theirs@1/4', 'erlangen@0/5']);
    const accessors = document.getRoot().listAccessors().length;
    // Run again: Erlangen's set is replaced where it stands, nothing is added or left behind.
    await document.transform(segment({ model: smallModel(2), colors: true }));
    expect(featureIDsOf(primitive)).toEqual(['theirs@1/4', 'erlangen@0/5']);
    expect(document.getRoot().listAccessors()).toHaveLength(accessors);
    expect(primitive.getAttribute('_FEATURE_ID_1')).toBe(theirs);

    const back = await expectValid(document);
    const backPrimitive = back.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
    expect(featureIDsOf(backPrimitive)).toEqual(['theirs@1/4', 'erlangen@0/5']);
    expect(Array.from(backPrimitive.getAttribute('_FEATURE_ID_1')!.getArray()!).every((id) => id === 3)).toBe(true);
    expect(Array.from(readLabels(back).labels)).toEqual(Array.from(expectedLabels(sphereDocument(), 2)));
  });

  it('writes its labels to the first free _FEATURE_ID_n when another set reads _FEATURE_ID_0, and readLabels finds them there', async () => {
    const document = sphereDocument();
    const primitive = document.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
    const theirs = addTheirFeatureID(document, primitive, 0);
    await document.transform(segment({ model: smallModel(1) }));
    await document.transform(segment({ model: smallModel(2) }));
    expect(featureIDsOf(primitive)).toEqual(['theirs@0/4', 'erlangen@1/5']);
    expect(primitive.getAttribute(FEATURE_ID_ATTRIBUTE)).toBe(theirs);
    // The other primitive has no other set: its labels stay on _FEATURE_ID_0.
    expect(featureIDsOf(document.getRoot().listMeshes()[0]!.listPrimitives()[1]!)).toEqual(['erlangen@0/5']);

    const back = await expectValid(document);
    expect(Array.from(back.getRoot().listMeshes()[0]!.listPrimitives()[0]!.getAttribute(FEATURE_ID_ATTRIBUTE)!.getArray()!).every((id) => id === 3)).toBe(true);
    expect(Array.from(readLabels(back).labels)).toEqual(Array.from(expectedLabels(sphereDocument(), 2)));
  });
});
