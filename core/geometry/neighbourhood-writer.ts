import type { Neighbourhood } from './neighbourhood.js';

const EMPTY_UINT32 = new Uint32Array(0);
const EMPTY_FLOAT32 = new Float32Array(0);

/**
 * Builds a Neighbourhood row by row when the number of entries is known only at the end (geodesic
 * patches): flat output arrays sized from the first rows, grown by copying only when that
 * estimate falls short.
 *
 * Fresh memory is expensive to touch (measured 4.5 ms/MB on first write in our VM, against a few
 * ms per 100 MB once touched), so `finish` hands out views of the arrays written rather than
 * trimmed copies when the slack is at most `MAX_SLACK` of them: the result's typed arrays may
 * then sit in slightly larger ArrayBuffers (their `length` and `byteOffset` are exact).
 */
export class NeighbourhoodWriter {
  /** Rows after which the final size is extrapolated. */
  static readonly SAMPLE_ROWS = 512;
  /** Largest unused share of the arrays that `finish` leaves in place instead of copying. */
  static readonly MAX_SLACK = 1 / 16;
  /** Entries written so far. */
  length = 0;
  private rows = 0;
  private offsets = EMPTY_UINT32;
  private neighbours = EMPTY_UINT32;
  private radius = EMPTY_FLOAT32;
  private angle = EMPTY_FLOAT32;
  private transport = EMPTY_FLOAT32;
  private row = 0;

  constructor(rows: number) {
    this.begin(rows);
  }

  /** Starts a new Neighbourhood of `rows` rows, so one writer can serve many calls (see MinHeap on why that pays). */
  begin(rows: number): void {
    this.rows = rows;
    this.row = 0;
    this.length = 0;
    this.offsets = new Uint32Array(rows + 1);
    // About 32 entries a row until the first rows say otherwise.
    const capacity = Math.max(64, Math.min(rows, NeighbourhoodWriter.SAMPLE_ROWS) * 32);
    this.neighbours = new Uint32Array(capacity);
    this.radius = new Float32Array(capacity);
    this.angle = new Float32Array(capacity);
    this.transport = new Float32Array(capacity);
  }

  /** Makes room for `count` more entries in the current row. */
  reserve(count: number): void {
    const needed = this.length + count;
    if (needed > this.neighbours.length) this.resize(Math.max(needed, Math.ceil(this.neighbours.length * 1.5)));
  }

  /** Appends an entry to the current row; `reserve` first. */
  write(neighbour: number, radius: number, angle: number, transport: number): void {
    const i = this.length++;
    this.neighbours[i] = neighbour;
    this.radius[i] = radius;
    this.angle[i] = angle;
    this.transport[i] = transport;
  }

  /** Closes the current row; after the first `SAMPLE_ROWS`, sizes the arrays for all rows plus 5%. */
  endRow(): void {
    this.offsets[++this.row] = this.length;
    if (this.row === NeighbourhoodWriter.SAMPLE_ROWS && this.row < this.rows) {
      const expected = Math.ceil((this.length / this.row) * this.rows * 1.05) + 64;
      if (expected > this.neighbours.length) this.resize(expected);
    }
  }

  /** The Neighbourhood written; every row must have been ended. */
  finish(): Neighbourhood {
    if (this.row !== this.rows) throw new Error(`NeighbourhoodWriter: ${this.row} of ${this.rows} rows written.`);
    const n = this.length;
    const keep = this.neighbours.length - n <= NeighbourhoodWriter.MAX_SLACK * this.neighbours.length;
    const trim = <T extends Uint32Array | Float32Array>(array: T): T => (keep ? array.subarray(0, n) : array.slice(0, n)) as T;
    const result = {
      offsets: this.offsets,
      neighbours: trim(this.neighbours),
      logMapRadius: trim(this.radius),
      logMapAngle: trim(this.angle),
      transportAngle: trim(this.transport),
    };
    // A writer kept for later calls must not hold the caller's arrays.
    this.release();
    return result;
  }

  /** Drops the arrays (no new ones: the next `begin` allocates them). */
  private release(): void {
    this.rows = 0;
    this.row = 0;
    this.length = 0;
    this.offsets = EMPTY_UINT32;
    this.neighbours = EMPTY_UINT32;
    this.radius = EMPTY_FLOAT32;
    this.angle = EMPTY_FLOAT32;
    this.transport = EMPTY_FLOAT32;
  }

  private resize(capacity: number): void {
    const n = this.length;
    const neighbours = new Uint32Array(capacity);
    neighbours.set(this.neighbours.subarray(0, n));
    const radius = new Float32Array(capacity);
    radius.set(this.radius.subarray(0, n));
    const angle = new Float32Array(capacity);
    angle.set(this.angle.subarray(0, n));
    const transport = new Float32Array(capacity);
    transport.set(this.transport.subarray(0, n));
    this.neighbours = neighbours;
    this.radius = radius;
    this.angle = angle;
    this.transport = transport;
  }
}
