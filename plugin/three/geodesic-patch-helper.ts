import { BufferGeometry, Color, Float32BufferAttribute, Group, LineBasicMaterial, LineSegments, type Mesh, Points, PointsMaterial } from 'three';
import { NO_VERTEX } from '../../core/mesh/mesh.js';
import { geodesicPatches } from '../../core/geometry/geodesic-patches.js';
import { patchRadius } from '../../core/geometry/patch-radius.js';
import { weldedSurface, type WeldedSurface } from './welded-surface.js';

/** Options of a {@link GeodesicPatchHelper}. */
export interface GeodesicPatchHelperOptions {
  /** Patch radius in mesh units; default `fractionOfSqrtArea` × √(total area). */
  radius?: number;
  /** Default 0.05: the network's level-1 patch (2.5 spacings of 0.02 √area). */
  fractionOfSqrtArea?: number;
  /** Point size in pixels; default 7. */
  pointSize?: number;
  /** The welded surface, when the caller has it already. */
  surface?: WeldedSurface;
}

/** Defaults of {@link GeodesicPatchHelperOptions}. */
export const GEODESIC_PATCH_HELPER_DEFAULTS = { fractionOfSqrtArea: 0.05, pointSize: 7 } as const;

/** One vertex's geodesic patch: its members (mesh vertices) with log-map coordinates and transport, in the Neighbourhood conventions. */
export interface GeodesicPatch {
  /** The centre, as a mesh vertex. */
  readonly centre: number;
  readonly members: Uint32Array;
  /** r_pq, mesh units. */
  readonly logMapRadius: Float32Array;
  /** θ_pq from the centre's e1 towards e2. */
  readonly logMapAngle: Float32Array;
  /** g_{q→p}. */
  readonly transportAngle: Float32Array;
}

/**
 * The geodesic patch and log map of one vertex, as the network's convolutions see it: members as
 * points coloured by their log-map angle θ (hue) and radius (lighter farther out), and the
 * centre's e1 axis. In the target's local space: add it to the target (`mesh.add(helper)`).
 */
export class GeodesicPatchHelper extends Group {
  override readonly type = 'GeodesicPatchHelper';
  readonly surface: WeldedSurface;
  readonly radius: number;
  /** The patch shown, or null before {@link setCentre}. */
  patch: GeodesicPatch | null = null;
  private readonly points: Points<BufferGeometry, PointsMaterial>;
  private readonly axis: LineSegments<BufferGeometry, LineBasicMaterial>;

  constructor(readonly target: Mesh, options: GeodesicPatchHelperOptions = {}) {
    super();
    this.surface = options.surface ?? weldedSurface(target.geometry);
    this.radius = options.radius ?? patchRadius(this.surface.gauge, { fractionOfSqrtArea: options.fractionOfSqrtArea ?? GEODESIC_PATCH_HELPER_DEFAULTS.fractionOfSqrtArea });
    // Transparent and late in the order: drawn after (over) a SegmentationOverlay, which is transparent too.
    this.points = new Points(new BufferGeometry(), new PointsMaterial({ size: options.pointSize ?? GEODESIC_PATCH_HELPER_DEFAULTS.pointSize, sizeAttenuation: false, vertexColors: true, depthTest: false, transparent: true, toneMapped: false }));
    this.axis = new LineSegments(new BufferGeometry(), new LineBasicMaterial({ color: 0xffffff, depthTest: false, transparent: true, toneMapped: false }));
    this.points.renderOrder = this.axis.renderOrder = 10;
    this.add(this.points, this.axis);
    this.raycast = this.points.raycast = this.axis.raycast = () => {};
  }

  /** Shows the patch of a vertex of the target geometry (split vertices map to their welded vertex). */
  setCentre(geometryVertex: number): GeodesicPatch {
    const { mesh, gauge } = this.surface;
    const centre = mesh.sourceToMesh[geometryVertex] ?? NO_VERTEX;
    if (centre === NO_VERTEX) throw new Error(`GeodesicPatchHelper: vertex ${geometryVertex} is not part of the welded mesh; pick another.`);
    // Geodesic distance is at least the straight one: candidates within ρ in space hold the whole patch.
    const candidates = [centre];
    const p = mesh.positions;
    const r2 = this.radius * this.radius;
    for (let v = 0; v < gauge.vertexCount; v++) {
      if (v === centre) continue;
      const dx = p[3 * v]! - p[3 * centre]!, dy = p[3 * v + 1]! - p[3 * centre + 1]!, dz = p[3 * v + 2]! - p[3 * centre + 2]!;
      if (dx * dx + dy * dy + dz * dz <= r2) candidates.push(v);
    }
    const vertices = Uint32Array.from(candidates);
    const patches = geodesicPatches(mesh, gauge, { radius: this.radius, vertices });
    const start = patches.offsets[0]!, end = patches.offsets[1]!;
    this.patch = {
      centre,
      members: Uint32Array.from(patches.neighbours.subarray(start, end), (local) => vertices[local]!),
      logMapRadius: patches.logMapRadius.slice(start, end),
      logMapAngle: patches.logMapAngle.slice(start, end),
      transportAngle: patches.transportAngle.slice(start, end),
    };
    this.redraw();
    return this.patch;
  }

  /** Hides the patch. */
  hidePatch(): void {
    this.patch = null;
    this.points.geometry.setDrawRange(0, 0);
    this.axis.geometry.setDrawRange(0, 0);
  }

  /** Frees its geometries and materials. */
  override dispose(): void {
    for (const part of [this.points, this.axis]) {
      part.geometry.dispose();
      part.material.dispose();
    }
  }

  private redraw(): void {
    const patch = this.patch!;
    const { mesh, gauge } = this.surface;
    const count = patch.members.length + 1;
    const positions = new Float32Array(3 * count);
    const colours = new Float32Array(3 * count);
    const colour = new Color();
    for (let i = 0; i < count; i++) {
      const v = i === 0 ? patch.centre : patch.members[i - 1]!;
      for (let d = 0; d < 3; d++) positions[3 * i + d] = mesh.positions[3 * v + d]!;
      if (i === 0) colour.setRGB(1, 1, 1);
      else colour.setHSL((patch.logMapAngle[i - 1]! / (2 * Math.PI) + 1) % 1, 0.9, 0.35 + 0.3 * (patch.logMapRadius[i - 1]! / this.radius));
      colours.set([colour.r, colour.g, colour.b], 3 * i);
    }
    replaceGeometry(this.points, { position: positions, color: colours });
    const c = patch.centre;
    const axis = new Float32Array(6);
    for (let d = 0; d < 3; d++) {
      axis[d] = mesh.positions[3 * c + d]!;
      axis[3 + d] = mesh.positions[3 * c + d]! + this.radius * gauge.frameX[3 * c + d]!;
    }
    replaceGeometry(this.axis, { position: axis });
  }
}

function replaceGeometry(object: Points | LineSegments, attributes: Record<string, Float32Array>): void {
  const geometry = new BufferGeometry();
  for (const [name, array] of Object.entries(attributes)) geometry.setAttribute(name, new Float32BufferAttribute(array, 3));
  object.geometry.dispose();
  object.geometry = geometry;
}
