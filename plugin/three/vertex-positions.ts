import type { BufferAttribute, InterleavedBufferAttribute, Matrix4 } from 'three';

/**
 * The xyz of every vertex of a position attribute as flat float32 (three per vertex), read through
 * the attribute's accessors so interleaved (glTF-Transform's default layout) and normalized integer
 * (KHR_mesh_quantization) attributes come out as the positions three.js draws; `matrix`, when
 * given, is applied to each (with the perspective divide, as `Vector3.applyMatrix4` does).
 */
export function vertexPositions(attribute: BufferAttribute | InterleavedBufferAttribute, matrix?: Matrix4): Float32Array {
  const vertexCount = attribute.count;
  const positions = new Float32Array(vertexCount * 3);
  const e = matrix?.elements;
  for (let v = 0; v < vertexCount; v++) {
    const x = attribute.getX(v), y = attribute.getY(v), z = attribute.getZ(v);
    if (e) {
      const w = e[3]! * x + e[7]! * y + e[11]! * z + e[15]!;
      positions[3 * v] = (e[0]! * x + e[4]! * y + e[8]! * z + e[12]!) / w;
      positions[3 * v + 1] = (e[1]! * x + e[5]! * y + e[9]! * z + e[13]!) / w;
      positions[3 * v + 2] = (e[2]! * x + e[6]! * y + e[10]! * z + e[14]!) / w;
    } else {
      positions[3 * v] = x;
      positions[3 * v + 1] = y;
      positions[3 * v + 2] = z;
    }
  }
  return positions;
}
