import * as THREE from 'three';
import { loadSourceMesh, type SourceMesh } from 'erlangen';

/** A scan as the page shows it: the file's own vertices in one indexed geometry. */
export interface LoadedScan {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly source: SourceMesh;
  readonly geometry: THREE.BufferGeometry;
}

/** Parses a scan in the page (MeshError when bad) and builds its geometry: one vertex per file vertex. */
export async function loadScan(bytes: Uint8Array, name: string): Promise<LoadedScan> {
  const source = await loadSourceMesh(bytes, { file: name });
  const geometry = new THREE.BufferGeometry();
  geometry.name = name;
  geometry.setAttribute('position', new THREE.BufferAttribute(source.positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(source.triangles, 1));
  geometry.computeVertexNormals();
  geometry.computeBoundingSphere();
  return { name, bytes, source, geometry };
}
