/**
 * Fills `target` with independent normal samples of standard deviation `std`, drawn by the
 * Box–Muller transform from a uniform `random()` in [0, 1), so a seeded generator gives
 * reproducible weights.
 */
export function fillNormal(target: Float32Array, std: number, random: () => number): void {
  for (let i = 0; i < target.length; i += 2) {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const radius = std * Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    target[i] = radius * Math.cos(angle);
    if (i + 1 < target.length) target[i + 1] = radius * Math.sin(angle);
  }
}
