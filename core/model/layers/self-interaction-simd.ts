import { align16, ensureBytes, placeRegions } from '../../wasm/memory-regions.js';
import type { SelfInteractionSpec } from './self-interaction.js';
import {
  accumulateF32x4, add, addF32x4, buildModule, forRange, get, I32, instantiate, int, lazyModule, loadF32, loadF32x4, Locals, mul, mulF32x4, set,
  splatF32x4, storeF32, subF32x4, V128, when, zeroV128, type Code,
} from '../../wasm/module-builder.js';

// SelfInteraction (self-interaction.ts) as WebAssembly with four float32 lanes. Per vertex the used
// coefficients of the field are first transposed to order-major rows (xs[h][c]), so the products
// run over four channels at a time: the forward over output channels with the weights transposed
// (Wᵀ[ci][co]), the input gradient and the weight gradients over input channels (W[co][ci]).
// Weights are laid out in blocks of C_in · C_out floats: W0, then A_n and B_n (the a·I + b·J pair
// of order n) for n = 1 … orders.

// Parameters (all i32; addresses in bytes).
const V = 0, CIN = 1, COUT = 2, ORDERS = 3, DIN = 4, DOUT = 5, WT = 6, W = 7, GW = 8, BIAS = 9, GBIAS = 10, XS = 11, GS = 12;
const IN = 13, OUT = 14, GIN = 15, WANT_GIN = 16;
const PARAMS = 17;
const locals = new Locals(PARAMS);
const [v, n, h, c, o, cb, blk, row, lane] = locals.take(I32, 9);
const [acc, accA, accB, xa, xb, a, b] = locals.take(V128, 7);
const LOCALS = locals.types;

const f32At = (base: Code, index: Code): Code => loadF32(add(base, mul(index, int(4))));
/** Weight block `k` (0: W0, 2n − 1: A_n, 2n: B_n) of the weights at `base`. */
const block = (base: number, k: Code): Code => add(get(base), mul(k, get(blk)));
/** Stores the four lanes of `value` (a local) to field floats at `address` + lane · stride floats. */
function storeLanes(value: number, address: Code, stride: number): Code {
  return [0, 1, 2, 3].flatMap((l) => storeF32(add(address, mul(int(l * 4), get(stride))), [...get(value), 0xfd, 0x1f, l]));
}

/** xs[h][c] = field[vertex][c · D + h] for h < 1 + 2 · orders, c < C (the vertex's field at `base`). */
function transpose(xs: number, base: Code, channels: number, width: number): Code {
  return forRange(h, int(0), add(mul(get(ORDERS), int(2)), int(1)), 1, forRange(c, int(0), get(channels), 1,
    storeF32(add(get(xs), mul(add(mul(get(h), get(channels)), get(c)), int(4))), f32At(base, add(mul(get(c), get(width)), get(h))))));
}

/**
 * Four channels (byte cb of a row of `width`, lanes stored from `lane` every `stride` floats) of
 * Σ_k over the `over` channels of the transposed rows: ρ0 = start + Σ W0[k] s0[k], and per order
 * n the pair (a + bJ)(sa, sb) — or its adjoint (a − bJ) — with the weight blocks' rows of `width`.
 */
