import { NO_VERTEX, type Mesh, type Repair } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { closedSurfaceNeighbours } from './closed-surface.js';
import { FACE_ALIVE, FACE_DEGENERATE, pairHalfedges } from './pair-halfedges.js';
import { scratchUint8 } from './scratch.js';
import { rejoinNonManifoldEdges } from './rejoin-edges.js';
import { splitVertexFans } from './vertex-fans.js';

/** Options for {@link repairMesh}. */
export interface RepairMeshOptions {
  /**
   * The source triangles the mesh was welded from (corner for corner, as `weld` keeps them), so
   * that a source vertex of a split vertex maps to the copy of the fan it was in; without them it
   * maps to the fan that kept the vertex id.
   */
  sourceTriangles?: Uint32Array | null;
}

/** Defaults for {@link RepairMeshOptions}. */
export const REPAIR_MESH_DEFAULTS: Required<RepairMeshOptions> = { sourceTriangles: null };

/**
 * Validates a welded mesh and repairs what can be repaired, reporting each repair:
 * `DEGENERATE_FACES` (a repeated vertex or exactly zero area) and `DUPLICATE_FACES` (same three
 * vertices in either orientation, the first kept) are dropped; `NON_MANIFOLD_EDGES` (more than two
 * faces) keep at most two faces joined — two that stay one surface around the edge's ends, else the
 * first and its partner — and detach the rest; `NON_MANIFOLD_VERTICES` (faces forming several fans,
 * counted apart from the ends of non-manifold edges) get one vertex per fan, a source vertex going
 * with its fan when it has one, else with the first; `UNREFERENCED_VERTICES` are dropped and their
 * source vertices map to NO_VERTEX. Throws NO_TRIANGLES when nothing is left. Arrays that need no
 * change are shared with the input.
 */
export function repairMesh(mesh: Mesh, options: RepairMeshOptions = {}): Mesh {
  const { sourceTriangles } = { ...REPAIR_MESH_DEFAULTS, ...options };
  const { file, positions, triangles } = mesh;
  const vertexCount = positions.length / 3, faceCount = triangles.length / 3;
  const faceState = scratchUint8('repair.faceState', faceCount).fill(0);
  const degenerateFaces = markDegenerateFaces(mesh, faceState);
  // Most scans are closed surfaces: one cheap check spares pairing half-edges and walking fans,
  // and its rows are the 1-ring that computeGaugeGeometry would build next.
  const closedNeighbours = degenerateFaces === 0 ? closedSurfaceNeighbours(triangles, vertexCount) : null;
  if (closedNeighbours) return { ...mesh, repairs: [...mesh.repairs], closedOneRing: { triangles, neighbours: closedNeighbours } };
  const pairs = pairHalfedges(triangles, vertexCount, faceState);
  const fans = splitVertexFans(triangles, vertexCount, faceState, pairs.twin);
  if (pairs.nonManifoldEdges > 0) rejoinNonManifoldEdges(triangles, pairs.nonManifoldRuns, fans);
  const { copies } = fans;
  // Unsplit corners keep their vertex.
  const cornerVertex = fans.cornerVertex ?? triangles;

  const total = vertexCount + copies.length;
  const aliveFaces = faceCount - degenerateFaces - pairs.duplicateFaces;
  if (aliveFaces === 0) {
    throw new MeshError('NO_TRIANGLES', file, `no triangles left after dropping ${degenerateFaces} degenerate and ${pairs.duplicateFaces} duplicate faces; the scan has no surface`);
  }
  // Without copies the fan pass already knows which vertices are used.
  let used = fans.referenced;
  if (copies.length > 0) {
    used = scratchUint8('repair.used', total).fill(0);
    for (let f = 0, c = 0; f < faceCount; f++, c += 3) {
      if (faceState[f] === FACE_ALIVE) used[cornerVertex[c]!] = used[cornerVertex[c + 1]!] = used[cornerVertex[c + 2]!] = 1;
    }
  }
  let unreferenced = 0;
  for (let v = 0; v < vertexCount; v++) if (!used[v]) unreferenced++;
  const nonManifoldVertices = countSplitVertices(triangles, pairs.nonManifoldRuns, fans.split);
  const repairs: Repair[] = [...mesh.repairs];
  const report = (kind: string, count: number) => void (count > 0 && repairs.push({ kind, count }));
  report('DEGENERATE_FACES', degenerateFaces);
  report('DUPLICATE_FACES', pairs.duplicateFaces);
  report('NON_MANIFOLD_EDGES', pairs.nonManifoldEdges);
  report('NON_MANIFOLD_VERTICES', nonManifoldVertices);
  report('UNREFERENCED_VERTICES', unreferenced);
  if (repairs.length === mesh.repairs.length && copies.length === 0) return { ...mesh, repairs };

  // Renumber the vertices that are used, originals first in their order, then copies.
  const remap = new Uint32Array(total);
  let kept = 0;
  for (let v = 0; v < total; v++) remap[v] = used[v] ? kept++ : NO_VERTEX;
  const outPositions = new Float64Array(3 * kept);
  for (let v = 0; v < total; v++) {
    if (!used[v]) continue;
    const from = 3 * (v < vertexCount ? v : copies.array[v - vertexCount]!), to = 3 * remap[v]!;
    outPositions[to] = positions[from]!;
    outPositions[to + 1] = positions[from + 1]!;
    outPositions[to + 2] = positions[from + 2]!;
  }
  const outTriangles = new Uint32Array(3 * aliveFaces);
  for (let f = 0, c = 0, o = 0; f < faceCount; f++, c += 3) {
    if (faceState[f] !== FACE_ALIVE) continue;
    outTriangles[o++] = remap[cornerVertex[c]!]!;
    outTriangles[o++] = remap[cornerVertex[c + 1]!]!;
    outTriangles[o++] = remap[cornerVertex[c + 2]!]!;
  }
  const sourceToMesh = mesh.sourceToMesh.map((v) => (v === NO_VERTEX ? NO_VERTEX : remap[v]!));
  if (copies.length > 0 && sourceTriangles && sourceTriangles.length === triangles.length) {
    // A source vertex whose corners all lie in one fan follows that fan; one spread over several keeps the first.
    const UNSEEN = 0xffffffff, MIXED = 0xfffffffe;
    const fan = new Uint32Array(sourceToMesh.length).fill(UNSEEN);
    for (let f = 0, c = 0; f < faceCount; f++, c += 3) {
      if (faceState[f] !== FACE_ALIVE) continue;
      for (let k = c; k < c + 3; k++) {
        const s = sourceTriangles[k]!, id = cornerVertex[k]!;
        fan[s] = fan[s] === UNSEEN || fan[s] === id ? id : MIXED;
      }
    }
    for (let s = 0; s < fan.length; s++) if (fan[s]! < MIXED) sourceToMesh[s] = remap[fan[s]!]!;
  }
  return { file, positions: outPositions, triangles: outTriangles, sourceToMesh, repairs };
}

