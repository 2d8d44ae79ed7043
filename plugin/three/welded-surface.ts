import type { BufferGeometry } from 'three';
import type { Mesh } from '../../core/mesh/mesh.js';
import { prepareMesh } from '../../core/mesh/prepare-mesh.js';
import { computeGaugeGeometry } from '../../core/geometry/compute-gauge-geometry.js';
import type { GaugeGeometry } from '../../core/geometry/gauge-geometry.js';
import { sourceMeshFromGeometry } from './source-mesh-from-geometry.js';

/** A geometry welded as the network sees it, with its gauge geometry. */
export interface WeldedSurface {
  /** The welded mesh; `mesh.sourceToMesh[v]` is the mesh vertex of geometry vertex v. */
  readonly mesh: Mesh;
  readonly gauge: GaugeGeometry;
}

/** Welds a three.js geometry (in its local space) and computes normals, frames and the 1-ring, as the worker does. */
export function weldedSurface(geometry: BufferGeometry): WeldedSurface {
  const mesh = prepareMesh(sourceMeshFromGeometry(geometry));
  return { mesh, gauge: computeGaugeGeometry(mesh) };
}
