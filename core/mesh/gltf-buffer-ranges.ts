import type { GLTF } from '@gltf-transform/core';
import { MeshError } from './mesh-error.js';

/** The bytes a glTF buffer resolved to, and where they came from, for messages. */
export interface GltfBufferBytes {
  readonly bytes: Uint8Array;
  /** E.g. `the GLB binary chunk`, `its data: URI`, `mesh.bin`. */
  readonly source: string;
}

// glTF-Transform decodes these bufferViews itself; only their compressed range is read raw.
const MESHOPT = 'EXT_meshopt_compression';
const COMPONENT_BYTES: Readonly<Record<number, number>> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4, 5130: 8, 5131: 2 };
const TYPE_COMPONENTS: Readonly<Record<string, number>> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
// A message lists this many problems; a corrupt scan can have thousands.
const LISTED_PROBLEMS = 3;

/** One range of elements read from a bufferView: an accessor, or a sparse accessor's indices or values. */
interface ElementRange {
  readonly what: string;
  readonly bufferView: number;
  readonly byteOffset: number;
  readonly count: number;
  readonly type: string;
  readonly componentType: number;
}

/**
 * Throws TRUNCATED when an accessor reads past its bufferView, or a bufferView lies past its
 * buffer's declared length or the bytes it actually has (`buffers[i]`, where known). glTF-Transform
 * reads such ranges without a check, getting garbage from whatever memory follows. Only what is
 * read raw is checked: sparse indices and values like accessors, meshopt-compressed bufferViews by
 * their compressed range (their accessors are the decoder's), Draco's accessors not at all.
 */
export function assertGltfRangesFit(file: string, json: GLTF.IGLTF, buffers: readonly (GltfBufferBytes | undefined)[]): void {
  const problems = [...bufferViewProblems(json, buffers), ...accessorProblems(json)];
  if (problems.length === 0) return;
  const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : '';
  throw new MeshError(
    'TRUNCATED',
    file,
    `${problems.slice(0, LISTED_PROBLEMS).join('; ')}${more}; the file is cut short or corrupt (re-export it, or check it with the glTF validator)`,
  );
}

function bufferViewProblems(json: GLTF.IGLTF, buffers: readonly (GltfBufferBytes | undefined)[]): string[] {
  const problems: string[] = [];
  const check = (what: string, index: number, byteOffset: number, byteLength: number) => {
    const buffer = json.buffers?.[index];
    if (!buffer) return;
    const end = byteOffset + byteLength;
    const span = `${what} spans bytes ${byteOffset}–${end} of buffer ${index}`;
    const data = buffers[index];
    if (end > buffer.byteLength) problems.push(`${span}, which declares ${buffer.byteLength} bytes`);
    else if (data && end > data.bytes.byteLength) problems.push(`${span}, but its data (${data.source}) holds ${data.bytes.byteLength} bytes`);
  };
  (json.bufferViews ?? []).forEach((view, v) => {
    const meshopt = view.extensions?.[MESHOPT] as { buffer: number; byteOffset?: number; byteLength: number } | undefined;
    if (meshopt) check(`the ${MESHOPT} data of bufferView ${v}`, meshopt.buffer, meshopt.byteOffset ?? 0, meshopt.byteLength);
    else check(`bufferView ${v}`, view.buffer, view.byteOffset ?? 0, view.byteLength);
  });
  return problems;
}

function accessorProblems(json: GLTF.IGLTF): string[] {
  const problems: string[] = [];
  (json.accessors ?? []).forEach((accessor, a) => {
    const ranges: ElementRange[] = [];
    const { componentType, type } = accessor;
    if (accessor.bufferView !== undefined) {
      ranges.push({ what: `accessor ${a}`, bufferView: accessor.bufferView, byteOffset: accessor.byteOffset ?? 0, count: accessor.count, type, componentType });
    }
    const sparse = accessor.sparse;
    if (sparse) {
      const { indices, values, count } = sparse;
      ranges.push({ what: `the sparse indices of accessor ${a}`, bufferView: indices.bufferView, byteOffset: indices.byteOffset ?? 0, count, type: 'SCALAR', componentType: indices.componentType });
      ranges.push({ what: `the sparse values of accessor ${a}`, bufferView: values.bufferView, byteOffset: values.byteOffset ?? 0, count, type, componentType });
    }
    for (const range of ranges) {
      const problem = elementRangeProblem(json, range);
      if (problem) problems.push(problem);
    }
  });
  return problems;
}

function elementRangeProblem(json: GLTF.IGLTF, range: ElementRange): string | null {
  const view = json.bufferViews?.[range.bufferView];
  const componentBytes = COMPONENT_BYTES[range.componentType];
  const components = TYPE_COMPONENTS[range.type];
  // Unknown references and types are glTF-Transform's to report; a meshopt view is decoded, not read raw.
  if (!view || view.extensions?.[MESHOPT] || componentBytes === undefined || components === undefined || !(range.count > 0)) return null;
  const elementBytes = components * componentBytes;
  // As glTF-Transform reads: a bufferView's byteStride, else tightly packed.
  const stride = view.byteStride ?? elementBytes;
  const end = range.byteOffset + (range.count - 1) * stride + elementBytes;
  if (end <= view.byteLength) return null;
  const size = `${elementBytes} byte${elementBytes === 1 ? '' : 's'}${stride === elementBytes ? '' : `, ${stride} apart,`}`;
  return `${range.what}: ${range.count} ${range.type} elements of ${size} end at byte ${end} of bufferView ${range.bufferView}, which holds ${view.byteLength} bytes`;
}