// Flags faces with a repeated vertex or exactly zero area; throws on an index past the last vertex.
function markDegenerateFaces(mesh: Mesh, faceState: Uint8Array): number {
  const { positions: p, triangles } = mesh;
  const vertexCount = p.length / 3;
  let count = 0;
  for (let f = 0, i = 0; f < faceState.length; f++, i += 3) {
    const a = triangles[i]!, b = triangles[i + 1]!, c = triangles[i + 2]!;
    if (a >= vertexCount || b >= vertexCount || c >= vertexCount) {
      throw new MeshError('INDEX_OUT_OF_RANGE', mesh.file, `triangle ${f} (0-based) refers to vertex ${Math.max(a, b, c)}, but the mesh has ${vertexCount}; fix the face in the source`);
    }
    if (a === b || b === c || c === a) {
      faceState[f] = FACE_DEGENERATE;
      count++;
      continue;
    }
    const ux = p[3 * b]! - p[3 * a]!, uy = p[3 * b + 1]! - p[3 * a + 1]!, uz = p[3 * b + 2]! - p[3 * a + 2]!;
    const vx = p[3 * c]! - p[3 * a]!, vy = p[3 * c + 1]! - p[3 * a + 1]!, vz = p[3 * c + 2]! - p[3 * a + 2]!;
    // Exactly zero only: thin but real triangles still carry geometry.
    if (uy * vz - uz * vy === 0 && uz * vx - ux * vz === 0 && ux * vy - uy * vx === 0) {
      faceState[f] = FACE_DEGENERATE;
      count++;
    }
  }
  return count;
}

// Split vertices that are not an end of a non-manifold edge (those splits are counted as edges).
function countSplitVertices(triangles: Uint32Array, runs: Uint32Array, split: Uint8Array): number {
  const onEdge = new Uint8Array(runs.length > 0 ? split.length : 0);
  for (let r = 0; r < runs.length; r += 1 + runs[r]!) {
    const h = runs[r + 1]!;
    onEdge[triangles[h]!] = 1;
    onEdge[triangles[h % 3 === 2 ? h - 2 : h + 1]!] = 1;
  }
  let count = 0;
  for (let v = 0; v < split.length; v++) if (split[v] && !(runs.length > 0 && onEdge[v])) count++;
  return count;
}
