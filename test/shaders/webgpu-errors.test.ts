/// <reference types="@webgpu/types" />
import { describe, expect, it } from 'vitest';
import { createWebGpuBackend, WebGpuError } from '../../shaders/index.js';
import { Network } from '../../core/model/network.js';
import { prepareNetworkInput } from '../../core/model/network-input.js';
import { bumpySphere, SMALL_PREPROCESSING, smallArchitecture } from '../core/model/network-fixtures.js';
import { KernelHarness } from './kernel-harness.js';
import { describeGpu, testBackend } from './webgpu-fixture.js';

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<WebGpuError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WebGpuError);
    return error as WebGpuError;
  }
  throw new Error('expected a rejection');
}

describe('WebGPU backend without an adapter', () => {
  it('fails with NO_ADAPTER, saying how to get one and that --backend cpu works, when requestAdapter gives null', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    const error = await rejection(createWebGpuBackend({ gpu }));
    expect(error.code).toBe('NO_ADAPTER');
    expect(error.message).toMatch(/webgpu/);
    expect(error.message).toMatch(/--backend cpu/);
  });

  it('fails with NO_ADAPTER when requestAdapter throws', async () => {
    const gpu = { requestAdapter: async () => { throw new Error('driver blocklisted'); } } as unknown as GPU;
    const error = await rejection(createWebGpuBackend({ gpu }));
    expect(error.code).toBe('NO_ADAPTER');
    expect(error.message).toMatch(/driver blocklisted/);
  });

  it('fails with NO_ADAPTER when the adapter will not create a device', async () => {
    const adapter = { limits: {}, info: {}, requestDevice: async () => { throw new Error('limits not supported'); } };
    const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
    expect((await rejection(createWebGpuBackend({ gpu }))).code).toBe('NO_ADAPTER');
  });
});

describeGpu('WebGPU backend errors with an adapter', () => {
  const input = prepareNetworkInput(bumpySphere(2), SMALL_PREPROCESSING);
  const network = new Network(smallArchitecture(12), input.featureShape);

  it('rejects a wrong parameter count with INVALID_INPUT', async () => {
    const backend = await testBackend();
    try {
      expect((await rejection(backend.predict(network, new Float32Array(3), input))).code).toBe('INVALID_INPUT');
    } finally {
      backend.dispose();
    }
  });

  it('fails with DEVICE_LOST after dispose', async () => {
    const backend = await testBackend();
    backend.dispose();
    const error = await rejection(backend.predict(network, new Float32Array(network.parameterCount), input));
    expect(error.code).toBe('DEVICE_LOST');
  });

  it('fails with DEVICE_LOST when the device is lost under a running backend', async () => {
    const harness = await KernelHarness.create();
    harness.context.device.destroy();
    await harness.context.device.lost;
    const error = await rejection(harness.add(new Float32Array(8), new Float32Array(8), 4));
    expect(error.code).toBe('DEVICE_LOST');
  });
});
