import * as THREE from 'three';
import { MeshBVH } from 'three-mesh-bvh';
import { loadSourceMesh } from '../core/mesh/load-source-mesh.js';
import { prepareMesh } from '../core/mesh/prepare-mesh.js';
import type { SourceMesh } from '../core/mesh/mesh.js';
import { computeGaugeGeometry } from '../core/geometry/compute-gauge-geometry.js';
import { geodesicPatches } from '../core/geometry/geodesic-patches.js';
import { subdivideMidpoint } from './subdivide.js';
import { interleavedMedians, medianMs, printLine } from './timing.js';

const SAMPLE = new URL('../samples/scans/smpl-human/human_man.obj', import.meta.url);
// Odd, so the median is one run; alternating sides keeps the ratio steady on a noisy machine.
const REPEATS = 9;

/** The bundled SMPL body subdivided `steps` times: 13,776 triangles × 4^steps. */
async function subdividedSample(steps: number): Promise<SourceMesh> {
  const sample = await loadSourceMesh(SAMPLE.pathname);
  let mesh = { positions: sample.positions, triangles: sample.triangles };
  for (let i = 0; i < steps; i++) mesh = subdivideMidpoint(mesh.positions, mesh.triangles);
  const vertexCount = mesh.positions.length / 3;
  return { file: `smpl-subdivided-${steps}`, ...mesh, primitives: [{ node: -1, mesh: -1, primitive: -1, firstVertex: 0, vertexCount }] };
}

/** The whole geometry stage a mesh goes through before features: weld, validate, gauge geometry. */
function prepareGeometry(source: SourceMesh) {
  const mesh = prepareMesh(source);
  return { mesh, geometry: computeGaugeGeometry(mesh) };
}

function buildBvh(source: SourceMesh): MeshBVH {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(source.positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(source.triangles, 1));
  return new MeshBVH(geometry);
}

/** Case `prepare`: geometry stage vs a three-mesh-bvh build; patches at ρ = 3 × mean edge; linear growth. */
export async function benchPrepare(): Promise<void> {
  const small = await subdividedSample(2);
  const large = await subdividedSample(3);
  const peer = 'three-mesh-bvh MeshBVH build';
  const results = new Map<SourceMesh, { ours: number; bvh: number }>();
  for (const source of [small, large]) {
    const { ours, peer: bvh } = await interleavedMedians(() => prepareGeometry(source), () => buildBvh(source), REPEATS);
    results.set(source, { ours, bvh });
    printLine({
      case: 'prepare',
      triangles: source.triangles.length / 3,
      ours_ms: ours,
      peer,
      peer_ms: bvh,
      ratio: ours / bvh,
    });
  }
  const { mesh, geometry } = prepareGeometry(large);
  const radius = 3 * geometry.meanEdgeLength;
  let entries = 0;
  const patches = medianMs(() => (entries = geodesicPatches(mesh, geometry, { radius }).neighbours.length), 1);
  const bvh = results.get(large)!.bvh;
  printLine({
    case: 'prepare-geodesic-patches',
    triangles: large.triangles.length / 3,
    radius: '3 x meanEdgeLength',
    entries,
    ours_ms: patches,
    peer,
    peer_ms: bvh,
    ratio: patches / bvh,
  });
  const growth = results.get(large)!.ours / results.get(small)!.ours;
  const size = large.triangles.length / small.triangles.length;
  printLine({
    case: 'prepare-scaling',
    triangles: [small.triangles.length / 3, large.triangles.length / 3],
    ours_ms: results.get(large)!.ours,
    peer: `ours at ${small.triangles.length / 3} triangles`,
    peer_ms: results.get(small)!.ours,
    ratio: growth,
    size_ratio: size,
  });
}
