import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../core/model/crc32.js';
import { decodeModelFile, encodeModelFile, type ModelFileContent } from '../../../core/model/model-file.js';
import { ModelFileError, type ModelFileErrorCode } from '../../../core/model/model-file-error.js';
import { reportError } from '../../../plugin/cli/report-error.js';

const FILE = 'models/body.erlm';

function sampleModel(parameterCount = 1001): ModelFileContent {
  const parameters = new Float32Array(parameterCount);
  // Values that a lossy (float64 → text → float32) path would not reproduce bit for bit.
  for (let i = 0; i < parameterCount; i++) parameters[i] = Math.sin(i * 12.9898) * 43758.5453 * 10 ** ((i % 7) - 3);
  parameters[0] = -0;
  parameters[1] = 1.401298464324817e-45; // smallest subnormal
  return {
    format: 'erlangen-model',
    version: 1,
    architecture: { layers: [{ kind: 'gem-conv', in: [4, 2], out: [16, 8, 4] }, { kind: 'linear', out: 8 }] },
    preprocessing: { spacings: [0.02, 0.05, 0.12], patchRadii: [0.04, 0.1, 0.24], normalise: 'sqrt-area' },
    features: { kind: 'gaussian-curvature+normals', channels: { rho0: 4, rho1: 2 } },
    labels: ['head', 'hand', 'lower-arm', 'upper-arm', 'body', 'upper-leg', 'lower-leg', 'foot', 'ünïcødé'],
    parameters,
    metadata: { epochs: 40, seed: 7, accuracy: 0.912, date: '2025-01-01T00:00:00.000Z', data: 'faust-parts/train' },
  };
}

function errorOf(action: () => unknown): ModelFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a ModelFileError');
}

