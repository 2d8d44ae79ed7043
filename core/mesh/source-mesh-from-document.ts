import { MathUtils, Primitive, type Accessor, type Document, type Node, type TypedArray } from '@gltf-transform/core';
import type { SourceMesh, SourcePrimitive } from './mesh.js';
import { MeshError } from './mesh-error.js';
import { assertFinitePositions, assertVertexCount, requireTriangles } from './source-checks.js';

/** Options for {@link sourceMeshFromDocument}. */
export interface SourceMeshFromDocumentOptions {
  /** Name used in error messages and stored as `SourceMesh.file`. */
  file?: string;
}

/** Defaults for {@link SourceMeshFromDocumentOptions}. */
export const SOURCE_MESH_FROM_DOCUMENT_DEFAULTS: Required<SourceMeshFromDocumentOptions> = { file: '<document>' };

/** One primitive placed by one node, in the order its vertices go into the SourceMesh. */
interface Instance {
  readonly node: number;
  readonly mesh: number;
  readonly primitive: number;
  readonly source: Primitive;
  readonly world: readonly number[];
}

/**
 * Every triangle primitive of every mesh instance in the default scene (all scenes if none is
 * default, every node if there are no scenes) as one SourceMesh in world space. TRIANGLE_STRIP and
 * TRIANGLE_FAN become triangles, mirrored instances have their winding flipped, points and lines
 * are skipped. Each instance's POSITION vertices are source vertices, in primitive order.
 */
export function sourceMeshFromDocument(document: Document, options: SourceMeshFromDocumentOptions = {}): SourceMesh {
  const { file } = { ...SOURCE_MESH_FROM_DOCUMENT_DEFAULTS, ...options };
  const root = document.getRoot();
  const nodeIndex = new Map(root.listNodes().map((node, i) => [node, i] as const));
  const meshIndex = new Map(root.listMeshes().map((mesh, i) => [mesh, i] as const));
  const defaultScene = root.getDefaultScene();
  const scenes = defaultScene ? [defaultScene] : root.listScenes();
  const placed: Node[] = [];
  if (scenes.length > 0) for (const scene of scenes) scene.traverse((node) => void (node.getMesh() && placed.push(node)));
  else for (const node of root.listNodes()) if (node.getMesh()) placed.push(node);

  const instances: Instance[] = [];
  let nonTriangles = 0, vertexTotal = 0, indexTotal = 0;
  for (const node of placed) {
    const mesh = node.getMesh()!;
    const world = node.getWorldMatrix();
    mesh.listPrimitives().forEach((primitive, p) => {
      const mode = primitive.getMode();
      if (mode !== Primitive.Mode.TRIANGLES && mode !== Primitive.Mode.TRIANGLE_STRIP && mode !== Primitive.Mode.TRIANGLE_FAN) {
        nonTriangles++;
        return;
      }
      const position = primitive.getAttribute('POSITION');
      if (!position || !position.getArray()) {
        throw new MeshError('PARSE', file, `primitive ${p} of mesh ${meshIndex.get(mesh)} has no POSITION data; the file is invalid glTF`);
      }
      // As stored: after a node transform one bad coordinate would be three.
      assertFinitePositions(file, position.getArray()!, position.getElementSize(), ` of primitive ${p} of mesh ${meshIndex.get(mesh)}`);
      if (!world.every(Number.isFinite)) {
        throw new MeshError('NAN_POSITION', file, `node ${nodeIndex.get(node)} (0-based) has a non-finite transform (matrix, translation, rotation or scale); fix it in the source file`);
      }
      const count = primitive.getIndices()?.getCount() ?? position.getCount();
      const corners = mode === Primitive.Mode.TRIANGLES ? count - (count % 3) : 3 * Math.max(0, count - 2);
      instances.push({ node: nodeIndex.get(node)!, mesh: meshIndex.get(mesh)!, primitive: p, source: primitive, world });
      vertexTotal += position.getCount();
      indexTotal += corners;
    });
  }
  assertVertexCount(file, vertexTotal);
  requireTriangles(file, indexTotal, nonTriangles > 0 ? 'points or lines' : null);

  const positions = new Float32Array(3 * vertexTotal);
  const triangles = new Uint32Array(indexTotal);
  const primitives: SourcePrimitive[] = [];
  let firstVertex = 0, corner = 0;
  for (const instance of instances) {
    const position = instance.source.getAttribute('POSITION')!;
    const vertexCount = position.getCount();
    writeWorldPositions(position, instance.world, positions, firstVertex);
    const flip = determinant3(instance.world) < 0;
    corner = writeTriangles(instance, vertexCount, firstVertex, flip, triangles, corner, file);
    primitives.push({ node: instance.node, mesh: instance.mesh, primitive: instance.primitive, firstVertex, vertexCount });
    firstVertex += vertexCount;
  }
  // Finite as stored, but a huge scale can still overflow float32.
  assertFinitePositions(file, positions, 3, ' (after its node transform)');
  return { file, positions, triangles: corner === triangles.length ? triangles : triangles.slice(0, corner), primitives };
}

