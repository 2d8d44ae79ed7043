/// <reference types="@webgpu/types" />
import { WebGpuError } from './webgpu-error.js';

/** Threads per workgroup of every kernel: two warps / one wavefront, a good default for coalescing. */
export const WORKGROUP_SIZE = 64;

/** Bytes between the uniform blocks of consecutive dispatches (WebGPU's minimum offset alignment). */
const UNIFORM_STRIDE = 256;

/** Per-dispatch values every kernel reads as `params` at binding 0. */
export interface DispatchUniforms {
  /** Rows of the output chunk this dispatch writes. */
  readonly rowCount: number;
  /** First and one-past-last source row held by the bound source chunk. */
  readonly sourceBegin?: number;
  readonly sourceEnd?: number;
  /** 1 on the first pass over source chunks (write), 0 on later ones (accumulate). */
  readonly first?: number;
}

/** One compute dispatch: a pipeline, its storage bindings 1…n in order, and a workgroup count. */
export interface Dispatch {
  readonly pipeline: GPUComputePipeline;
  readonly uniforms: DispatchUniforms;
  readonly storage: readonly GPUBuffer[];
  readonly workgroups: number;
}

/** The limits the kernels and the chunking read. */
export interface GpuLimits {
  /** Largest storage binding used for per-vertex data, bytes (device limit, or less when capped). */
  readonly bindingBytes: number;
  /** Largest storage binding the device allows, bytes (used for layer weights). */
  readonly deviceBindingBytes: number;
  readonly workgroupStorageBytes: number;
  readonly workgroupsPerDimension: number;
}

/**
 * A GPUDevice with a pipeline cache, a buffer arena freed after each job, and one-submission
 * execution of a list of dispatches followed by read-backs.
 */
export class GpuContext {
  readonly device: GPUDevice;
  readonly limits: GpuLimits;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private arena: GPUBuffer[] = [];
  private querySets: GPUQuerySet[] = [];
  /** Set when the device is lost; every later call fails with DEVICE_LOST. */
  lostReason: string | null = null;
  /** Whether a job's error scopes are pushed. */
  private scoped = false;
  /** GPU time of the last {@link execute}'s compute pass in ms (timestamp queries), or null when the device has none. */
  lastPassMs: number | null = null;

  constructor(device: GPUDevice, bindingCap?: number) {
    this.device = device;
    const deviceBinding = device.limits.maxStorageBufferBindingSize;
    const capped = Math.min(deviceBinding, bindingCap ?? Infinity, device.limits.maxBufferSize);
    this.limits = {
      bindingBytes: Math.max(16, Math.floor(capped / 16) * 16),
      deviceBindingBytes: deviceBinding,
      workgroupStorageBytes: device.limits.maxComputeWorkgroupStorageSize,
      workgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    };
    void device.lost.then((info) => {
      this.lostReason = `${info.reason}: ${info.message}`;
    });
  }

