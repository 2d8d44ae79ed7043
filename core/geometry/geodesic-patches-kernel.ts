import { addF64, andI32, buildModule, eqI32, exitBlockIf, geU, get, gtF64, int, lazyModule, leF64, loadF64, mulF64, neF64, neI32, orI32, repeat, set, sqrtF64, subF64, add, when, type Code } from '../wasm/module-builder.js';
import {
  addMember, beginPropagation, candidate, d, e, end, endPropagation, field, hn, key, LOCAL, LOCALS, length, logRadius, m, NO_ENTRY, OFFS, p, PARAMS, popFront, radius,
  reach, reachNeighbour, s, sb, settled, settleFront, status, u32At, visitNeighbour, x, y,
} from './exp-map-kernel-code.js';

// One row of geodesicPatches (a Dijkstra from a centre with the discrete exponential map of
// settleExpMap, and the min-heap of MinHeap) as WebAssembly: the same float64 operations in the
// same order, so the patches equal the JavaScript loop's bit for bit (tested); about 1.4× faster
// on level 1 of the SMPL body and of the Nefertiti scan (same process), where that loop was about
// a third of the preprocessing. Runs on ExpMapKernel's memory.

/** The row: geodesicPatches' loop over the heap for one centre. */
const rowBody: Code = [
  ...beginPropagation,
  ...repeat([
    ...exitBlockIf(orI32(eqI32(get(hn), int(0)), neI32(get(status), int(0))), 1),
    ...popFront,
    // Not a stale duplicate of an improved key.
    ...when(neF64(loadF64(field(sb, 5)), get(settled)), [
      ...exitBlockIf(gtF64(get(d), get(reach)), 2),
      ...settleFront,
      ...set(x, loadF64(field(sb, 0))),
      ...set(y, loadF64(field(sb, 1))),
      ...set(logRadius, sqrtF64(addF64(mulF64(get(x), get(x)), mulF64(get(y), get(y))))),
      ...set(key, u32At(LOCAL, get(s))),
      ...when(andI32(andI32(neI32(get(s), get(p)), neI32(get(key), int(NO_ENTRY))), leF64(get(logRadius), get(radius))), addMember),
      ...set(end, u32At(OFFS, add(get(s), int(1)))),
      ...set(e, u32At(OFFS, get(s))),
      ...repeat([
        ...exitBlockIf(geU(get(e), get(end)), 1),
        ...visitNeighbour,
        // Not settled; a step from outside ρ + length cannot land inside the patch; within reach.
        ...when(andI32(andI32(neF64(get(m), get(settled)), eqI32(gtF64(subF64(get(logRadius), get(length)), get(radius)), int(0))), eqI32(gtF64(get(candidate), get(reach)), int(0))), reachNeighbour),
        ...set(e, add(get(e), int(1))),
      ]),
    ]),
  ]),
  ...endPropagation,
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const GEODESIC_PATCHES_KERNEL_BYTES = buildModule([{ name: 'row', params: PARAMS, locals: LOCALS, body: rowBody }], 1);

/** The compiled module, or null where WebAssembly is unavailable or refused. */
export const geodesicPatchesModule = lazyModule(GEODESIC_PATCHES_KERNEL_BYTES);