function channelProducts(spec: { weights: number; rows: number; over: number; width: number; stride: number; start: Code; adjoint: boolean }): Code {
  const weightAt = (k: Code): Code => add(add(k, mul(mul(get(c), get(spec.width)), int(4))), get(cb));
  const rowValue = (h: Code): Code => splatF32x4(f32At(get(spec.rows), add(mul(h, get(spec.over)), get(c))));
  // Forward (a xa − b xb, b xa + a xb); adjoint (a xa + b xb, a xb − b xa).
  const [first, second] = spec.adjoint
    ? [addF32x4(mulF32x4(get(a), get(xa)), mulF32x4(get(b), get(xb))), subF32x4(mulF32x4(get(a), get(xb)), mulF32x4(get(b), get(xa)))]
    : [subF32x4(mulF32x4(get(a), get(xa)), mulF32x4(get(b), get(xb))), addF32x4(mulF32x4(get(b), get(xa)), mulF32x4(get(a), get(xb)))];
  return [
    ...set(acc, spec.start),
    ...forRange(c, int(0), get(spec.over), 1, set(acc, addF32x4(get(acc), mulF32x4(rowValue(int(0)), loadF32x4(weightAt(get(spec.weights))))))),
    ...storeLanes(acc, get(lane), spec.stride),
    ...forRange(n, int(1), add(get(ORDERS), int(1)), 1, [
      ...set(accA, zeroV128), ...set(accB, zeroV128),
      ...forRange(c, int(0), get(spec.over), 1, [
        ...set(xa, rowValue(sub1(mul(get(n), int(2))))),
        ...set(xb, rowValue(mul(get(n), int(2)))),
        ...set(a, loadF32x4(weightAt(block(spec.weights, sub1(mul(get(n), int(2))))))),
        ...set(b, loadF32x4(weightAt(block(spec.weights, mul(get(n), int(2)))))),
        ...set(accA, addF32x4(get(accA), first)),
        ...set(accB, addF32x4(get(accB), second)),
      ]),
      ...storeLanes(accA, add(get(lane), mul(sub1(mul(get(n), int(2))), int(4))), spec.stride),
      ...storeLanes(accB, add(get(lane), mul(mul(get(n), int(2)), int(4))), spec.stride),
    ]),
  ];
}

/** out[v] = the vertex's output: per four output channels, Σ_ci of weights times the transposed input, bias on ρ0. */
const forwardBody: Code = [
  ...set(blk, mul(mul(get(CIN), get(COUT)), int(4))),
  ...forRange(v, int(0), get(V), 1, [
    ...transpose(XS, add(get(IN), mul(mul(get(v), mul(get(CIN), get(DIN))), int(4))), CIN, DIN),
    ...set(row, add(get(OUT), mul(mul(get(v), mul(get(COUT), get(DOUT))), int(4)))),
    ...forRange(cb, int(0), mul(get(COUT), int(4)), 16, [
      ...set(lane, add(get(row), mul(get(cb), get(DOUT)))),
      ...channelProducts({ weights: WT, rows: XS, over: CIN, width: COUT, stride: DOUT, start: loadF32x4(add(get(BIAS), get(cb))), adjoint: false }),
    ]),
  ]),
];

/** Weight and bias gradients accumulated over the vertices, and (WANT_GIN) the input gradient. */
const backwardBody: Code = [
  ...set(blk, mul(mul(get(CIN), get(COUT)), int(4))),
  ...forRange(v, int(0), get(V), 1, [
    ...transpose(XS, add(get(IN), mul(mul(get(v), mul(get(CIN), get(DIN))), int(4))), CIN, DIN),
    ...transpose(GS, add(get(OUT), mul(mul(get(v), mul(get(COUT), get(DOUT))), int(4))), COUT, DOUT),
    // dW0[co][ci] += g0 x0, dA_n += ga xa + gb xb, dB_n += gb xa − ga xb, four input channels at a time.
    ...forRange(o, int(0), get(COUT), 1, [
      ...set(acc, splatF32x4(f32At(get(GS), get(o)))),
      ...forRange(cb, int(0), mul(get(CIN), int(4)), 16,
        accumulateF32x4(add(add(get(GW), mul(mul(get(o), get(CIN)), int(4))), get(cb)), mulF32x4(get(acc), loadF32x4(add(get(XS), get(cb)))))),
      ...forRange(n, int(1), add(get(ORDERS), int(1)), 1, [
        ...set(a, splatF32x4(f32At(get(GS), add(mul(sub1(mul(get(n), int(2))), get(COUT)), get(o))))),
        ...set(b, splatF32x4(f32At(get(GS), add(mul(mul(get(n), int(2)), get(COUT)), get(o))))),
        ...forRange(cb, int(0), mul(get(CIN), int(4)), 16, [
          ...set(xa, loadF32x4(add(add(get(XS), mul(mul(sub1(mul(get(n), int(2))), get(CIN)), int(4))), get(cb)))),
          ...set(xb, loadF32x4(add(add(get(XS), mul(mul(mul(get(n), int(2)), get(CIN)), int(4))), get(cb)))),
          ...set(row, add(mul(mul(get(o), get(CIN)), int(4)), get(cb))),
          ...accumulateF32x4(add(block(GW, sub1(mul(get(n), int(2)))), get(row)), addF32x4(mulF32x4(get(a), get(xa)), mulF32x4(get(b), get(xb)))),
          ...accumulateF32x4(add(block(GW, mul(get(n), int(2))), get(row)), subF32x4(mulF32x4(get(b), get(xa)), mulF32x4(get(a), get(xb)))),
        ]),
      ]),
    ]),
    ...forRange(cb, int(0), mul(get(COUT), int(4)), 16, accumulateF32x4(add(get(GBIAS), get(cb)), loadF32x4(add(get(GS), get(cb))))),
    // dx0 = Σ_co W0 g0, dxa = Σ_co a ga + b gb, dxb = Σ_co a gb − b ga, four input channels at a time.
    ...when(get(WANT_GIN), forRange(cb, int(0), mul(get(CIN), int(4)), 16, [
      ...set(lane, add(add(get(GIN), mul(mul(get(v), mul(get(CIN), get(DIN))), int(4))), mul(get(cb), get(DIN)))),
      ...channelProducts({ weights: W, rows: GS, over: COUT, width: CIN, stride: DIN, start: zeroV128, adjoint: true }),
    ])),
  ]),
];

