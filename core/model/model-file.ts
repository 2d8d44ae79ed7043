import { crc32 } from './crc32.js';
import { ModelFileError } from './model-file-error.js';

/**
 * A trained model as one self-describing file: everything needed to rebuild the network, prepare
 * a mesh the way it was trained, and name its outputs. JSON fields round-trip as JSON does.
 */
export interface ModelFileContent {
  /** Always `'erlangen-model'`. */
  format: 'erlangen-model';
  /** The file version this content was read from or is written as. */
  version: 1;
  /** The network's layers and sizes. */
  architecture: Record<string, unknown>;
  /** How a mesh is prepared: hierarchy spacings, patch radii, normalisation. */
  preprocessing: Record<string, unknown>;
  /** The input feature specification. */
  features: Record<string, unknown>;
  /** Class names, index = label value; non-empty and distinct. */
  labels: string[];
  /** The flat weight vector, in the order the architecture defines. */
  parameters: Float32Array;
  /** Training information: epochs, seed, accuracy, date, data. */
  metadata?: Record<string, unknown>;
}

/** The first 8 bytes of every model file. */
export const MODEL_FILE_MAGIC = 'ERLANGEN';

/** The newest file version this code reads, and the one it writes. */
export const MODEL_FILE_VERSION = 1;

// Layout (all integers little-endian):
//   0   8 bytes  magic "ERLANGEN"
//   8   u32      file version
//   12  u32      H = byte length of the JSON header
//   16  H bytes  JSON header, UTF-8: every field but `parameters`, plus `parameterCount`
//   ..  0-3      zero bytes, so the parameters start at a multiple of 4
//   P   4·N      float32 parameters
//   end u32      CRC-32 (IEEE) of every byte before it
const MAGIC_BYTES = new TextEncoder().encode(MODEL_FILE_MAGIC);
const PREAMBLE_BYTES = 16;
const CHECKSUM_BYTES = 4;

// Typed arrays use the platform's byte order; the file is little-endian everywhere.
const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const align4 = (n: number) => (n + 3) & ~3;

/** The JSON header as stored: everything but the parameters, plus their count. */
interface ModelFileHeader extends Omit<ModelFileContent, 'parameters'> {
  parameterCount: number;
}

/**
 * Encodes a model as the bytes of an Erlangen model file (see the layout above).
 * Throws {@link ModelFileError} `INVALID` for content that {@link decodeModelFile} would refuse.
 */
export function encodeModelFile(content: ModelFileContent): Uint8Array {
  const header: ModelFileHeader = {
    format: 'erlangen-model',
    version: MODEL_FILE_VERSION,
    architecture: content.architecture,
    preprocessing: content.preprocessing,
    features: content.features,
    labels: content.labels,
    ...(content.metadata === undefined ? {} : { metadata: content.metadata }),
    parameterCount: content.parameters.length,
  };
  // Validate what will be read back, so a bad model fails when written, not when loaded later.
  validateHeader(JSON.parse(JSON.stringify(header)), '<model>');
  checkFinite(content.parameters, '<model>');

  const json = new TextEncoder().encode(JSON.stringify(header));
  const parametersAt = align4(PREAMBLE_BYTES + json.length);
  const checksumAt = parametersAt + 4 * content.parameters.length;
  const bytes = new Uint8Array(checksumAt + CHECKSUM_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint32(8, MODEL_FILE_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, PREAMBLE_BYTES);
  if (LITTLE_ENDIAN_PLATFORM) {
    bytes.set(new Uint8Array(content.parameters.buffer, content.parameters.byteOffset, checksumAt - parametersAt), parametersAt);
  } else {
    for (let i = 0; i < content.parameters.length; i++) view.setFloat32(parametersAt + 4 * i, content.parameters[i]!, true);
  }
  view.setUint32(checksumAt, crc32(bytes.subarray(0, checksumAt)), true);
  return bytes;
}

/**
 * Decodes and validates the bytes of an Erlangen model file.
 * @param file names the file in error messages (`<bytes>` if there is none).
 * @throws {@link ModelFileError} `NOT_A_MODEL`, `UNSUPPORTED_VERSION`, `TRUNCATED`, `CORRUPT` or `INVALID`.
 */
export function decodeModelFile(bytes: Uint8Array, file: string): ModelFileContent {
  const fail = (code: ModelFileError['code'], detail: string) => new ModelFileError(code, file, detail);
  for (let i = 0; i < Math.min(bytes.length, MAGIC_BYTES.length); i++) {
    if (bytes[i] !== MAGIC_BYTES[i]) throw fail('NOT_A_MODEL', `not an Erlangen model file (it starts with ${describeStart(bytes)})`);
  }
  if (bytes.length === 0) throw fail('TRUNCATED', 'truncated: the file is empty');
  if (bytes.length < PREAMBLE_BYTES) {
    throw fail('TRUNCATED', `truncated: ${bytes.length} bytes, shorter than the ${PREAMBLE_BYTES}-byte preamble of a model file`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > MODEL_FILE_VERSION) {
    throw fail('UNSUPPORTED_VERSION', `made by a newer version of erlangen (file version ${version}, this reads ${MODEL_FILE_VERSION}); update erlangen to load it`);
  }
  if (version < 1) throw fail('UNSUPPORTED_VERSION', `file version ${version} does not exist (this reads 1 to ${MODEL_FILE_VERSION})`);

  const headerLength = view.getUint32(12, true);
  const headerEnd = PREAMBLE_BYTES + headerLength;
  if (headerEnd + CHECKSUM_BYTES > bytes.length) {
    throw fail('TRUNCATED', `truncated: the header announces ${headerLength} bytes of JSON but the file has ${bytes.length} bytes in all`);
  }
  // With a matching checksum the bytes are as written, so later problems are the writer's (INVALID), not damage (CORRUPT).
  const checksumAt = bytes.length - CHECKSUM_BYTES;
  const intact = crc32(bytes.subarray(0, checksumAt)) === view.getUint32(checksumAt, true);
  const corrupt = () => fail('CORRUPT', 'corrupt: checksum mismatch (the file was changed or damaged after it was written)');

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, headerEnd)));
  } catch (error) {
    if (!intact) throw corrupt();
    throw new ModelFileError('INVALID', file, `invalid: the header is not UTF-8 JSON (${(error as Error).message})`, { cause: error });
  }
  const count = isRecord(header) ? header['parameterCount'] : undefined;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    if (!intact) throw corrupt();
    throw fail('INVALID', `invalid: parameterCount must be a non-negative integer, got ${JSON.stringify(count)}`);
  }
  const parametersAt = align4(headerEnd);
  const expectedLength = parametersAt + 4 * count + CHECKSUM_BYTES;
  if (expectedLength > bytes.length && !intact) {
    throw fail('TRUNCATED', `truncated: ${count} parameters need ${expectedLength} bytes, the file has ${bytes.length}`);
  }
  if (!intact) throw corrupt();
  if (expectedLength !== bytes.length) {
    throw fail('INVALID', `invalid: ${count} parameters need a file of ${expectedLength} bytes, this one has ${bytes.length}`);
  }
  for (let i = headerEnd; i < parametersAt; i++) {
    if (bytes[i] !== 0) throw fail('INVALID', `invalid: non-zero padding byte at offset ${i}`);
  }
  const valid = validateHeader(header, file);
  const parameters = readFloat32LE(bytes, parametersAt, count);
  checkFinite(parameters, file);
  const { parameterCount: _count, ...rest } = valid;
  return { ...rest, parameters };
}

