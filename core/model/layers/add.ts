/** out = a + b elementwise (out may alias a or b): a residual connection. Its backward passes the gradient to both unchanged. */
export function addFields(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
}

/** out += a elementwise: accumulating a gradient that reaches a field along two paths. */
export function accumulateInto(out: Float32Array, a: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] += a[i]!;
}