// Decodes quantized/normalized positions (KHR_mesh_quantization) and applies the column-major world matrix.
function writeWorldPositions(accessor: Accessor, m: readonly number[], out: Float32Array, firstVertex: number): void {
  const array = accessor.getArray()!;
  const normalized = accessor.getNormalized(), componentType = accessor.getComponentType();
  const size = accessor.getElementSize();
  const count = accessor.getCount();
  for (let v = 0, o = 3 * firstVertex; v < count; v++, o += 3) {
    let x = array[size * v]!, y = array[size * v + 1]!, z = array[size * v + 2]!;
    if (normalized) {
      x = MathUtils.decodeNormalizedInt(x, componentType);
      y = MathUtils.decodeNormalizedInt(y, componentType);
      z = MathUtils.decodeNormalizedInt(z, componentType);
    }
    out[o] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    out[o + 1] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    out[o + 2] = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
  }
}

function determinant3(m: readonly number[]): number {
  return m[0]! * (m[5]! * m[10]! - m[9]! * m[6]!) - m[4]! * (m[1]! * m[10]! - m[9]! * m[2]!) + m[8]! * (m[1]! * m[6]! - m[5]! * m[2]!);
}

// Appends the instance's triangles (strips and fans converted, per the glTF spec) and returns the new corner count.
function writeTriangles(
  instance: Instance, vertexCount: number, base: number, flip: boolean, out: Uint32Array, corner: number, file: string,
): number {
  const accessor = instance.source.getIndices();
  const indices: TypedArray | null = accessor?.getArray() ?? null;
  const count = indices ? indices.length : vertexCount;
  const mode = instance.source.getMode();
  // KHR_mesh_primitive_restart: the largest value of the index type ends a strip or fan.
  const restart = indices && mode !== Primitive.Mode.TRIANGLES ? 2 ** (8 * indices.BYTES_PER_ELEMENT) - 1 : -1;
  const at = (i: number): number => {
    const v = indices ? indices[i]! : i;
    if (v >= vertexCount) {
      throw new MeshError('INDEX_OUT_OF_RANGE', file, `mesh ${instance.mesh} primitive ${instance.primitive} index ${i} refers to vertex ${v}, but POSITION has ${vertexCount}; the file is invalid glTF`);
    }
    return base + v;
  };
  const push = (a: number, b: number, c: number) => {
    out[corner] = a;
    out[corner + 1] = flip ? c : b;
    out[corner + 2] = flip ? b : c;
    corner += 3;
  };
  if (mode === Primitive.Mode.TRIANGLES) {
    for (let i = 0; i + 2 < count; i += 3) push(at(i), at(i + 1), at(i + 2));
    return corner;
  }
  for (let first = 0; first < count; ) {
    let end = first;
    while (end < count && (indices === null || indices[end] !== restart || restart < vertexCount)) end++;
    if (mode === Primitive.Mode.TRIANGLE_STRIP) {
      for (let i = first; i + 2 < end; i++) {
        const odd = (i - first) % 2;
        push(at(i), at(i + 1 + odd), at(i + 2 - odd));
      }
    } else for (let i = first + 1; i + 1 < end; i++) push(at(i), at(i + 1), at(first));
    first = end + 1;
  }
  return corner;
}
