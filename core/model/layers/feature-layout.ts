/**
 * Layout of a feature field: per vertex `channels` channels, each the direct sum ρ0 ⊕ ρ1 ⊕ … ⊕ ρM
 * stored as `[a0, a1, b1, a2, b2, …, aM, bM]`, vertex-major then channel-major.
 *
 * Conventions: the order-n pair (a_n, b_n) is the angular function a_n cos(nt) + b_n sin(nt).
 * "Rotating by n·α" maps (a, b) → (cos(nα) a − sin(nα) b, sin(nα) a + cos(nα) b), which turns
 * the function into t ↦ f(t − α). Transport from q to p rotates each order-n pair by n·g_{q→p};
 * rotating vertex p's frame by φ_p rotates p's features by −n·φ_p.
 */
export interface FieldShape {
  /** Number of channels C. */
  readonly channels: number;
  /** Band limit M: each channel holds orders 0..M, 2M + 1 coefficients. */
  readonly maxOrder: number;
}

/** Coefficients per channel: 2M + 1. */
export function channelWidth(shape: FieldShape): number {
  return 2 * shape.maxOrder + 1;
}

/** Floats per vertex: C · (2M + 1). */
export function fieldWidth(shape: FieldShape): number {
  return shape.channels * (2 * shape.maxOrder + 1);
}

/** Number of vertices a field array holds; throws `NAME: …` when the length does not fit the shape. */
export function fieldVertexCount(field: ArrayLike<number>, shape: FieldShape, name: string): number {
  const width = fieldWidth(shape);
  if (width === 0 || field.length % width !== 0) {
    throw new Error(`${name}: field of length ${field.length} does not fit ${shape.channels} channels of band limit ${shape.maxOrder}`);
  }
  return field.length / width;
}