function expectCode(bytes: Uint8Array, code: ModelFileErrorCode, message?: RegExp) {
  const error = errorOf(() => decodeModelFile(bytes, FILE));
  expect(error.code).toBe(code);
  expect(error.file).toBe(FILE);
  expect(error.message.startsWith(`${FILE}: `)).toBe(true);
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** Where the parameters start in an encoded file: after the 16-byte preamble and the padded header. */
function parametersOffset(bytes: Uint8Array): number {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return (16 + headerLength + 3) & ~3;
}

describe('crc32', () => {
  it('matches the standard check value and zlib on known inputs', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});

describe('model file', () => {
  it('round-trips: parameters bit for bit, JSON fields equal', () => {
    const model = sampleModel();
    const decoded = decodeModelFile(encodeModelFile(model), FILE);
    expect(new Uint32Array(decoded.parameters.buffer)).toEqual(new Uint32Array(model.parameters.buffer));
    expect(Object.is(decoded.parameters[0], -0)).toBe(true);
    const { parameters: _a, ...json } = decoded;
    const { parameters: _b, ...expected } = model;
    expect(json).toEqual(expected);
  });

  it('lays out magic, version, header length, aligned parameters and a trailing CRC-32', () => {
    const bytes = encodeModelFile(sampleModel(3));
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('ERLANGEN');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(1);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + view.getUint32(12, true))));
    expect(header.parameterCount).toBe(3);
    expect(header.parameters).toBeUndefined();
    const at = parametersOffset(bytes);
    expect(at % 4).toBe(0);
    expect(bytes.length).toBe(at + 3 * 4 + 4);
    expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes.subarray(0, bytes.length - 4)));
  });

  it('round-trips without metadata, with zero parameters, and from an unaligned view', () => {
    const { metadata: _m, ...bare } = sampleModel(0);
    const bytes = encodeModelFile(bare);
    const decoded = decodeModelFile(bytes, FILE);
    expect(decoded.metadata).toBeUndefined();
    expect(decoded.parameters.length).toBe(0);
    const full = encodeModelFile(sampleModel(10));
    const shifted = new Uint8Array(full.length + 1);
    shifted.set(full, 1);
    expect(Array.from(decodeModelFile(shifted.subarray(1), FILE).parameters)).toEqual(Array.from(sampleModel(10).parameters));
  });

  it('reports a flipped byte in the header or the parameters as CORRUPT', () => {
    const bytes = encodeModelFile(sampleModel());
    const inLabel = bytes.indexOf('h'.charCodeAt(0), 16 + new TextDecoder().decode(bytes.subarray(16)).indexOf('"head"'));
    const header = bytes.slice();
    header[inLabel]! ^= 0x01;
    expectCode(header, 'CORRUPT', /corrupt: checksum mismatch/);
    const parameters = bytes.slice();
    parameters[parametersOffset(bytes) + 4 * 500 + 2]! ^= 0x10;
    expectCode(parameters, 'CORRUPT', /checksum mismatch/);
    const checksum = bytes.slice();
    checksum[bytes.length - 1]! ^= 0x80;
    expectCode(checksum, 'CORRUPT');
  });

  it('never accepts a file with any single byte changed', () => {
    const bytes = encodeModelFile(sampleModel(5));
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i]! ^= 0x04;
      const error = errorOf(() => decodeModelFile(changed, FILE));
      // Size and version fields cannot be told apart from truncation or a newer file; everything else is CORRUPT.
      expect(['CORRUPT', 'TRUNCATED', 'NOT_A_MODEL', 'UNSUPPORTED_VERSION']).toContain(error.code);
    }
  });

  it('reports a cut file as TRUNCATED, wherever it is cut', () => {
    const bytes = encodeModelFile(sampleModel());
    expectCode(bytes.subarray(0, 0), 'TRUNCATED', /empty/);
    expectCode(bytes.subarray(0, 5), 'TRUNCATED');
    expectCode(bytes.subarray(0, 12), 'TRUNCATED');
    expectCode(bytes.subarray(0, 40), 'TRUNCATED');
    expectCode(bytes.subarray(0, parametersOffset(bytes) + 100), 'TRUNCATED', /truncated: 1001 parameters need/);
    expectCode(bytes.subarray(0, bytes.length - 1), 'TRUNCATED');
  });

  it('says a glTF or any other file is not a model', () => {
    const glb = new Uint8Array([0x67, 0x6c, 0x54, 0x46, 2, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expectCode(glb, 'NOT_A_MODEL', /not an Erlangen model file \(it starts with "glTF\.\.\.\.", a GLB scan\?\)/);
    expectCode(new TextEncoder().encode('OFF\n3 1 0\n'), 'NOT_A_MODEL', /not an Erlangen model file/);
  });

  it('says a file from a newer erlangen needs a newer erlangen', () => {
    const bytes = encodeModelFile(sampleModel());
    new DataView(bytes.buffer).setUint32(8, 2, true);
    expectCode(bytes, 'UNSUPPORTED_VERSION', /made by a newer version of erlangen \(file version 2, this reads 1\)/);
    new DataView(bytes.buffer).setUint32(8, 0, true);
    expectCode(bytes, 'UNSUPPORTED_VERSION');
  });

  it('reports well-checksummed but invalid content as INVALID', () => {
    const rewrite = (edit: (header: Record<string, unknown>) => void, parameters?: Float32Array) => {
      const bytes = encodeModelFile(sampleModel(4));
      const view = new DataView(bytes.buffer);
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + view.getUint32(12, true))));
      edit(header);
      const json = new TextEncoder().encode(JSON.stringify(header));
      const values = parameters ?? decodeModelFile(bytes, FILE).parameters;
      const at = (16 + json.length + 3) & ~3;
      const out = new Uint8Array(at + 4 * values.length + 4);
      const outView = new DataView(out.buffer);
      out.set(bytes.subarray(0, 8));
      outView.setUint32(8, 1, true);
      outView.setUint32(12, json.length, true);
      out.set(json, 16);
      values.forEach((v, i) => outView.setFloat32(at + 4 * i, v, true));
      outView.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
      return out;
    };
    expect(decodeModelFile(rewrite(() => {}), FILE).labels.length).toBe(9);
    expectCode(rewrite((h) => (h['labels'] = [])), 'INVALID', /labels/);
    expectCode(rewrite((h) => (h['labels'] = ['a', ''])), 'INVALID', /label 1/);
    expectCode(rewrite((h) => (h['labels'] = ['a', 3])), 'INVALID', /label 1/);
    expectCode(rewrite((h) => (h['labels'] = ['a', 'a'])), 'INVALID', /twice/);
    expectCode(rewrite((h) => delete h['architecture']), 'INVALID', /architecture/);
    expectCode(rewrite((h) => (h['features'] = [1])), 'INVALID', /features/);
    expectCode(rewrite((h) => (h['format'] = 'other')), 'INVALID', /format/);
    expectCode(rewrite((h) => (h['parameterCount'] = 3)), 'INVALID', /3 parameters need/);
    expectCode(rewrite((h) => (h['parameterCount'] = 'four')), 'INVALID', /parameterCount/);
    expectCode(rewrite(() => {}, new Float32Array([1, NaN, 2, 3])), 'INVALID', /parameter 1 is NaN/);
  });

  it('refuses to write a model it could not read back', () => {
    const broken = { ...sampleModel(2), parameters: new Float32Array([0, Infinity]) };
    expect(errorOf(() => encodeModelFile(broken)).code).toBe('INVALID');
    expect(errorOf(() => encodeModelFile({ ...sampleModel(2), labels: [] })).code).toBe('INVALID');
  });

  it('prints through the CLI as `erlangen: <file>: <message> [CODE]`', () => {
    let text = '';
    const exitCode = reportError(errorOf(() => decodeModelFile(new Uint8Array(3), FILE)), false, (t) => (text += t));
    expect(exitCode).toBe(1);
    expect(text).toBe(`erlangen: ${FILE}: not an Erlangen model file (it starts with "...") [NOT_A_MODEL]\n`);
  });
});
