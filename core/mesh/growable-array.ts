/** Growable typed arrays for parsers that do not know their output size in advance. */

/** A Float32Array that doubles its capacity as values are pushed. */
export class GrowableFloat32 {
  /** Storage; only the first `length` values are meaningful. */
  array: Float32Array;
  /** Number of values pushed. */
  length = 0;

  constructor(capacity = 1024) {
    this.array = new Float32Array(Math.max(capacity, 16));
  }

  /** Appends three values (one xyz triple). */
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.array.length) this.grow(this.length + 3);
    const array = this.array;
    array[this.length] = a;
    array[this.length + 1] = b;
    array[this.length + 2] = c;
    this.length += 3;
  }

  private grow(minimum: number): void {
    const next = new Float32Array(Math.max(minimum, this.array.length * 2));
    next.set(this.array.subarray(0, this.length));
    this.array = next;
  }

  /** A right-sized copy of the values pushed. */
  toArray(): Float32Array {
    return this.array.slice(0, this.length);
  }
}

/** A Uint32Array that doubles its capacity as values are pushed. */
export class GrowableUint32 {
  /** Storage; only the first `length` values are meaningful. */
  array: Uint32Array;
  /** Number of values pushed. */
  length = 0;

  constructor(capacity = 1024) {
    this.array = new Uint32Array(Math.max(capacity, 16));
  }

  /** Appends one value. */
  push(a: number): void {
    if (this.length + 1 > this.array.length) this.grow(this.length + 1);
    this.array[this.length++] = a;
  }

  /** Appends three values (one triangle). */
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.array.length) this.grow(this.length + 3);
    const array = this.array;
    array[this.length] = a;
    array[this.length + 1] = b;
    array[this.length + 2] = c;
    this.length += 3;
  }

  private grow(minimum: number): void {
    const next = new Uint32Array(Math.max(minimum, this.array.length * 2));
    next.set(this.array.subarray(0, this.length));
    this.array = next;
  }

  /** A right-sized copy of the values pushed. */
  toArray(): Uint32Array {
    return this.array.slice(0, this.length);
  }
}
