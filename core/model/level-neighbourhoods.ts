import type { Hierarchy } from '../geometry/hierarchy.js';
import type { Neighbourhood } from '../geometry/neighbourhood.js';
import type { ConvNeighbourhood } from './layers/conv-neighbourhood.js';

/** A level's geodesic patches as a convolution neighbourhood, radii in units of the level's spacing (a fraction of √area). */
export function levelConvNeighbourhood(neighbourhood: Neighbourhood, spacing: number): ConvNeighbourhood {
  const radius = new Float32Array(neighbourhood.logMapRadius.length);
  const scale = 1 / spacing;
  for (let i = 0; i < radius.length; i++) radius[i] = neighbourhood.logMapRadius[i]! * scale;
  return {
    rowCount: neighbourhood.offsets.length - 1,
    offsets: neighbourhood.offsets,
    sources: neighbourhood.neighbours,
    radius,
    angle: neighbourhood.logMapAngle,
    transport: neighbourhood.transportAngle,
  };
}

/**
 * Log maps from every mesh vertex v to the level-1 vertices q near it, for the layer that carries
 * level-1 features back to the mesh: composed in the frame of v's level-1 parent c from c's patch,
 * u = u_q − u_v, θ_vq = arg u − g_{v→c}, g_{q→v} = g_{q→c} − g_{v→c}. Exactly gauge-covariant; the
 * composition is first order in distance, which holds within the patch (2.5 spacings).
 * Entries within `reach` level-1 spacings of v are kept; radii are in level-1 spacings.
 */
export function meshToLevelConvNeighbourhood(hierarchy: Hierarchy, reach: number): ConvNeighbourhood {
  const level = hierarchy.levels[1]!;
  const patches = level.neighbourhood;
  if (!patches) throw new Error('meshToLevelConvNeighbourhood: level 1 of the hierarchy has no neighbourhood (patchRadiusFactor 0).');
  const scale = 1 / level.spacing;
  const meshVertexCount = level.parent.length;
  const { offsets: patchOffsets, neighbours: patchNeighbours, logMapRadius, logMapAngle, transportAngle } = patches;
  // Upper bound: every patch entry of the parent, plus the parent itself.
  let capacity = 0;
  for (let v = 0; v < meshVertexCount; v++) {
    const c = level.parent[v]!;
    capacity += patchOffsets[c + 1]! - patchOffsets[c]! + 1;
  }
  const offsets = new Uint32Array(meshVertexCount + 1);
  const sources = new Uint32Array(capacity);
  const radius = new Float32Array(capacity);
  const angle = new Float32Array(capacity);
  const transport = new Float32Array(capacity);
  const reachSquared = reach * reach;
  // Each patch entry's position in its centre's frame, computed once rather than once per mesh vertex of the cell.
  const entryX = new Float64Array(patchNeighbours.length);
  const entryY = new Float64Array(patchNeighbours.length);
  for (let e = 0; e < entryX.length; e++) {
    const rq = logMapRadius[e]! * scale;
    entryX[e] = rq * Math.cos(logMapAngle[e]!);
    entryY[e] = rq * Math.sin(logMapAngle[e]!);
  }
  let n = 0;
  for (let v = 0; v < meshVertexCount; v++) {
    const c = level.parent[v]!;
    const rv = level.parentLogMapRadius[v]! * scale;
    const av = level.parentLogMapAngle[v]!;
    const gv = level.parentTransportAngle[v]!;
    const uvx = rv * Math.cos(av);
    const uvy = rv * Math.sin(av);
    for (let e = patchOffsets[c]! - 1; e < patchOffsets[c + 1]!; e++) {
      // e = start − 1 stands for the parent itself, at the origin of its own frame.
      const self = e < patchOffsets[c]!;
      const q = self ? c : patchNeighbours[e]!;
      const dx = (self ? 0 : entryX[e]!) - uvx;
      const dy = (self ? 0 : entryY[e]!) - uvy;
      const d2 = dx * dx + dy * dy;
      if (d2 > reachSquared) continue;
      sources[n] = q;
      radius[n] = Math.sqrt(d2);
      angle[n] = wrapAngle(Math.atan2(dy, dx) - gv);
      transport[n] = wrapAngle((self ? 0 : transportAngle[e]!) - gv);
      n++;
    }
    offsets[v + 1] = n;
  }
  return {
    rowCount: meshVertexCount,
    offsets,
    sources: sources.slice(0, n),
    radius: radius.slice(0, n),
    angle: angle.slice(0, n),
    transport: transport.slice(0, n),
  };
}

/** The angle in (−π, π]. */
function wrapAngle(a: number): number {
  const twoPi = 2 * Math.PI;
  a -= twoPi * Math.floor((a + Math.PI) / twoPi);
  return a === -Math.PI ? Math.PI : a;
}
