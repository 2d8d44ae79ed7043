import type { SourceMesh } from 'erlangen';
import { dropMissingImages, gltfIO, loadDocument } from 'erlangen';
import { sourceMeshFromDocument, writeLabels } from 'erlangen/gltf-transform';

/** What the GLB export gets: the scan as loaded and its labels per file vertex. */
export interface LabelledScan {
  /** The file name the scan was opened as. */
  readonly name: string;
  /** The file's bytes, so a glTF input keeps everything else it holds. */
  readonly bytes: Uint8Array;
  readonly source: SourceMesh;
  /** Class per file vertex (`source.positions` order), 0xffffffff where repair dropped the vertex. */
  readonly labels: Uint32Array;
  readonly labelNames: readonly string[];
}

/**
 * The labelled scan as GLB, in the format `erlangen segment` writes: `_FEATURE_ID_0` (or the first
 * free `_FEATURE_ID_n`) with EXT_mesh_features, label names in EXT_structural_metadata, the rest of a glTF input kept.
 * Draco is not applied again here (its encoder is a Node build); meshopt is. A dropped .gltf
 * brings no image files, so its textures are left out (listed in the root extras) to keep the GLB valid.
 */
export async function exportLabelledGlb(scan: LabelledScan): Promise<Uint8Array> {
  const document = await loadDocument(scan.bytes, { file: scan.name });
  const source = sourceMeshFromDocument(document, { file: scan.name });
  if (source.positions.length !== scan.source.positions.length) {
    throw new Error(`${scan.name}: the file reloaded with ${source.positions.length / 3} vertices, not ${scan.source.positions.length / 3}; open it again`);
  }
  writeLabels(document, source, scan.labels, scan.labelNames);
  dropMissingImages(document);
  document.getRoot().listExtensionsUsed().find((extension) => extension.extensionName === 'KHR_draco_mesh_compression')?.dispose();
  const extensionsUsed = document.getRoot().listExtensionsUsed().map((extension) => extension.extensionName);
  const io = await gltfIO({ extensionsUsed, node: false, encode: true });
  return io.writeBinary(document);
}