/** Copies `count` little-endian float32 values starting at `offset` into a new array. */
function readFloat32LE(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const start = bytes.byteOffset + offset;
  // A copy of the bytes is aligned and owned, and on little-endian platforms (all in practice) it is already the answer.
  const buffer = bytes.buffer.slice(start, start + 4 * count) as ArrayBuffer;
  if (LITTLE_ENDIAN_PLATFORM) return new Float32Array(buffer);
  const view = new DataView(buffer);
  const parameters = new Float32Array(count);
  for (let i = 0; i < count; i++) parameters[i] = view.getFloat32(4 * i, true);
  return parameters;
}

/** Checks the header's fields and types; returns it typed. */
function validateHeader(header: unknown, file: string): ModelFileHeader {
  const invalid = (detail: string) => new ModelFileError('INVALID', file, `invalid: ${detail}`);
  if (!isRecord(header)) throw invalid('the header is not a JSON object');
  if (header['format'] !== 'erlangen-model') throw invalid(`format must be "erlangen-model", got ${JSON.stringify(header['format'])}`);
  if (header['version'] !== MODEL_FILE_VERSION) throw invalid(`header version ${JSON.stringify(header['version'])} does not match file version ${MODEL_FILE_VERSION}`);
  for (const key of ['architecture', 'preprocessing', 'features'] as const) {
    if (!isRecord(header[key])) throw invalid(`${key} must be a JSON object`);
  }
  if (header['metadata'] !== undefined && !isRecord(header['metadata'])) throw invalid('metadata must be a JSON object when present');
  const labels = header['labels'];
  if (!Array.isArray(labels) || labels.length === 0) throw invalid('labels must be a non-empty array of class names');
  const seen = new Set<string>();
  labels.forEach((label: unknown, i) => {
    if (typeof label !== 'string' || label === '') throw invalid(`label ${i} must be a non-empty string, got ${JSON.stringify(label)}`);
    if (seen.has(label)) throw invalid(`label "${label}" appears twice`);
    seen.add(label);
  });
  const count = header['parameterCount'];
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw invalid('parameterCount must be a non-negative integer');
  return header as unknown as ModelFileHeader;
}

function checkFinite(parameters: Float32Array, file: string): void {
  for (let i = 0; i < parameters.length; i++) {
    if (!Number.isFinite(parameters[i]!)) {
      throw new ModelFileError('INVALID', file, `invalid: parameter ${i} is ${parameters[i]} (training diverged?)`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first bytes as printable text, for "what is this file then?". */
function describeStart(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < Math.min(bytes.length, 8); i++) {
    const byte = bytes[i]!;
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
  }
  return `"${text}"${text.startsWith('glTF') ? ', a GLB scan?' : ''}`;
}
