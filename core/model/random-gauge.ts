import { gaugeTransformNeighbourhood } from './layers/conv-neighbourhood.js';
import { rotateField } from './layers/rotate-field.js';
import type { NetworkInput, NetworkPooling } from './network-input.js';

/**
 * The same input seen in other gauges: every mesh vertex's frame rotated by φ[v]
 * (e1' = cos φ e1 + sin φ e2). Log-map angles become θ − φ_p, transports g + φ_q − φ_p and
 * an order-n feature pair is rotated by −n·φ. A gauge-equivariant network gives the same
 * logits for both; training in a fresh gauge each step keeps the regular nonlinearity's
 * small equivariance error from being learned around.
 */
export function changeGauge(input: NetworkInput, phi: Float32Array): NetworkInput {
  if (phi.length !== input.meshVertexCount) throw new Error(`changeGauge: ${phi.length} angles for ${input.meshVertexCount} vertices.`);
  const levelPhi = input.levels.map((level) => gather(phi, level.vertices));
  const levels = input.levels.map((level, k) => ({
    vertices: level.vertices,
    neighbourhood: gaugeTransformNeighbourhood(level.neighbourhood, levelPhi[k]!, levelPhi[k]!),
  }));
  const pools = input.pools.map((pool, k): NetworkPooling => {
    const fine = levelPhi[k]!;
    const coarse = levelPhi[k + 1]!;
    const transport = new Float32Array(pool.transport.length);
    for (let i = 0; i < transport.length; i++) transport[i] = pool.transport[i]! + fine[i]! - coarse[pool.parent[i]!]!;
    return { parent: pool.parent, transport, coarseCount: pool.coarseCount };
  });
  return {
    ...input,
    levels,
    pools,
    output: gaugeTransformNeighbourhood(input.output, phi, levelPhi[0]!),
    features: rotateField(input.features.slice(), input.featureShape, levelPhi[0]!, -1),
  };
}

/** Uniform random angles in [−π, π) per mesh vertex. */
export function randomGauge(vertexCount: number, random: () => number): Float32Array {
  const phi = new Float32Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) phi[v] = (2 * random() - 1) * Math.PI;
  return phi;
}

function gather(values: Float32Array, indices: Uint32Array): Float32Array {
  const out = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return out;
}
