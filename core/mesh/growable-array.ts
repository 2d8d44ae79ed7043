/** Growable typed arrays for parsers that do not know their output size in advance. */

type NumberArray = Float32Array | Uint32Array;

/** A typed array that doubles its capacity as values are pushed. */
class GrowableArray<T extends NumberArray> {
  /** Storage; only the first `length` values are meaningful. */
  array: T;
  /** Number of values pushed. */
  length = 0;

  constructor(private readonly create: (length: number) => T, capacity: number) {
    this.array = create(Math.max(capacity, 16));
  }

  /** Appends one value. */
  push(a: number): void {
    if (this.length + 1 > this.array.length) this.grow(this.length + 1);
    this.array[this.length++] = a;
  }

  /** Appends three values (one xyz triple or one triangle). */
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.array.length) this.grow(this.length + 3);
    const array = this.array;
    array[this.length] = a;
    array[this.length + 1] = b;
    array[this.length + 2] = c;
    this.length += 3;
  }

  private grow(minimum: number): void {
    const next = this.create(Math.max(minimum, this.array.length * 2));
    next.set(this.array.subarray(0, this.length));
    this.array = next;
  }

  /** A right-sized copy of the values pushed. */
  toArray(): T {
    return this.array.slice(0, this.length) as T;
  }
}

/** A growable Float32Array. */
export class GrowableFloat32 extends GrowableArray<Float32Array> {
  constructor(capacity = 1024) {
    super((length) => new Float32Array(length), capacity);
  }
}

/** A growable Uint32Array. */
export class GrowableUint32 extends GrowableArray<Uint32Array> {
  constructor(capacity = 1024) {
    super((length) => new Uint32Array(length), capacity);
  }
}
