import { fieldWidth, type FieldShape } from './feature-layout.js';

/**
 * cos(n g_f), sin(n g_f) for n = 1..M at [f · M + n − 1], grown to the largest band limit asked
 * for, so one pooling object serves fields of every shape.
 */
class TransportHarmonics {
  /** Orders held, also the stride of cos and sin. */
  stride = 0;
  cos = new Float64Array(0);
  sin = new Float64Array(0);
  constructor(private readonly transport: Float32Array) {}

  /** Harmonics up to at least `orders`, laid out with stride `this.stride`. */
  upTo(orders: number): this {
    if (orders <= this.stride) return this;
    const F = this.transport.length;
    this.cos = new Float64Array(F * orders);
    this.sin = new Float64Array(F * orders);
    for (let f = 0; f < F; f++) {
      for (let n = 1; n <= orders; n++) {
        this.cos[f * orders + n - 1] = Math.cos(n * this.transport[f]!);
        this.sin[f * orders + n - 1] = Math.sin(n * this.transport[f]!);
      }
    }
    this.stride = orders;
    return this;
  }
}

/**
 * Rotates each order-n pair of `field` vertex f (stride width) by sign · n · g_f into `out`
 * (out[o0 …] = or += when accumulate), scaled by `scale`.
 */
function rotateVertexInto(
  field: Float32Array, f0: number, out: Float32Array, o0: number, shape: FieldShape,
  h: TransportHarmonics, f: number, sign: number, scale: number, accumulate: boolean,
): void {
  const M = shape.maxOrder, D = 2 * M + 1;
  for (let c = 0; c < shape.channels; c++) {
    const b = c * D;
    const x0 = scale * field[f0 + b]!;
    out[o0 + b] = accumulate ? out[o0 + b]! + x0 : x0;
    for (let n = 1; n <= M; n++) {
      const cs = h.cos[f * h.stride + n - 1]!, sn = sign * h.sin[f * h.stride + n - 1]!;
      const i = b + 2 * n - 1;
      const a = field[f0 + i]!, bb = field[f0 + i + 1]!;
      const ya = scale * (cs * a - sn * bb), yb = scale * (sn * a + cs * bb);
      out[o0 + i] = accumulate ? out[o0 + i]! + ya : ya;
      out[o0 + i + 1] = accumulate ? out[o0 + i + 1]! + yb : yb;
    }
  }
}

/**
 * Parallel-transport pooling: coarse vertex c gets the mean over its fine vertices f
 * (parent[f] = c) of ρ(g_f) x_f, where g_f = g_{f→c} (the hierarchy's parentTransportAngle)
 * and ρ(g) rotates each order-n pair by n·g. A coarse vertex without children gets 0.
 * Equivariant: with x_f → ρ(−φ_f) x_f and g_f → g_f + φ_f − φ_c the result turns by ρ(−φ_c).
 */
export class Pooling {
  /** Floats of the parameter slice: none. */
  readonly parameterCount = 0;
  private readonly harmonics: TransportHarmonics;
  /** 1 / children per coarse vertex (0 when childless). */
  private readonly inverseCount: Float64Array;

  /**
   * @param parent per fine vertex, its coarse vertex.
   * @param transport per fine vertex, g_{f→parent} in radians.
   * @param coarseCount number of coarse vertices.
   */
  constructor(readonly parent: Uint32Array, readonly transport: Float32Array, readonly coarseCount: number) {
    this.harmonics = new TransportHarmonics(transport);
    this.inverseCount = new Float64Array(coarseCount);
    for (let f = 0; f < parent.length; f++) this.inverseCount[parent[f]!]++;
    for (let c = 0; c < coarseCount; c++) if (this.inverseCount[c]! > 0) this.inverseCount[c] = 1 / this.inverseCount[c]!;
  }

  /** output (coarseCount · width) from input (fine · width). */
  forward(shape: FieldShape, input: Float32Array, output: Float32Array): void {
    const W = fieldWidth(shape), h = this.harmonics.upTo(shape.maxOrder);
    output.fill(0, 0, this.coarseCount * W);
    for (let f = 0; f < this.parent.length; f++) {
      const c = this.parent[f]!;
      rotateVertexInto(input, f * W, output, c * W, shape, h, f, 1, this.inverseCount[c]!, true);
    }
  }

  /** Overwrites gradInput (fine · width) from gradOutput (coarseCount · width). */
  backward(shape: FieldShape, gradOutput: Float32Array, gradInput: Float32Array): void {
    const W = fieldWidth(shape), h = this.harmonics.upTo(shape.maxOrder);
    for (let f = 0; f < this.parent.length; f++) {
      const c = this.parent[f]!;
      rotateVertexInto(gradOutput, c * W, gradInput, f * W, shape, h, f, -1, this.inverseCount[c]!, false);
    }
  }
}

/**
 * Parallel-transport unpooling: x_f = ρ(−g_f) x_{parent[f]}, the coarse feature carried back to
 * the fine vertex. Equivariant under gauge changes of both levels, like {@link Pooling}.
 */
export class Unpooling {
  /** Floats of the parameter slice: none. */
  readonly parameterCount = 0;
  private readonly harmonics: TransportHarmonics;

  /** Same arguments as {@link Pooling}. */
  constructor(readonly parent: Uint32Array, readonly transport: Float32Array, readonly coarseCount: number) {
    this.harmonics = new TransportHarmonics(transport);
  }

  /** output (fine · width) from input (coarseCount · width). */
  forward(shape: FieldShape, input: Float32Array, output: Float32Array): void {
    const W = fieldWidth(shape), h = this.harmonics.upTo(shape.maxOrder);
    for (let f = 0; f < this.parent.length; f++) {
      rotateVertexInto(input, this.parent[f]! * W, output, f * W, shape, h, f, -1, 1, false);
    }
  }

  /** Overwrites gradInput (coarseCount · width) from gradOutput (fine · width). */
  backward(shape: FieldShape, gradOutput: Float32Array, gradInput: Float32Array): void {
    const W = fieldWidth(shape), h = this.harmonics.upTo(shape.maxOrder);
    gradInput.fill(0, 0, this.coarseCount * W);
    for (let f = 0; f < this.parent.length; f++) {
      rotateVertexInto(gradOutput, f * W, gradInput, this.parent[f]! * W, shape, h, f, 1, 1, true);
    }
  }
}
