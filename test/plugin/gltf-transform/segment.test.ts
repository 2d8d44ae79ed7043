import { describe, expect, it } from 'vitest';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS, type Features, type StructuralMetadata } from '@gltf-transform/extensions';
import validator from 'gltf-validator';
import { NO_VERTEX } from '../../../core/mesh/mesh.js';
import { prepareMesh } from '../../../core/mesh/prepare-mesh.js';
import { sourceMeshFromDocument } from '../../../core/mesh/source-mesh-from-document.js';
import { labelsOfSourceVertices, predictMesh } from '../../../core/model/predict.js';
import { readLabels, segment, type SegmentResult, FEATURE_ID_ATTRIBUTE } from '../../../plugin/gltf-transform/index.js';
import { labelColorLinear } from '../../../plugin/gltf-transform/label-palette.js';
import { smallModel, sphereDocument } from '../../fixtures/scan-documents.js';

const io = new NodeIO().registerExtensions(ALL_EXTENSIONS);

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
});
