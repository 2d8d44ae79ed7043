/**
 * A binary min-heap of (key, vertex) pairs in flat typed arrays, for Dijkstra-style propagation
 * with lazy deletion: a caller pushes a vertex again when its key improves and skips stale pops,
 * which is cheaper than decrease-key bookkeeping. Storage grows by doubling and is kept across
 * `clear()`, so a heap reused for every row of a patch computation allocates only while warming up.
 * A max-heap is this heap with negated keys.
 *
 * Propagations keep one heap per module and clear it per call: besides the allocation, a heap
 * that stays alive keeps this class's hidden class alive, which V8 drops at a full collection
 * when no instance is left, deoptimising every function specialised on it (`predictMesh` right
 * after a forced collection: 1.13× faster on Nefertiti, 1.38× on the SMPL body, with the patches'
 * NeighbourhoodWriter kept as well).
 */
export class MinHeap {
  private keys: Float64Array;
  private values: Uint32Array;
  private count = 0;

  constructor(initialCapacity = 64) {
    const capacity = Math.max(1, initialCapacity);
    this.keys = new Float64Array(capacity);
    this.values = new Uint32Array(capacity);
  }

  /** Number of pairs held, stale ones included. */
  get size(): number {
    return this.count;
  }

  /** Removes every pair, keeping the storage. */
  clear(): void {
    this.count = 0;
  }

  /** The smallest key; only meaningful when `size > 0`. */
  topKey(): number {
    return this.keys[0]!;
  }

  /** The vertex of the smallest key; only meaningful when `size > 0`. */
  topValue(): number {
    return this.values[0]!;
  }

  /** Adds a pair. */
  push(key: number, value: number): void {
    if (this.count === this.keys.length) this.grow();
    const keys = this.keys;
    const values = this.values;
    let i = this.count++;
    // Sift up: move parents down until the new key's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent]!;
      if (parentKey <= key) break;
      keys[i] = parentKey;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the pair with the smallest key (read it first with `topKey` / `topValue`). */
  pop(): void {
    const n = --this.count;
    if (n <= 0) {
      this.count = 0;
      return;
    }
    const keys = this.keys;
    const values = this.values;
    const key = keys[n]!;
    const value = values[n]!;
    let i = 0;
    // Sift down the last pair from the root.
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const values = new Uint32Array(this.values.length * 2);
    keys.set(this.keys);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}
