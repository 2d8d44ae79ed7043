/** Disjoint sets over 0…n−1 in a flat array: `parent[i] = i` at the start. */
export function createDisjointSets(n: number): Uint32Array {
  const parent = new Uint32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  return parent;
}

/** The representative of x's set, halving the path on the way. */
export function findSet(parent: Uint32Array, x: number): number {
  while (parent[x] !== x) {
    const grandparent = parent[parent[x]!]!;
    parent[x] = grandparent;
    x = grandparent;
  }
  return x;
}

/** Joins the sets of a and b; the smaller representative wins, so results do not depend on call order. */
export function unionSets(parent: Uint32Array, a: number, b: number): void {
  const ra = findSet(parent, a), rb = findSet(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}
