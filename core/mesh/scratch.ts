/**
 * Scratch typed arrays reused from one call to the next. Meshes prepared in a row (a batch, a
 * benchmark) then skip faulting in fresh zeroed pages for every temporary array, which costs more
 * than the arithmetic on them. Buffers are held through WeakRefs, so the garbage collector takes
 * them back once idle. Contents are left over from earlier calls: callers initialise what they read.
 */
const pool = new Map<string, WeakRef<ArrayBuffer>>();

function scratchBuffer(key: string, bytes: number): ArrayBuffer {
  const held = pool.get(key)?.deref();
  if (held && held.byteLength >= bytes) return held;
  const buffer = new ArrayBuffer(bytes);
  pool.set(key, new WeakRef(buffer));
  return buffer;
}

/** A Uint32Array of exactly `length` elements, uninitialised, owned by the caller until it returns. Keys must be unique per use. */
export function scratchUint32(key: string, length: number): Uint32Array {
  return new Uint32Array(scratchBuffer(key, 4 * length), 0, length);
}

/** An Int32Array of exactly `length` elements, uninitialised; see {@link scratchUint32}. */
export function scratchInt32(key: string, length: number): Int32Array {
  return new Int32Array(scratchBuffer(key, 4 * length), 0, length);
}

/** A Uint8Array of exactly `length` elements, uninitialised; see {@link scratchUint32}. */
export function scratchUint8(key: string, length: number): Uint8Array {
  return new Uint8Array(scratchBuffer(key, length), 0, length);
}

/** A Float64Array of exactly `length` elements, uninitialised; see {@link scratchUint32}. */
export function scratchFloat64(key: string, length: number): Float64Array {
  return new Float64Array(scratchBuffer(key, 8 * length), 0, length);
}
