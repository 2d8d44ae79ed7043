import type { Mesh } from '../mesh/mesh.js';
import { scratchFloat64, scratchUint32 } from '../mesh/scratch.js';
import { closedManifoldAdjacency } from './closed-manifold-adjacency.js';
import { addTriangleCorners, CORNER_SUM_STRIDE } from './corner-sums.js';
import type { GaugeGeometry } from './gauge-geometry.js';
import { computeOneRingAdjacency } from './one-ring-adjacency.js';
import { allocateOneRingOutputs, sweepOneRing } from './one-ring-sweep.js';

/**
 * Everything a model layer needs about a mesh's geometry, in two sweeps over the triangles and
 * one over the 1-ring rows:
 * 1. triangles: angle-weighted normal sums, barycentric area shares and corner counts
 *    (addTriangleCorners), in float64;
 * 2. triangles: the 1-ring, one entry per corner when the surface is closed and consistently
 *    oriented (taken from `mesh.closedOneRing` when repairMesh left it, else closedManifoldAdjacency
 *    checks it), else the general construction (computeOneRingAdjacency: boundaries,
 *    non-manifold and flipped edges);
 * 3. rows, ascending (sweepOneRing): per vertex its unit normal, area and tangent frame
 *    (computeTangentFrames states how e1 is chosen), then per neighbour the log map (r, θ) and,
 *    once per edge, the transport g (computeOneRing states the conventions), and the edge
 *    lengths' sum for the mean.
 *
 * Computed in float64 and written straight into the float32 arrays GaugeGeometry declares, with
 * no float64 copy of the outputs: at a million triangles, first touch of fresh memory costs more
 * than the arithmetic. The result moves with the surface: under a rigid motion and uniform scale
 * s, normals and frames rotate, r scales by s, areas by s², and θ and g do not change.
 */
export function computeGaugeGeometry(mesh: Pick<Mesh, 'positions' | 'triangles' | 'closedOneRing'>): GaugeGeometry {
  const positions = mesh.positions;
  const triangles = mesh.triangles;
  const vertexCount = positions.length / 3;
  // Temporaries from the scratch pool: in a batch, refilling them is cheaper than faulting in fresh pages.
  const cornerSums = scratchFloat64('gauge.cornerSums', CORNER_SUM_STRIDE * vertexCount).fill(0);
  const rowStarts = new Uint32Array(vertexCount + 1);
  const totalArea = addTriangleCorners(positions, triangles, cornerSums, rowStarts);
  prefixSum(rowStarts);
  const scratch = scratchUint32('gauge.scratch', vertexCount);
  const known = mesh.closedOneRing;
  const closedNeighbours = known?.triangles === triangles ? known.neighbours : closedManifoldAdjacency(triangles, rowStarts, scratch);
  const adjacency = closedNeighbours !== null ? { offsets: rowStarts, neighbours: closedNeighbours } : computeOneRingAdjacency(mesh);
  const vertexNormals = new Float32Array(3 * vertexCount);
  const vertexAreas = new Float32Array(vertexCount);
  const frameX = new Float32Array(3 * vertexCount);
  const frameY = new Float32Array(3 * vertexCount);
  const outputs = allocateOneRingOutputs(adjacency.neighbours.length);
  const edgeLengthSum = sweepOneRing(positions, adjacency, vertexNormals, frameX, frameY, { cornerSums, vertexAreas }, outputs, scratch);
  const oneRing = { offsets: adjacency.offsets, neighbours: adjacency.neighbours, ...outputs };
  // The 1-ring is symmetric: it holds each undirected edge twice.
  const edgeCount = adjacency.neighbours.length / 2;
  return {
    vertexCount,
    vertexNormals,
    vertexAreas,
    totalArea,
    meanEdgeLength: edgeCount > 0 ? edgeLengthSum / edgeCount : 0,
    frameX,
    frameY,
    oneRing,
  };
}

// Kept out of computeGaugeGeometry: a loop there would have V8 compile it on-stack before the
// later calls have run, then throw that code away (the orchestrator stays loop-free).
function prefixSum(values: Uint32Array): void {
  for (let i = 1; i < values.length; i++) values[i] += values[i - 1]!;
}
