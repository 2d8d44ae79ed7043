/** SiLU, x·σ(x), or (leaky) ReLU with the given slope below 0. */
export function activate(x: number, silu: boolean, slope: number): number {
  return silu ? x / (1 + Math.exp(-x)) : x > 0 ? x : slope * x;
}

/** The derivative of {@link activate} (ReLU's subgradient at 0 taken as the slope). */
export function derivative(x: number, silu: boolean, slope: number): number {
  if (!silu) return x > 0 ? 1 : slope;
  const sigmoid = 1 / (1 + Math.exp(-x));
  return sigmoid * (1 + x * (1 - sigmoid));
}
