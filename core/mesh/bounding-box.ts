/** Axis-aligned bounds of a set of points. */
export interface BoundingBox {
  readonly min: [number, number, number];
  readonly max: [number, number, number];
}

/** Bounds of xyz triples; an empty input gives min = +∞, max = −∞. */
export function boundingBox(positions: ArrayLike<number>): BoundingBox {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let axis = 0; axis < 3; axis++) {
      const value = positions[i + axis]!;
      if (value < min[axis]!) min[axis] = value;
      if (value > max[axis]!) max[axis] = value;
    }
  }
  return { min, max };
}