function sub1(value: Code): Code {
  return add(value, int(-1));
}

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const SELF_INTERACTION_KERNEL_BYTES = buildModule([
  { name: 'forward', params: PARAMS, locals: LOCALS, body: forwardBody },
  { name: 'backward', params: PARAMS, locals: LOCALS, body: backwardBody },
], 1);

const kernelModule = lazyModule(SELF_INTERACTION_KERNEL_BYTES);

// One memory and instance per thread for every SimdSelfInteraction (a browser renderer can make only
// about a hundred memories); each call writes the weights and fields it reads.
let shared: { memory: WebAssembly.Memory; kernels: Record<'forward' | 'backward', (...args: number[]) => void> } | null = null;

/**
 * The kernels of one SelfInteraction over a memory every SimdSelfInteraction of the thread shares,
 * laid out per call: the weights in both layouts, their gradients, bias and scratch rows, then the
 * input field, the output (or output gradient) field and the input gradient, grown with the vertex count.
 */
export class SimdSelfInteraction {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: Record<'forward' | 'backward', (...args: number[]) => void>;
  private readonly orders: number;
  /** Byte offsets of Wᵀ, W, dW, bias, d bias, xs, gs, then the fields. */
  private readonly at: number[];

  private constructor(module: WebAssembly.Module, private readonly spec: SelfInteractionSpec) {
    if (shared === null) {
      const memory = new WebAssembly.Memory({ initial: 1 });
      shared = { memory, kernels: instantiate(module, memory) };
    }
    ({ memory: this.memory, kernels: this.kernels } = shared);
    this.orders = Math.min(spec.in.maxOrder, spec.out.maxOrder);
    const Cin = spec.in.channels, Cout = spec.out.channels, blocks = 1 + 2 * this.orders;
    const { starts, end } = placeRegions(0, [blocks * Cin * Cout, blocks * Cin * Cout, blocks * Cin * Cout, Cout, Cout, blocks * Cin, blocks * Cout].map((f) => f * 4));
    this.at = [...starts, end];
  }

  /** Kernels for `spec`, or null where WebAssembly SIMD is unavailable or a channel count is not a multiple of 4. */
  static create(spec: SelfInteractionSpec): SimdSelfInteraction | null {
    const module = spec.in.channels % 4 === 0 && spec.out.channels % 4 === 0 ? kernelModule() : null;
    return module === null ? null : new SimdSelfInteraction(module, spec);
  }

  /** output (V · outWidth) from input (V · inWidth); output orders above the input's stay 0. */
  forward(params: Float32Array, input: Float32Array, output: Float32Array): void {
    const [inAt, outAt] = this.fields(input.length, output.length);
    const memory = this.memory.buffer;
    this.writeWeights(params);
    new Float32Array(memory, inAt, input.length).set(input);
    const out = new Float32Array(memory, outAt, output.length);
    out.fill(0);
    this.kernels.forward(...this.kernelArguments(input.length, inAt, outAt, 0, 0));
    output.set(out);
  }

