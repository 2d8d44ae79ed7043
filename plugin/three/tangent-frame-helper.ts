import { BufferGeometry, Float32BufferAttribute, LineBasicMaterial, LineSegments, type Mesh } from 'three';
import { weldedSurface, type WeldedSurface } from './welded-surface.js';

/** Options of a {@link TangentFrameHelper}. */
export interface TangentFrameHelperOptions {
  /** Axis length as a multiple of the mean edge length; default 0.6. */
  scale?: number;
  /** At most this many frames (every k-th vertex beyond it); default 50 000. */
  maxFrames?: number;
  /** The welded surface, when the caller has it already. */
  surface?: WeldedSurface;
}

/** Defaults of {@link TangentFrameHelperOptions}. */
export const TANGENT_FRAME_HELPER_DEFAULTS = { scale: 0.6, maxFrames: 50_000 } as const;

// e1 red, e2 = n × e1 green, n blue, as axes helpers draw x, y, z.
const AXIS_COLOURS = [[0.9, 0.2, 0.2], [0.2, 0.8, 0.2], [0.25, 0.4, 1]] as const;

/**
 * The gauge at each vertex as the network sees it: e1 (red), e2 = n × e1 (green) and the normal
 * (blue) of the welded mesh, in the target's local space: add it to the target (`mesh.add(helper)`).
 */
export class TangentFrameHelper extends LineSegments<BufferGeometry, LineBasicMaterial> {
  override readonly type = 'TangentFrameHelper';
  /** The welded surface the frames belong to. */
  readonly surface: WeldedSurface;

  constructor(readonly target: Mesh, options: TangentFrameHelperOptions = {}) {
    const surface = options.surface ?? weldedSurface(target.geometry);
    const { mesh, gauge } = surface;
    const length = (options.scale ?? TANGENT_FRAME_HELPER_DEFAULTS.scale) * gauge.meanEdgeLength;
    const stride = Math.max(1, Math.ceil(gauge.vertexCount / (options.maxFrames ?? TANGENT_FRAME_HELPER_DEFAULTS.maxFrames)));
    const frames = Math.ceil(gauge.vertexCount / stride);
    const positions = new Float32Array(frames * 18);
    const colours = new Float32Array(frames * 18);
    const axes = [gauge.frameX, gauge.frameY, gauge.vertexNormals];
    let o = 0;
    for (let v = 0; v < gauge.vertexCount; v += stride) {
      for (let k = 0; k < 3; k++) {
        const axis = axes[k]!;
        for (let d = 0; d < 3; d++) {
          positions[o + d] = mesh.positions[3 * v + d]!;
          positions[o + 3 + d] = mesh.positions[3 * v + d]! + length * axis[3 * v + d]!;
          colours[o + d] = colours[o + 3 + d] = AXIS_COLOURS[k]![d]!;
        }
        o += 6;
      }
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
    geometry.setAttribute('color', new Float32BufferAttribute(colours, 3));
    // Transparent and late in the order: drawn after (over) a SegmentationOverlay, which is transparent too.
    super(geometry, new LineBasicMaterial({ vertexColors: true, transparent: true, toneMapped: false }));
    this.renderOrder = 10;
    this.surface = surface;
    this.raycast = () => {};
  }

  /** Frees its geometry and material. */
  override dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}
