import { MeshError } from './mesh-error.js';
import { latin1 } from './text-scanner.js';

/** Scalar types of PLY properties, by their sized names; `char`, `uchar`, `float`… are aliases. */
export type PlyScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** One property of a PLY element: a scalar, or a list with its own count type. */
export interface PlyProperty {
  readonly name: string;
  /** Type of the value, or of each list item. */
  readonly type: PlyScalarType;
  /** Type of the list length, for list properties; null for scalars. */
  readonly countType: PlyScalarType | null;
}

/** One element (`vertex`, `face`, or anything else) declared in a PLY header. */
export interface PlyElement {
  readonly name: string;
  readonly count: number;
  readonly properties: readonly PlyProperty[];
}

/** A parsed PLY header and where the body starts. */
export interface PlyHeader {
  readonly format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  readonly elements: readonly PlyElement[];
  /** Byte offset of the first byte after `end_header`'s newline. */
  readonly bodyStart: number;
  /** Line number of the first body line, for ASCII error messages. */
  readonly bodyLine: number;
}

/** Bytes per value of each PLY scalar type. */
export const PLY_TYPE_SIZE: Record<PlyScalarType, number> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8,
};

const TYPE_ALIASES: Record<string, PlyScalarType> = {
  char: 'int8', uchar: 'uint8', short: 'int16', ushort: 'uint16', int: 'int32', uint: 'uint32',
  float: 'float32', double: 'float64', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16',
  int32: 'int32', uint32: 'uint32', float32: 'float32', float64: 'float64',
};
// Headers are short; one longer than this is not a PLY file worth reading.
const MAX_HEADER_BYTES = 1 << 20;

/** Parses the header of a PLY file (everything up to `end_header`). */
export function readPlyHeader(bytes: Uint8Array, file: string): PlyHeader {
  const head = latin1(bytes, 0, Math.min(bytes.length, MAX_HEADER_BYTES));
  const end = /(^|\n)end_header[ \t]*(\r?\n|$)/.exec(head);
  if (!/^ply\r?\n/.test(head)) throw new MeshError('PARSE', file, 'does not start with the PLY magic line "ply"; is this really a PLY file?');
  if (!end) {
    throw new MeshError(bytes.length < MAX_HEADER_BYTES ? 'TRUNCATED' : 'PARSE', file, 'has no "end_header" line; the file is cut short or not a PLY file');
  }
  const lines = head.slice(0, end.index).split('\n');
  let format: PlyHeader['format'] | null = null;
  const elements: { name: string; count: number; properties: PlyProperty[] }[] = [];
  const fail = (line: number, detail: string) => new MeshError('PARSE', file, `header line ${line + 1}: ${detail}`);
  for (let i = 1; i < lines.length; i++) {
    const words = lines[i]!.trim().split(/\s+/);
    const keyword = words[0];
    if (keyword === '' || keyword === 'comment' || keyword === 'obj_info') continue;
    if (keyword === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
        throw fail(i, `unknown format "${words[1]}"; expected ascii, binary_little_endian or binary_big_endian`);
      }
      format = words[1];
    } else if (keyword === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !Number.isInteger(count) || count < 0) throw fail(i, `expected "element <name> <count>", found "${lines[i]!.trim()}"`);
      elements.push({ name: words[1]!, count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements[elements.length - 1];
      if (!element) throw fail(i, 'a property comes before any element');
      const list = words[1] === 'list';
      const type = TYPE_ALIASES[words[list ? 3 : 1]!];
      const countType = list ? TYPE_ALIASES[words[2]!] : null;
      if (!type || countType === undefined || words.length !== (list ? 5 : 3)) throw fail(i, `cannot read property "${lines[i]!.trim()}"`);
      element.properties.push({ name: words[list ? 4 : 2]!, type, countType });
    } else {
      throw fail(i, `unknown header keyword "${keyword}"`);
    }
  }
  if (!format) throw new MeshError('PARSE', file, 'the header has no "format" line');
  const bodyStart = end.index + end[0].length;
  return { format, elements, bodyStart, bodyLine: lines.length + 2 };
}

/** Fewest bytes one record of the element can take: binary exactly (lists empty), ASCII one character and one separator per value. */
export function minimumRecordBytes(element: PlyElement, binary: boolean): number {
  let bytes = 0;
  for (const property of element.properties) {
    bytes += binary ? PLY_TYPE_SIZE[property.countType ?? property.type] : 2;
  }
  return bytes;
}
