import {
  add, exitBlockIf, geF64, geU, get, ifElse, int, leF64, leU, loadF64, loadI32, ltF64, ltU, mul, andI32, eqI32, repeat, set, shrU, storeF64, storeI32, sub,
  when, type Code,
} from './module-builder.js';

// MinHeap (core/geometry/min-heap.ts) as WebAssembly code for kernels to inline: the same sift-up
// and sift-down, comparisons and ties, so a kernel pops in the order the JavaScript heap would.

/** Locals (or parameters) of one heap: byte addresses of its f64 keys and i32 values, its size and capacity. */
export interface HeapLocals {
  readonly keys: number;
  readonly values: number;
  readonly size: number;
  readonly capacity: number;
}

/** i32 and f64 locals the heap code may overwrite. */
export interface HeapScratch {
  readonly index: number;
  readonly parent: number;
  readonly child: number;
  readonly last: number;
  readonly value: number;
  /** f64. */
  readonly key: number;
  /** f64. */
  readonly parentKey: number;
}

const keyAt = (h: HeapLocals, index: Code): Code => add(get(h.keys), mul(index, int(8)));
const valueAt = (h: HeapLocals, index: Code): Code => add(get(h.values), mul(index, int(4)));

/** The smallest key and its value; only meaningful when the heap is not empty. */
export const heapTopKey = (h: HeapLocals): Code => loadF64(get(h.keys));
export const heapTopValue = (h: HeapLocals): Code => loadI32(get(h.values));

/** MinHeap.push(key, value), or `whenFull` when the heap holds `capacity` pairs. */
export function heapPush(h: HeapLocals, t: HeapScratch, key: Code, value: Code, whenFull: Code): Code {
  return ifElse(eqI32(get(h.size), get(h.capacity)), whenFull, [
    ...set(t.key, key),
    ...set(t.value, value),
    ...set(t.index, get(h.size)),
    ...set(h.size, add(get(h.size), int(1))),
    ...repeat([
      ...exitBlockIf(eqI32(get(t.index), int(0)), 1),
      ...set(t.parent, shrU(sub(get(t.index), int(1)), int(1))),
      ...set(t.parentKey, loadF64(keyAt(h, get(t.parent)))),
      ...exitBlockIf(leF64(get(t.parentKey), get(t.key)), 1),
      ...storeF64(keyAt(h, get(t.index)), get(t.parentKey)),
      ...storeI32(valueAt(h, get(t.index)), loadI32(valueAt(h, get(t.parent)))),
      ...set(t.index, get(t.parent)),
    ]),
    ...storeF64(keyAt(h, get(t.index)), get(t.key)),
    ...storeI32(valueAt(h, get(t.index)), get(t.value)),
  ]);
}

/** MinHeap.pop(); the key region needs one spare slot, as a sift-down may read the key after the last. */
export function heapPop(h: HeapLocals, t: HeapScratch): Code {
  return ifElse(leU(get(h.size), int(1)), set(h.size, int(0)), [
    ...set(h.size, sub(get(h.size), int(1))),
    ...set(t.last, get(h.size)),
    ...set(t.key, loadF64(keyAt(h, get(t.last)))),
    ...set(t.value, loadI32(valueAt(h, get(t.last)))),
    ...set(t.index, int(0)),
    ...repeat([
      ...set(t.child, add(mul(get(t.index), int(2)), int(1))),
      ...exitBlockIf(geU(get(t.child), get(t.last)), 1),
      ...when(andI32(ltU(add(get(t.child), int(1)), get(t.last)), ltF64(loadF64(keyAt(h, add(get(t.child), int(1)))), loadF64(keyAt(h, get(t.child))))),
        set(t.child, add(get(t.child), int(1)))),
      ...exitBlockIf(geF64(loadF64(keyAt(h, get(t.child))), get(t.key)), 1),
      ...storeF64(keyAt(h, get(t.index)), loadF64(keyAt(h, get(t.child)))),
      ...storeI32(valueAt(h, get(t.index)), loadI32(valueAt(h, get(t.child)))),
      ...set(t.index, get(t.child)),
    ]),
    ...storeF64(keyAt(h, get(t.index)), get(t.key)),
    ...storeI32(valueAt(h, get(t.index)), get(t.value)),
  ]);
}
