import { add, andI32, buildModule, eqI32, exitBlockIf, geU, get, gtF64, int, lazyModule, loadF64, neF64, neI32, orI32, repeat, set, sub, when, type Code } from '../wasm/module-builder.js';
import {
  addMember, beginPropagation, candidate, CELL, cell, e, end, endPropagation, field, hn, key, LOCAL, LOCALS, m, NO_ENTRY, OFFS, PARAMS, popFront, reach,
  reachNeighbour, remaining, s, sb, settled, settleFront, status, u32At, visitNeighbour,
} from './exp-map-kernel-code.js';

// One cell of parentLogMaps (a Dijkstra from a parent with the discrete exponential map of
// settleExpMap, until every fine vertex of its cell is settled) as WebAssembly, the same
// operations in the same order as its JavaScript loop, so the same log maps bit for bit (tested).
// Runs on ExpMapKernel's memory, so it shares the 1-ring copy with the patches of the same level.

/** The cell: parentLogMaps' loop over the heap for one parent; members are the cell's fine vertices (local indices). */
const cellBody: Code = [
  ...beginPropagation,
  ...repeat([
    ...exitBlockIf(orI32(orI32(eqI32(get(hn), int(0)), eqI32(get(remaining), int(0))), neI32(get(status), int(0))), 1),
    ...popFront,
    // Not a stale duplicate of an improved key.
    ...when(neF64(loadF64(field(sb, 5)), get(settled)), [
      ...settleFront,
      ...set(key, u32At(LOCAL, get(s))),
      ...when(andI32(neI32(get(key), int(NO_ENTRY)), eqI32(u32At(CELL, get(key)), get(cell))), [...addMember, ...set(remaining, sub(get(remaining), int(1)))]),
      ...set(end, u32At(OFFS, add(get(s), int(1)))),
      ...set(e, u32At(OFFS, get(s))),
      ...repeat([
        ...exitBlockIf(geU(get(e), get(end)), 1),
        ...visitNeighbour,
        // Proposals come from strictly closer vertices, so none beyond the cell's farthest member is needed.
        ...when(andI32(neF64(get(m), get(settled)), eqI32(gtF64(get(candidate), get(reach)), int(0))), reachNeighbour),
        ...set(e, add(get(e), int(1))),
      ]),
    ]),
  ]),
  ...endPropagation,
];

/** The module's bytes (under Chrome's 4 KiB limit for synchronous compiles on the main thread). */
export const PARENT_LOG_MAPS_KERNEL_BYTES = buildModule([{ name: 'cell', params: PARAMS, locals: LOCALS, body: cellBody }], 1);

/** The compiled module, or null where WebAssembly is unavailable or refused. */
export const parentLogMapsModule = lazyModule(PARENT_LOG_MAPS_KERNEL_BYTES);
