import { fieldWidth } from '../../core/model/layers/feature-layout.js';
import type { GemConvSpec } from '../../core/model/layers/gem-conv.js';
import type { SelfInteractionSpec } from '../../core/model/layers/self-interaction.js';

// Weight import from the authors' PyTorch GEM-CNN (github.com/Qualcomm-AI-research/gauge-equivariant-mesh-cnn,
// gem_cnn/nn/gem_conv.py). Both use the same irrep layout [a0, a1, b1, …, aM, bM], the same
// rotation convention (rep_act: (a, b) → (cos a − sin b, sin a + cos b)) and the same kernel
// ρ_out(θ) W_k ρ_in(g − θ) with hat-function rings, so a kernel maps by permuting its indices.

/** Checks that a flat row-major tensor has `expected` elements. */
function checkLength(name: string, data: ArrayLike<number>, expected: number, shape: string): void {
  if (data.length !== expected) throw new RangeError(`${name}: expected ${expected} floats (${shape}), got ${data.length}`);
}

/**
 * Our GemConv weights W_k (K × outWidth × inWidth) from gem_cnn's `GemConv.weight`, a row-major
 * tensor [n_rings, in_channels, 2·in_order + 1, out_channels, 2·out_order + 1]:
 * W_k[i·Dout + n, j·Din + m] = weight[k, j, m, i, n]. gem_cnn's rings are hats at k·max_r/(K − 1),
 * ours at k·radius/(K − 1): use radius = max_r in the same length units. The bias is not mapped
 * (gem_cnn adds it per edge before the mean; see plugin/onnx/README.md).
 */
export function gemConvWeightsFromGemCnn(weight: ArrayLike<number>, spec: Pick<GemConvSpec, 'in' | 'out' | 'rings'>): Float32Array {
  const Cin = spec.in.channels, Din = 2 * spec.in.maxOrder + 1, Cout = spec.out.channels, Dout = 2 * spec.out.maxOrder + 1;
  const inW = fieldWidth(spec.in), outW = fieldWidth(spec.out), K = spec.rings;
  checkLength('gemConvWeightsFromGemCnn', weight, K * inW * outW, `[${K}, ${Cin}, ${Din}, ${Cout}, ${Dout}]`);
  const out = new Float32Array(K * outW * inW);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < Cin; j++) {
      for (let m = 0; m < Din; m++) {
        for (let i = 0; i < Cout; i++) {
          for (let n = 0; n < Dout; n++) {
            out[k * outW * inW + (i * Dout + n) * inW + j * Din + m] = weight[(((k * Cin + j) * Din + m) * Cout + i) * Dout + n]!;
          }
        }
      }
    }
  }
  return out;
}

/**
 * Our SelfInteraction parameters (without bias) from gem_cnn's `SelfInteractionWeight.weight`,
 * row-major [2·min(in_order, out_order) + 1, in_channels, out_channels]: basis 0 is the order-0
 * matrix, basis 2n − 1 the a of a·I + b·J on order n and basis 2n its b (gem_cnn's
 * build_self_interaction_kernel maps (x_a, x_b) to (−x_b, x_a) for basis 2n, our J).
 */
export function selfInteractionWeightsFromGemCnn(weight: ArrayLike<number>, spec: Pick<SelfInteractionSpec, 'in' | 'out'>): Float32Array {
  const Cin = spec.in.channels, Cout = spec.out.channels, orders = Math.min(spec.in.maxOrder, spec.out.maxOrder);
  const pairs = Cout * Cin, bases = 2 * orders + 1;
  checkLength('selfInteractionWeightsFromGemCnn', weight, bases * pairs, `[${bases}, ${Cin}, ${Cout}]`);
  const out = new Float32Array(pairs * bases);
  const at = (b: number, ci: number, co: number): number => weight[(b * Cin + ci) * Cout + co]!;
  for (let co = 0; co < Cout; co++) {
    for (let ci = 0; ci < Cin; ci++) {
      out[co * Cin + ci] = at(0, ci, co);
      for (let n = 1; n <= orders; n++) {
        const pb = pairs + ((n - 1) * pairs + co * Cin + ci) * 2;
        out[pb] = at(2 * n - 1, ci, co);
        out[pb + 1] = at(2 * n, ci, co);
      }
    }
  }
  return out;
}
