import { beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../../core/model/model.js';
import type { NetworkInput } from '../../../core/model/network-input.js';
import { createOnnxBackend } from '../../../plugin/onnx/onnx-backend.js';
import { OnnxError } from '../../../plugin/onnx/onnx-error.js';
import { exportOnnx } from '../../../plugin/onnx/export-onnx.js';
import { loadOnnxRuntime, type OnnxRuntimeKind } from '../../../plugin/onnx/onnx-runtime.js';
import { bundledModel, clearLabelMismatches, describeRuntime, relativeError, simplifiedBody, SMPL_MAN, SMPL_WOMAN } from './onnx-fixture.js';

// float32 throughout against the cpu's float64 accumulators, over ~65 layers: measured ≤ 5e-7 of the logits' scale.
const LOGIT_TOLERANCE = 1e-4;

let model: Model;
let onnx: Uint8Array;
/** Two different meshes (vertex counts, neighbour counts): one exported file must serve both. */
const bodies: { name: string; input: NetworkInput; logits: Float32Array }[] = [];

beforeAll(async () => {
  model = await bundledModel();
  onnx = exportOnnx(model);
  for (const [name, path, vertices] of [['man', SMPL_MAN, 1500], ['woman', SMPL_WOMAN, 1100]] as const) {
    const input = await simplifiedBody(model, path, vertices);
    bodies.push({ name, input, logits: model.network.forward(model.parameters, input).logits });
  }
});

function describeAgreement(runtime: OnnxRuntimeKind): void {
  describeRuntime(runtime)(`onnx backend on onnxruntime-${runtime}`, () => {
    it('gives the cpu logits within 1e-4 of their scale, and the same labels, on two simplified SMPL bodies with one file', async () => {
      const backend = await createOnnxBackend(model, { runtime, threads: 1, onnx });
      try {
        for (const body of bodies) {
          const prediction = await backend.predict(body.input);
          expect(prediction.logits.length).toBe(body.input.meshVertexCount * model.architecture.classes);
          const error = relativeError(prediction.logits, body.logits);
          expect(error, body.name).toBeLessThan(LOGIT_TOLERANCE);
          // Labels may only differ where the cpu's top two logits are within the error bound of each other.
          const scale = Math.max(...Array.from(body.logits, Math.abs));
          expect(clearLabelMismatches(prediction.labels, body.logits, model.architecture.classes, 2 * LOGIT_TOLERANCE * scale), body.name).toBe(0);
          for (const c of prediction.confidences) expect(c > 1 / model.architecture.classes - 1e-6 && c <= 1 + 1e-6).toBe(true);
        }
      } finally {
        await backend.dispose();
      }
    });
  });
}

describeAgreement('node');
describeAgreement('web');

describeRuntime('node')('onnx backend errors', () => {
  it('refuses to run after dispose with RUN_FAILED', async () => {
    const backend = await createOnnxBackend(model, { runtime: 'node', onnx });
    await backend.dispose();
    await expect(backend.predict(bodies[0]!.input)).rejects.toMatchObject({ code: 'RUN_FAILED' });
  });

  it('reports bytes that are not an ONNX model as SESSION_FAILED', async () => {
    const error = await createOnnxBackend(model, { runtime: 'node', onnx: new TextEncoder().encode('not an onnx model') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxError);
    expect((error as OnnxError).code).toBe('SESSION_FAILED');
    expect((error as OnnxError).message).toMatch(/^onnxruntime-node: refused the exported model/);
  });

  it('reports an input prepared for fewer levels than the model has as INPUT_MISMATCH', async () => {
    const backend = await createOnnxBackend(model, { runtime: 'node', onnx });
    try {
      const input = bodies[0]!.input;
      await expect(backend.predict({ ...input, levels: input.levels.slice(0, 1) })).rejects.toMatchObject({ code: 'INPUT_MISMATCH' });
    } finally {
      await backend.dispose();
    }
  });
});

describe('loadOnnxRuntime', () => {
  it('turns a missing package into RUNTIME_MISSING naming the package and how to install it', async () => {
    const missing = Object.assign(new Error("Cannot find package 'onnxruntime-web'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await loadOnnxRuntime('web', () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxError);
    expect((error as OnnxError).code).toBe('RUNTIME_MISSING');
    expect((error as OnnxError).file).toBe('onnxruntime-web');
    expect((error as OnnxError).message).toMatch(/ERR_MODULE_NOT_FOUND.*npm install onnxruntime-web/);
  });

  it('refuses a module without InferenceSession', async () => {
    await expect(loadOnnxRuntime('node', () => Promise.resolve({ default: {} }))).rejects.toMatchObject({ code: 'RUNTIME_MISSING' });
  });
});
