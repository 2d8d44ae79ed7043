/**
 * three.js integration (`erlangen/three`). Opt-in: nothing here patches three.js.
 * @packageDocumentation
 */
export { sourceMeshFromGeometry, type SourceMeshFromGeometryOptions } from './source-mesh-from-geometry.js';
export { SegmentationOverlay, SEGMENTATION_OVERLAY_DEFAULTS, type SegmentationOverlayOptions, type OverlayPick, type OverlayMode } from './segmentation-overlay.js';
export { SEGMENTATION_PALETTE, labelColour, paletteBytes } from './segmentation-palette.js';
export { nearestCornerAttributes, cornerValues, nearestCorner, UNLABELLED, type NearestCornerAttributes } from './nearest-corner-attributes.js';
export { MeshSegmenter, type MeshSegmenterOptions, type MeshSegmentOptions, type MeshSegmentation } from './mesh-segmenter.js';
export { TangentFrameHelper, TANGENT_FRAME_HELPER_DEFAULTS, type TangentFrameHelperOptions } from './tangent-frame-helper.js';
export { GeodesicPatchHelper, GEODESIC_PATCH_HELPER_DEFAULTS, type GeodesicPatchHelperOptions, type GeodesicPatch } from './geodesic-patch-helper.js';
export { weldedSurface, type WeldedSurface } from './welded-surface.js';
export type { SegmentationBackend, SegmentationStage, StageProgress, ProgressCallback } from '../../workers/segmentation-types.js';
