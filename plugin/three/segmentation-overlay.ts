import { BufferAttribute, BufferGeometry, type Color, type DataTexture, type Intersection, Mesh, type Object3D, type ShaderMaterial, Triangle, Vector3 } from 'three';
import { cornerValues, nearestCorner, nearestCornerAttributes } from './nearest-corner-attributes.js';
import { createPaletteTexture, createSegmentationMaterial, type SegmentationUniforms } from './segmentation-material.js';
import { labelColour, paletteBytes, SEGMENTATION_PALETTE } from './segmentation-palette.js';
import { vertexPositions } from './vertex-positions.js';

/** Options of a {@link SegmentationOverlay}. */
export interface SegmentationOverlayOptions {
  /** Number of classes (palette entries); defaults to the largest label + 1 of the first labels set. */
  labelCount?: number;
  /** Label colours as CSS colour strings; defaults to {@link SEGMENTATION_PALETTE}. */
  palette?: readonly string[];
  /** 0 (invisible) … 1 (opaque); default 0.85. */
  opacity?: number;
  /** How much flat shading darkens faces turned away from the camera, 0 … 1; default 0.6. */
  shade?: number;
}

/** Defaults of {@link SegmentationOverlayOptions}. */
export const SEGMENTATION_OVERLAY_DEFAULTS = { opacity: 0.85, shade: 0.6 } as const;

/** What lies under a picked point: the nearest corner's vertex, its label and confidence. */
export interface OverlayPick {
  readonly vertex: number;
  readonly label: number;
  readonly confidence: number;
}

/** How the overlay colours the surface. */
export type OverlayMode = 'labels' | 'confidence';

const NO_LABEL = 0xffffffff;

/**
 * Per-vertex class labels drawn over any three.js mesh without touching its material: a child
 * mesh of the target, one vertex per triangle corner, whose fragments take the label of their
 * nearest corner (sharp boundaries inside triangles, as Polyscope draws them, not blended
 * vertex colours). Palette, opacity, hidden labels, one highlighted label, a confidence view.
 * Follows the target's transform; call {@link update} after changing its positions or index.
 */
export class SegmentationOverlay {
  /** The overlay mesh, added as a child of the target; it ignores raycasts. */
  readonly object: Mesh<BufferGeometry, ShaderMaterial & { uniforms: SegmentationUniforms }>;
  private labelsPerVertex: Uint32Array | null = null;
  private confidencesPerVertex: Float32Array | null = null;
  private visible: boolean[] = [];
  private labelCount: number;
  private readonly palette: readonly string[];

  constructor(readonly target: Mesh, options: SegmentationOverlayOptions = {}) {
    this.palette = options.palette ?? SEGMENTATION_PALETTE;
    this.labelCount = options.labelCount ?? 0;
    const material = createSegmentationMaterial(this.createTexture(), {
      opacity: options.opacity ?? SEGMENTATION_OVERLAY_DEFAULTS.opacity,
      shade: options.shade ?? SEGMENTATION_OVERLAY_DEFAULTS.shade,
    });
    this.object = new Mesh(new BufferGeometry(), material);
    this.object.name = 'SegmentationOverlay';
    this.object.raycast = () => {};
    this.object.renderOrder = target.renderOrder + 1;
    this.update();
    target.add(this.object);
  }

  /** Rebuilds the corner geometry from the target's current positions and index. */
  update(): void {
    const source = this.target.geometry;
    const position = source.getAttribute('position');
    const index = source.getIndex();
    const { positions, barycentric } = nearestCornerAttributes(vertexPositions(position), index ? index.array : null);
    const cornerCount = positions.length / 3;
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.setAttribute('barycentric', new BufferAttribute(barycentric, 3, true));
    geometry.setAttribute('cornerLabels', new BufferAttribute(new Float32Array(3 * cornerCount).fill(-1), 3));
    geometry.setAttribute('cornerConfidences', new BufferAttribute(new Float32Array(3 * cornerCount), 3));
    this.object.geometry.dispose();
    this.object.geometry = geometry;
    if (this.labelsPerVertex) this.setLabels(this.labelsPerVertex, this.confidencesPerVertex ?? undefined);
  }

