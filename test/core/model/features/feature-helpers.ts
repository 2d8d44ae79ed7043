import { MeshoptSimplifier } from 'meshoptimizer';
import { subdivideMidpoint } from '../../../../bench/subdivide.js';
import { computeGaugeGeometry } from '../../../../core/geometry/compute-gauge-geometry.js';
import type { GaugeGeometry } from '../../../../core/geometry/gauge-geometry.js';
import { buildHierarchy, type Hierarchy } from '../../../../core/geometry/hierarchy.js';
import { loadSourceMesh } from '../../../../core/mesh/load-source-mesh.js';
import type { Mesh, SourceMesh } from '../../../../core/mesh/mesh.js';
import { prepareMesh } from '../../../../core/mesh/prepare-mesh.js';
import type { InputFeatures } from '../../../../core/model/features/input-features.js';
import { hierarchyOptions, PREPROCESSING_DEFAULTS } from '../../../../core/model/network-input.js';

export const SMPL = new URL('../../../../samples/scans/smpl-human/human_man.obj', import.meta.url).pathname;

/** A mesh with its gauge geometry and the hierarchy of the default preprocessing: what computeInputFeatures consumes. */
export interface Prepared {
  mesh: Mesh;
  geometry: GaugeGeometry;
  hierarchy: Hierarchy;
}

/** Geometry and hierarchy of a mesh, as prepareNetworkInput builds them by default. */
export function prepared(mesh: Mesh): Prepared {
  const geometry = computeGaugeGeometry(mesh);
  return { mesh, geometry, hierarchy: buildHierarchy(mesh, geometry, hierarchyOptions(PREPROCESSING_DEFAULTS)) };
}

function sourceOf(file: string, positions: Float32Array, triangles: Uint32Array): SourceMesh {
  return { file, positions, triangles, primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount: positions.length / 3 }] };
}

/** The bundled SMPL body as loaded, one midpoint subdivision of it, and a meshoptimizer simplification to about half its triangles. */
export async function smplVariants(): Promise<{ body: Mesh; subdivided: Mesh; simplified: Mesh }> {
  const source = await loadSourceMesh(SMPL);
  const fine = subdivideMidpoint(source.positions, source.triangles);
  await MeshoptSimplifier.ready;
  const [indices] = MeshoptSimplifier.simplify(source.triangles, source.positions, 3, Math.floor(source.triangles.length / 6) * 3, 0.01, []);
  return {
    body: prepareMesh(source),
    subdivided: prepareMesh(sourceOf('smpl-subdivided', fine.positions, fine.triangles)),
    simplified: prepareMesh(sourceOf('smpl-simplified', source.positions, indices)),
  };
}

/** For each level vertex of `a`, the nearest level vertex of `b` by position (brute force). */
export function nearestLevelVertices(a: Prepared, b: Prepared, level = 1): Uint32Array {
  const va = a.hierarchy.levels[level]!.vertices, vb = b.hierarchy.levels[level]!.vertices;
  const pa = a.mesh.positions, pb = b.mesh.positions;
  const out = new Uint32Array(va.length);
  for (let i = 0; i < va.length; i++) {
    let best = Infinity;
    const x = 3 * va[i]!;
    for (let j = 0; j < vb.length; j++) {
      const y = 3 * vb[j]!;
      const d = (pa[x]! - pb[y]!) ** 2 + (pa[x + 1]! - pb[y + 1]!) ** 2 + (pa[x + 2]! - pb[y + 2]!) ** 2;
      if (d < best) {
        best = d;
        out[i] = j;
      }
    }
  }
  return out;
}

/** Value of slot `slot` of channel `channel` at vertex v. */
export function featureAt(features: InputFeatures, v: number, channel: number, slot = 0): number {
  return features.field[(v * features.channels + channel) * (2 * features.maxOrder + 1) + slot]!;
}

/**
 * Per ρ0 channel: mean |f_a(v) − f_b(match(v))| over a's vertices, divided by the standard
 * deviation of the channel over a (the error relative to the channel's spread).
 */
export function relativeInvariantErrors(a: InputFeatures, b: InputFeatures, match: Uint32Array): Map<string, number> {
  const errors = new Map<string, number>();
  a.names.forEach((name, c) => {
    if (a.orders[c] !== 0) return;
    let sum = 0, sum2 = 0, diff = 0;
    for (let v = 0; v < a.vertexCount; v++) {
      const x = featureAt(a, v, c);
      sum += x;
      sum2 += x * x;
      diff += Math.abs(x - featureAt(b, match[v]!, c));
    }
    const n = a.vertexCount;
    const std = Math.sqrt(Math.max(sum2 / n - (sum / n) ** 2, 1e-30));
    errors.set(name, diff / n / std);
  });
  return errors;
}
