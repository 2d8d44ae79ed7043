/** A uniformly random rotation (Shoemake's unit quaternion from three draws of `random`), row-major 3×3. */
export function randomRotation(random: () => number): number[] {
  const u1 = random(), u2 = random(), u3 = random();
  const w = Math.sqrt(1 - u1) * Math.sin(2 * Math.PI * u2), x = Math.sqrt(1 - u1) * Math.cos(2 * Math.PI * u2);
  const y = Math.sqrt(u1) * Math.sin(2 * Math.PI * u3), z = Math.sqrt(u1) * Math.cos(2 * Math.PI * u3);
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}