  /** Accumulates d loss / d params; overwrites gradInput (skipped when null). */
  backward(params: Float32Array, input: Float32Array, gradOutput: Float32Array, gradInput: Float32Array | null, gradParams: Float32Array): void {
    const [inAt, outAt, gradAt] = this.fields(input.length, gradOutput.length);
    const memory = this.memory.buffer;
    this.writeWeights(params);
    new Float32Array(memory, inAt, input.length).set(input);
    new Float32Array(memory, outAt, gradOutput.length).set(gradOutput);
    const gradField = new Float32Array(memory, gradAt, input.length);
    gradField.fill(0);
    const Cin = this.spec.in.channels, Cout = this.spec.out.channels, blocks = 1 + 2 * this.orders;
    const gradWeights = new Float32Array(memory, this.at[2]!, blocks * Cin * Cout), gradBias = new Float32Array(memory, this.at[4]!, Cout);
    gradWeights.fill(0);
    gradBias.fill(0);
    this.kernels.backward(...this.kernelArguments(input.length, inAt, outAt, gradAt, gradInput === null ? 0 : 1));
    if (gradInput !== null) gradInput.set(gradField);
    // Back to the parameter layout: W0[co][ci], then (a, b) pairs per order, then biases.
    const pairs = Cin * Cout;
    for (let i = 0; i < pairs; i++) gradParams[i] += gradWeights[i]!;
    for (let n = 1; n <= this.orders; n++) {
      for (let i = 0, pb = pairs + (n - 1) * pairs * 2; i < pairs; i++) {
        gradParams[pb + 2 * i] += gradWeights[(2 * n - 1) * pairs + i]!;
        gradParams[pb + 2 * i + 1] += gradWeights[2 * n * pairs + i]!;
      }
    }
    if (this.spec.bias) for (let co = 0; co < Cout; co++) gradParams[pairs * blocks + co] += gradBias[co]!;
  }

  /** Wᵀ (forward, [ci][co]) and W ([co][ci]) blocks and the bias from the parameter slice. */
  private writeWeights(params: Float32Array): void {
    const Cin = this.spec.in.channels, Cout = this.spec.out.channels, pairs = Cin * Cout, blocks = 1 + 2 * this.orders;
    const memory = this.memory.buffer;
    const transposed = new Float32Array(memory, this.at[0]!, blocks * pairs), weights = new Float32Array(memory, this.at[1]!, blocks * pairs);
    for (let co = 0; co < Cout; co++) {
      for (let ci = 0; ci < Cin; ci++) {
        const i = co * Cin + ci, t = ci * Cout + co;
        weights[i] = transposed[t] = params[i]!;
        for (let n = 1; n <= this.orders; n++) {
          const pb = pairs + ((n - 1) * pairs + i) * 2;
          weights[(2 * n - 1) * pairs + i] = transposed[(2 * n - 1) * pairs + t] = params[pb]!;
          weights[2 * n * pairs + i] = transposed[2 * n * pairs + t] = params[pb + 1]!;
        }
      }
    }
    const bias = new Float32Array(memory, this.at[3]!, Cout);
    if (this.spec.bias) bias.set(params.subarray(pairs * blocks, pairs * blocks + Cout));
    else bias.fill(0);
  }

  /** Byte addresses of the input, output and input-gradient fields, growing the memory to hold them. */
  private fields(inputFloats: number, outputFloats: number): [number, number, number] {
    const inAt = this.at[7]!, outAt = inAt + align16(inputFloats * 4), gradAt = outAt + align16(outputFloats * 4);
    ensureBytes(this.memory, gradAt + align16(inputFloats * 4));
    return [inAt, outAt, gradAt];
  }

  private kernelArguments(inputFloats: number, inAt: number, outAt: number, gradAt: number, wantGradInput: number): number[] {
    const { in: i, out } = this.spec, Din = 2 * i.maxOrder + 1, Dout = 2 * out.maxOrder + 1, at = this.at;
    return [
      inputFloats / (i.channels * Din), i.channels, out.channels, this.orders, Din, Dout,
      at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, at[6]!, inAt, outAt, gradAt, wantGradInput,
    ];
  }
}