  /** The compute pipeline of `code` (entry `main`), compiled once per distinct code. */
  pipeline(code: string): GPUComputePipeline {
    let pipeline = this.pipelines.get(code);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code });
      pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(code, pipeline);
    }
    return pipeline;
  }

  /** A storage buffer of `bytes` (at least 16), kept until {@link release}. */
  storage(bytes: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    const buffer = this.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    this.arena.push(buffer);
    return buffer;
  }

  /** A storage buffer holding `data` (queued write: part of the job's single upload). */
  upload(data: ArrayBufferView): GPUBuffer {
    const buffer = this.storage(data.byteLength);
    if (data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** Starts a job: errors of every buffer, pipeline and dispatch until {@link execute} are caught and typed. */
  beginJob(): void {
    this.checkAlive();
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    this.scoped = true;
  }

  /** Pops the job's error scopes; an out-of-memory or validation error becomes a WebGpuError. */
  private async endScopes(): Promise<void> {
    if (!this.scoped) return;
    this.scoped = false;
    const validation = await this.device.popErrorScope();
    const memory = await this.device.popErrorScope();
    this.checkAlive();
    if (memory) throw new WebGpuError('OUT_OF_MEMORY', `the GPU ran out of memory (${memory.message}); use a smaller mesh or \`--backend cpu\`.`);
    if (validation) throw new WebGpuError('INTERNAL', `WebGPU validation failed: ${validation.message}. This is a bug in erlangen; \`--backend cpu\` works meanwhile.`);
  }

  /** Runs the dispatches in one compute pass, then reads back `reads` (buffer, bytes) in the same submission. */
  async execute(dispatches: readonly Dispatch[], reads: readonly { buffer: GPUBuffer; bytes: number }[]): Promise<ArrayBuffer[]> {
    this.checkAlive();
    const device = this.device;
    const uniformData = new Uint32Array((Math.max(1, dispatches.length) * UNIFORM_STRIDE) / 4);
    dispatches.forEach((d, i) => {
      const u = d.uniforms, o = (i * UNIFORM_STRIDE) / 4;
      uniformData.set([u.rowCount, u.sourceBegin ?? 0, u.sourceEnd ?? 0, u.first ?? 1], o);
    });
    const uniforms = device.createBuffer({ size: uniformData.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.arena.push(uniforms);
    device.queue.writeBuffer(uniforms, 0, uniformData);
    const encoder = device.createCommandEncoder();
    // With 'timestamp-query' enabled, the pass's start and end times go to a query set read back with the results.
    const timing = device.features.has('timestamp-query') ? this.timestampQueries() : null;
    const pass = encoder.beginComputePass(timing ? { timestampWrites: { querySet: timing.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
    dispatches.forEach((d, i) => {
      if (d.workgroups === 0) return;
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms, offset: i * UNIFORM_STRIDE, size: 16 } }];
      d.storage.forEach((buffer, b) => entries.push({ binding: b + 1, resource: { buffer } }));
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: d.pipeline.getBindGroupLayout(0), entries }));
      const x = Math.min(d.workgroups, this.limits.workgroupsPerDimension);
      pass.dispatchWorkgroups(x, Math.ceil(d.workgroups / x));
    });
    pass.end();
    if (timing) encoder.resolveQuerySet(timing.querySet, 0, 2, timing.resolved, 0);
    const staging = [...reads, ...(timing ? [{ buffer: timing.resolved, bytes: 16 }] : [])].map(({ buffer, bytes }) => {
      const size = Math.max(16, Math.ceil(bytes / 4) * 4);
      const target = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      this.arena.push(target);
      encoder.copyBufferToBuffer(buffer, 0, target, 0, Math.min(size, buffer.size));
      return target;
    });
    device.queue.submit([encoder.finish()]);
    await this.endScopes();
    try {
      await Promise.all(staging.map((b) => b.mapAsync(GPUMapMode.READ)));
    } catch (error) {
      this.checkAlive();
      throw new WebGpuError('DEVICE_LOST', `reading results back failed: ${(error as Error).message}`, { cause: error });
    }
    if (timing) {
      const [begin, end] = new BigUint64Array(staging[reads.length]!.getMappedRange(0, 16));
      this.lastPassMs = Number(end! - begin!) / 1e6;
    }
    return reads.map((read, i) => staging[i]!.getMappedRange(0, Math.ceil(read.bytes / 4) * 4).slice(0));
  }

  /** A two-entry timestamp query set and the buffer it resolves into, freed with the job. */
  private timestampQueries(): { querySet: GPUQuerySet; resolved: GPUBuffer } {
    const querySet = this.device.createQuerySet({ type: 'timestamp', count: 2 });
    const resolved = this.device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.arena.push(resolved);
    this.querySets.push(querySet);
    return { querySet, resolved };
  }

  /** Runs one dispatch on an x × y grid of workgroups and waits for a small read-back: for measurements. */
  async executeGrid(dispatch: Dispatch, x: number, y: number, read: { buffer: GPUBuffer; bytes: number }): Promise<void> {
    this.checkAlive();
    const device = this.device;
    const uniforms = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.arena.push(uniforms);
    device.queue.writeBuffer(uniforms, 0, Uint32Array.from([dispatch.uniforms.rowCount, 0, 0, 1]));
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms } }];
    dispatch.storage.forEach((buffer, b) => entries.push({ binding: b + 1, resource: { buffer } }));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(dispatch.pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: dispatch.pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(x, y);
    pass.end();
    const target = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.arena.push(target);
    encoder.copyBufferToBuffer(read.buffer, 0, target, 0, 16);
    device.queue.submit([encoder.finish()]);
    await target.mapAsync(GPUMapMode.READ);
    target.unmap();
  }

  /** Ends the job: closes its error scopes (when execute did not) and destroys its buffers. */
  async release(): Promise<void> {
    await this.endScopes().catch(() => undefined);
    for (const buffer of this.arena) buffer.destroy();
    for (const querySet of this.querySets) querySet.destroy();
    this.arena = [];
    this.querySets = [];
  }

  /** Throws DEVICE_LOST when the device is gone. */
  checkAlive(): void {
    if (this.lostReason !== null) throw new WebGpuError('DEVICE_LOST', `the GPU device was lost (${this.lostReason}); create a new backend or use \`--backend cpu\`.`);
  }
}

/** Number of workgroups of WORKGROUP_SIZE threads covering `items`. */
export function groupsFor(items: number): number {
  return Math.ceil(items / WORKGROUP_SIZE);
}

/** WGSL shared by every kernel: the uniform block at binding 0 and the linear workgroup index. */
export const WGSL_PRELUDE = /* wgsl */ `
struct Params { rowCount: u32, sourceBegin: u32, sourceEnd: u32, first: u32 }
@group(0) @binding(0) var<uniform> params: Params;
fn groupIndex(wid: vec3<u32>, groups: vec3<u32>) -> u32 { return wid.x + wid.y * groups.x; }
`;