  /**
   * Sets a label (and optionally a confidence) per vertex of the target geometry, split vertices
   * included; `0xffffffff` leaves a vertex unlabelled.
   */
  setLabels(labels: Uint32Array, confidences?: Float32Array): void {
    const vertexCount = this.target.geometry.getAttribute('position').count;
    if (labels.length !== vertexCount) throw new Error(`SegmentationOverlay: ${labels.length} labels for a geometry of ${vertexCount} vertices; pass one per vertex.`);
    if (confidences && confidences.length !== vertexCount) throw new Error(`SegmentationOverlay: ${confidences.length} confidences for ${vertexCount} vertices.`);
    this.labelsPerVertex = labels;
    this.confidencesPerVertex = confidences ?? null;
    let largest = -1;
    for (let v = 0; v < labels.length; v++) if (labels[v] !== NO_LABEL && labels[v]! > largest) largest = labels[v]!;
    if (largest + 1 > this.labelCount) {
      this.labelCount = largest + 1;
      this.refreshPalette();
    }
    const geometry = this.object.geometry;
    const index = this.target.geometry.getIndex();
    const indexArray = index ? index.array : null;
    const cornerCount = geometry.getAttribute('position').count;
    const labelAttribute = geometry.getAttribute('cornerLabels') as BufferAttribute;
    cornerValues(labels, indexArray, cornerCount, NO_LABEL, labelAttribute.array as Float32Array);
    labelAttribute.needsUpdate = true;
    const confidenceAttribute = geometry.getAttribute('cornerConfidences') as BufferAttribute;
    if (confidences) cornerValues(confidences, indexArray, cornerCount, Number.NaN, confidenceAttribute.array as Float32Array);
    else (confidenceAttribute.array as Float32Array).fill(1);
    confidenceAttribute.needsUpdate = true;
  }

  /** The labels set last, per target vertex. */
  get labels(): Uint32Array | null {
    return this.labelsPerVertex;
  }

  /** Vertices per label (split vertices counted once each, unlabelled ones not at all). */
  counts(): Uint32Array {
    const counts = new Uint32Array(this.labelCount);
    const labels = this.labelsPerVertex;
    if (labels) for (let v = 0; v < labels.length; v++) if (labels[v]! < counts.length) counts[labels[v]!]!++;
    return counts;
  }

  /** The colour of a label, as the palette gives it. */
  colourOf(label: number): Color {
    return labelColour(label, this.palette);
  }

  /** The colour of a label as a CSS string, for legends. */
  cssColourOf(label: number): string {
    return `#${this.colourOf(label).getHexString()}`;
  }

  /** Opacity of the label colours over the target, 0 … 1. */
  get opacity(): number {
    return this.object.material.uniforms.opacity.value;
  }

  set opacity(value: number) {
    this.object.material.uniforms.opacity.value = Math.min(1, Math.max(0, value));
  }

  /** `labels`: palette colours; `confidence`: the nearest corner's confidence, dark (low) to yellow (high). */
  get mode(): OverlayMode {
    return this.object.material.uniforms.confidenceView.value > 0.5 ? 'confidence' : 'labels';
  }

  set mode(value: OverlayMode) {
    this.object.material.uniforms.confidenceView.value = value === 'confidence' ? 1 : 0;
  }

  /** One label shown strongly, the others faded; null for none. */
  get highlight(): number | null {
    const value = this.object.material.uniforms.highlight.value;
    return value < 0 ? null : value;
  }

  set highlight(label: number | null) {
    this.object.material.uniforms.highlight.value = label === null ? -1 : label;
  }

  /** Shows or hides one label (hidden: the target's own material shows through). */
  setLabelVisible(label: number, visible: boolean): void {
    this.visible[label] = visible;
    this.refreshPalette();
  }

  /** Whether a label is drawn (all are, until hidden). */
  isLabelVisible(label: number): boolean {
    return this.visible[label] !== false;
  }

  /** The nearest corner's vertex, label and confidence at a raycast hit on the target; null elsewhere or before labels are set. */
  pick(intersection: Intersection<Object3D>): OverlayPick | null {
    if (intersection.object !== this.target || !intersection.face || !this.labelsPerVertex) return null;
    const position = this.target.geometry.getAttribute('position');
    const { a, b, c } = intersection.face;
    const corners = [a, b, c].map((v) => new Vector3().fromBufferAttribute(position, v));
    const local = this.target.worldToLocal(intersection.point.clone());
    const weights = new Triangle(corners[0], corners[1], corners[2]).getBarycoord(local, new Vector3());
    if (!weights) return null;
    const vertex = [a, b, c][nearestCorner(weights.x, weights.y, weights.z)]!;
    const label = this.labelsPerVertex[vertex]!;
    if (label === NO_LABEL) return null;
    return { vertex, label, confidence: this.confidencesPerVertex ? this.confidencesPerVertex[vertex]! : 1 };
  }

  /** Removes the overlay from the target and frees its GPU resources. */
  dispose(): void {
    this.object.removeFromParent();
    this.object.geometry.dispose();
    this.object.material.uniforms.palette.value.dispose();
    this.object.material.dispose();
  }

  private createTexture(): DataTexture {
    return createPaletteTexture(paletteBytes(this.labelCount, this.palette), this.visible);
  }

  private refreshPalette(): void {
    const uniforms = this.object.material.uniforms;
    uniforms.palette.value.dispose();
    uniforms.palette.value = this.createTexture();
    uniforms.paletteSize.value = uniforms.palette.value.image.width;
  }
}
