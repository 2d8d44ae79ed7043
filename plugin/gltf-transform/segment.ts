import type { Document, Transform } from '@gltf-transform/core';
import { createTransform } from '@gltf-transform/functions';
import type { GaugeGeometry } from '../../core/geometry/gauge-geometry.js';
import { NO_VERTEX, type Mesh } from '../../core/mesh/mesh.js';
import { prepareMesh } from '../../core/mesh/prepare-mesh.js';
import { sourceMeshFromDocument } from '../../core/mesh/source-mesh-from-document.js';
import type { Model } from '../../core/model/model.js';
import { labelsOfSourceVertices, predictMesh, type Prediction } from '../../core/model/predict.js';
import { writeLabels } from './write-labels.js';

const NAME = 'erlangen-segment';

/** Runs a model on a welded mesh (reusing its gauge geometry when given): the cpu backend by default, or any other (webgpu, onnx). */
export type MeshPredictor = (model: Model, mesh: Mesh, geometry?: GaugeGeometry) => Prediction | Promise<Prediction>;

/** What {@link segment} found, handed to `onSegmented`. */
export interface SegmentResult {
  /** Welded mesh vertices the network labelled. */
  readonly vertices: number;
  /** Vertices of the file (every primitive's own vertices). */
  readonly sourceVertices: number;
  /** Welded vertices per label name; sums to `vertices`. */
  readonly labelCounts: Record<string, number>;
  /** Per source vertex, the label written (NO_VERTEX for vertices repair dropped, written as the null feature id). */
  readonly labels: Uint32Array;
}

/** Options for {@link segment}. */
export interface SegmentOptions {
  /** A decoded model file (`decodeModel`). */
  model: Model;
  /** Backend; default: the cpu reference. */
  predict?: MeshPredictor;
  /** Also write `COLOR_0` with the label palette. */
  colors?: boolean;
  /** Name used in error messages. */
  file?: string;
  /** Receives counts and labels once the document is labelled. */
  onSegmented?: (result: SegmentResult) => void;
}

/** Defaults for {@link SegmentOptions}. */
export const SEGMENT_DEFAULTS = { predict: predictMesh, colors: false, file: '<document>' } satisfies Partial<SegmentOptions>;

/**
 * A glTF-Transform transform that labels every vertex of the document's triangle meshes with a
 * model and writes the labels as `_FEATURE_ID_0` (or the first `_FEATURE_ID_n` no other feature ID
 * set reads) with EXT_mesh_features and EXT_structural_metadata (see {@link writeLabels});
 * everything else in the document, other feature ID sets included, is left as it was.
 *
 * ```ts
 * await document.transform(segment({ model: decodeModel(bytes, 'human-parts.erlm') }));
 * ```
 */
export function segment(options: SegmentOptions): Transform {
  // Per field, so an option passed as undefined still gets its default.
  const { model, onSegmented } = options;
  const predict = options.predict ?? SEGMENT_DEFAULTS.predict;
  const colors = options.colors ?? SEGMENT_DEFAULTS.colors;
  const file = options.file ?? SEGMENT_DEFAULTS.file;
  return createTransform(NAME, async (document: Document): Promise<void> => {
    const source = sourceMeshFromDocument(document, { file });
    const mesh = prepareMesh(source);
    const prediction = await predict(model, mesh);
    const labels = labelsOfSourceVertices(mesh, prediction.labels, NO_VERTEX);
    writeLabels(document, source, labels, model.labels, { colors });
    const counts = new Array<number>(model.labels.length).fill(0);
    for (const label of prediction.labels) counts[label]!++;
    onSegmented?.({
      vertices: mesh.positions.length / 3,
      sourceVertices: labels.length,
      labelCounts: Object.fromEntries(model.labels.map((name, k) => [name, counts[k]!])),
      labels,
    });
  });
}
