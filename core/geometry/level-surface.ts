import type { Mesh } from '../mesh/mesh.js';
import type { GaugeGeometry } from './gauge-geometry.js';
import type { Neighbourhood } from './neighbourhood.js';
import { expMapSteps, type ExpMapSteps } from './exp-map-steps.js';
import { indexInSortedRun } from './sorted-run.js';

/**
 * A hierarchy level seen as a surface of its own: its vertices, linked by the pairs that lie in
 * each other's geodesic patch. It carries what sampling, parent log maps and geodesic patches
 * read from a mesh, so coarser levels can be built over it instead of over every mesh vertex.
 */
export interface LevelSurface {
  /** The level's vertices' positions, xyz. */
  readonly positions: Float64Array;
  /**
   * `vertexAreas`: each vertex's cell area (the mesh vertices it is parent of); `oneRing`: the
   * mutual patch entries, with the patches' own log maps and transports.
   */
  readonly geometry: Pick<GaugeGeometry, 'vertexCount' | 'vertexAreas' | 'oneRing'>;
  /** The exp-map steps of `oneRing`, with the mean of r_pq and r_qp as each edge's length. */
  readonly steps: ExpMapSteps;
}

/**
 * The surface of a level whose vertices are `vertices` (mesh indices), with `parent` giving each
 * mesh vertex's index among them and `patches` their geodesic patches (rows and neighbours are
 * indices into `vertices`). Only mutual entries (q in p's patch and p in q's) become edges, so
 * the graph is symmetric, as exp-map steps need, and every step is a log map the mesh propagated.
 * Edge lengths are geodesic (the mean of both log-map radii), not chords, so paths over it
 * follow the surface.
 */
export function levelSurface(
  mesh: Pick<Mesh, 'positions'>,
  geometry: Pick<GaugeGeometry, 'vertexAreas'>,
  vertices: Uint32Array,
  parent: Uint32Array,
  patches: Neighbourhood,
): LevelSurface {
  const vertexCount = vertices.length;
  const positions = new Float64Array(3 * vertexCount);
  for (let i = 0; i < vertexCount; i++) {
    const v = 3 * vertices[i]!;
    positions[3 * i] = mesh.positions[v]!;
    positions[3 * i + 1] = mesh.positions[v + 1]!;
    positions[3 * i + 2] = mesh.positions[v + 2]!;
  }
  const vertexAreas = new Float32Array(vertexCount);
  for (let v = 0; v < parent.length; v++) vertexAreas[parent[v]!]! += geometry.vertexAreas[v]!;
  const oneRing = mutualEntries(patches);
  const surface = { vertexCount, vertexAreas, oneRing };
  const steps = expMapSteps({ positions }, surface);
  const edgeLength = new Float64Array(oneRing.neighbours.length);
  for (let f = 0; f < edgeLength.length; f++) edgeLength[f] = 0.5 * (oneRing.logMapRadius[f]! + oneRing.logMapRadius[steps.reverse[f]!]!);
  return { positions, geometry: surface, steps: { ...steps, edgeLength } };
}

/** The entries (p, q) of `patches` whose reverse (q, p) is there too, rows still ascending. */
function mutualEntries(patches: Neighbourhood): Neighbourhood {
  const { offsets, neighbours, logMapRadius, logMapAngle, transportAngle } = patches;
  const rows = offsets.length - 1;
  const keep = new Uint8Array(neighbours.length);
  const out = new Uint32Array(rows + 1);
  for (let p = 0; p < rows; p++) {
    let count = 0;
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) {
      const q = neighbours[e]!;
      if (indexInSortedRun(neighbours, offsets[q]!, offsets[q + 1]!, p) >= 0) {
        keep[e] = 1;
        count++;
      }
    }
    out[p + 1] = out[p]! + count;
  }
  const total = out[rows]!;
  const kept = { neighbours: new Uint32Array(total), logMapRadius: new Float32Array(total), logMapAngle: new Float32Array(total), transportAngle: new Float32Array(total) };
  let n = 0;
  for (let e = 0; e < neighbours.length; e++) {
    if (keep[e] === 0) continue;
    kept.neighbours[n] = neighbours[e]!;
    kept.logMapRadius[n] = logMapRadius[e]!;
    kept.logMapAngle[n] = logMapAngle[e]!;
    kept.transportAngle[n] = transportAngle[e]!;
    n++;
  }
  return { offsets: out, ...kept };
}

