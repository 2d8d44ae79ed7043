import type { SimplifierFlags } from 'meshoptimizer';
import { identity } from './identity.js';
import { NO_VERTEX, type Mesh } from './mesh.js';
import { nearestVertices } from './nearest-vertex.js';
import { prepareMesh } from './prepare-mesh.js';

const NAME = 'simplifyMesh';

// The simplifier aims at triangles; a pass within 2% of the vertex target is close enough to stop.
const VERTEX_TOLERANCE = 0.02;
// Each pass re-runs from the input with the triangle target rescaled; three corrections converge in practice.
const MAX_PASSES = 4;

/**
 * A re-triangulated mesh (see simplifyMesh, remeshMesh, refineMesh) and where each of its
 * vertices came from: `origin[v]` is the input vertex whose per-vertex data vertex v takes.
 */
export interface Retriangulation {
  /** The new mesh: welded and validated, `sourceToMesh` the identity over its own vertices, no repairs. */
  readonly mesh: Mesh;
  /** Input vertex of each output vertex, for `transferVertexData`. */
  readonly origin: Uint32Array;
}

/** Options for {@link simplifyMesh}. */
export interface SimplifyMeshOptions {
  /** Trade shape accuracy for more even, isotropic triangles (meshoptimizer's `Regularize` flag). */
  regularize?: boolean;
  /** Largest geometric error allowed, relative to the mesh's extent; the default 1 never binds, so the vertex target decides. */
  maxError?: number;
}

/** Defaults for {@link SimplifyMeshOptions}. */
export const SIMPLIFY_MESH_DEFAULTS: Required<SimplifyMeshOptions> = { regularize: false, maxError: 1 };

/**
 * Quadric-error edge-collapse simplification (meshoptimizer's `simplify`) to about
 * `targetVertexCount` vertices: the triangle target starts at the input's triangles-per-vertex
 * ratio times the vertex target and is corrected over a few passes. Collapses keep a subset of the
 * input vertices, so every output vertex sits exactly at its `origin` vertex (float64 positions kept)
 * and per-vertex labels carry over exactly. The result is welded and repaired like a loaded scan.
 * A target at or above the input's vertex count returns the input's geometry unchanged.
 */
export async function simplifyMesh(mesh: Mesh, targetVertexCount: number, options: SimplifyMeshOptions = {}): Promise<Retriangulation> {
  const { regularize, maxError } = { ...SIMPLIFY_MESH_DEFAULTS, ...options };
  if (!(Number.isFinite(targetVertexCount) && targetVertexCount >= 4)) throw new RangeError(`${NAME}: targetVertexCount must be 4 or more, got ${targetVertexCount}`);
  if (!(maxError >= 0)) throw new RangeError(`${NAME}: maxError must be non-negative, got ${maxError}`);
  const inputCount = mesh.positions.length / 3, faceCount = mesh.triangles.length / 3;
  if (targetVertexCount >= inputCount) {
    return { mesh: { file: mesh.file, positions: mesh.positions, triangles: mesh.triangles, sourceToMesh: identity(inputCount), repairs: [] }, origin: identity(inputCount) };
  }
  // Loaded on first use: its WebAssembly stays out of bundles (the viewer's) that never simplify.
  const { MeshoptSimplifier } = await import('meshoptimizer');
  await MeshoptSimplifier.ready;
  const positions32 = Float32Array.from(mesh.positions);
  const flags: SimplifierFlags[] = regularize ? ['Regularize'] : [];
  const used = new Uint8Array(inputCount);
  let indexTarget = 3 * Math.max(1, Math.round((targetVertexCount * faceCount) / inputCount));
  let best: Uint32Array | null = null, bestMiss = Infinity;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const [indices] = MeshoptSimplifier.simplify(mesh.triangles, positions32, 3, Math.min(indexTarget, mesh.triangles.length), maxError, flags);
    const reached = countUsed(indices, used);
    const miss = Math.abs(reached - targetVertexCount);
    if (miss < bestMiss) best = indices, bestMiss = miss;
    if (miss <= VERTEX_TOLERANCE * targetVertexCount || reached === 0) break;
    indexTarget = 3 * Math.max(1, Math.round(((indexTarget / 3) * targetVertexCount) / reached));
  }
  // Keep the used vertices in input order, so output order follows input order.
  countUsed(best!, used);
  const kept: number[] = [];
  const newIndex = new Uint32Array(inputCount);
  for (let v = 0; v < inputCount; v++) if (used[v]) newIndex[v] = kept.push(v) - 1;
  const keptPositions = new Float32Array(3 * kept.length);
  kept.forEach((v, i) => keptPositions.set(positions32.subarray(3 * v, 3 * v + 3), 3 * i));
  const triangles = best!.map((v) => newIndex[v]!);
  const prepared = prepareRetriangulated(mesh.file, keptPositions, triangles);
  const count = prepared.mesh.positions.length / 3;
  const origin = new Uint32Array(count);
  // Float64 input positions replace the float32 copies the simplifier saw: output equals input exactly.
  const positions = new Float64Array(3 * count);
  for (let v = 0; v < count; v++) {
    const o = (origin[v] = kept[prepared.meshToSource[v]!]!);
    positions[3 * v] = mesh.positions[3 * o]!;
    positions[3 * v + 1] = mesh.positions[3 * o + 1]!;
    positions[3 * v + 2] = mesh.positions[3 * o + 2]!;
  }
  return { mesh: { ...prepared.mesh, positions }, origin };
}

/** Marks the vertices `indices` uses in `used` (cleared first) and returns how many there are. */
function countUsed(indices: Uint32Array, used: Uint8Array): number {
  used.fill(0);
  let count = 0;
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!used[v]) used[v] = 1, count++;
  }
  return count;
}

/**
 * Builds a single-primitive SourceMesh from float32 positions and triangles and runs it through
 * prepareMesh (weld and repair, as for a loaded scan), then strips the load-time bookkeeping.
 * `meshToSource[v]` is a source vertex at exactly mesh vertex v's position: the one that welded into
 * it, or for a copy made by splitting a non-manifold vertex, a source vertex of the vertex it copies.
 * Shared with remeshMesh.
 */
export function prepareRetriangulated(file: string, positions: Float32Array, triangles: Uint32Array): { mesh: Mesh; meshToSource: Uint32Array } {
  const sourceCount = positions.length / 3;
  const primitives = [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount: sourceCount }];
  const prepared = prepareMesh({ file, positions, triangles, primitives });
  const count = prepared.positions.length / 3;
  const meshToSource = new Uint32Array(count).fill(NO_VERTEX);
  // Lowest source vertex first, so the choice does not depend on weld order.
  for (let s = sourceCount - 1; s >= 0; s--) {
    const m = prepared.sourceToMesh[s]!;
    if (m !== NO_VERTEX) meshToSource[m] = s;
  }
  const orphans: number[] = [];
  for (let m = 0; m < count; m++) if (meshToSource[m] === NO_VERTEX) orphans.push(m);
  if (orphans.length > 0) {
    // Split copies have no source vertex of their own but sit exactly on one: nearest is at distance 0.
    const queries = new Float64Array(3 * orphans.length);
    orphans.forEach((m, i) => queries.set(prepared.positions.subarray(3 * m, 3 * m + 3), 3 * i));
    const nearest = nearestVertices(positions, queries);
    orphans.forEach((m, i) => (meshToSource[m] = nearest[i]!));
  }
  const mesh: Mesh = { file, positions: prepared.positions, triangles: prepared.triangles, sourceToMesh: identity(count), repairs: [] };
  return { mesh, meshToSource };
}
