/** max |a − b| / max |b|: how far one backend's logits are from another's, for the bench lines. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}
