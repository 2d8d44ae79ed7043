import { ensureBytes, placeRegions } from '../wasm/memory-regions.js';
import { instantiate } from '../wasm/module-builder.js';
import type { ExpMapSteps } from './exp-map-steps.js';
import { ARGS, ARGS_BYTES, ARR, CACHE, CELL, HEAP_FULL, HK, HV, LEN, LOCAL, MEMBERS, NBR, OFFS, PARAMS, REV, STATE } from './exp-map-kernel-code.js';
import { geodesicPatchesModule } from './geodesic-patches-kernel.js';
import { parentLogMapsModule } from './parent-log-maps-kernel.js';

// Largest kernel memory kept for later calls: the 1-ring copy and state take about 32 bytes per
// 1-ring entry and 80 per vertex, so meshes up to about 200k vertices; larger ones take the JavaScript loops.
const MAX_KERNEL_BYTES = 64 * 2 ** 20;
let shared: ExpMapKernel | null | undefined;

/** The kernel every call shares (one per thread) when WebAssembly is available and `steps` fits MAX_KERNEL_BYTES, else null. */
export function sharedExpMapKernel(steps: ExpMapSteps): ExpMapKernel | null {
  if (32 * steps.neighbours.length + 80 * steps.vertexCount > MAX_KERNEL_BYTES) return null;
  if (shared === undefined) shared = ExpMapKernel.create();
  return shared;
}

type Propagation = (...addresses: number[]) => void;

/**
 * The exp-map propagations in WebAssembly (geodesic-patches-kernel's rows and
 * parent-log-maps-kernel's cells) and their memory, kept for every call (like the JavaScript
 * loops' heaps): `bind` copies the unpacked 1-ring in, skipping the copy when the same steps were
 * bound last (level 1's log maps, then its patches); `state` and `members` are views that `bind`
 * and a heap that grows re-take. Each propagation takes fresh stamps; one that fills the heap runs
 * again on a heap twice the size.
 */
export class ExpMapKernel {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly runRow: Propagation;
  private readonly runCell: Propagation;
  private addresses: number[] = [];
  private heapCapacity = 0;
  /** The next propagation's `reached` mark (`settled` is one more); 2 after each bind, whose cleared state holds 0s. */
  private stamp = 2;
  private vertexCount = 0;
  private entryCount = 0;
  private maxDegree = 0;
  // Held weakly: the kernel outlives the mesh, and its copy is all it needs.
  private boundSteps: WeakRef<ExpMapSteps> | null = null;
  /** The exp-map state of the last propagation, as in createExpMapState. */
  state = new Float64Array(0);
  /** The last propagation's members (local indices), unsorted. */
  members = new Uint32Array(0);

  private constructor(rowModule: WebAssembly.Module, cellModule: WebAssembly.Module) {
    this.runRow = instantiate<'row'>(rowModule, this.memory).row;
    this.runCell = instantiate<'cell'>(cellModule, this.memory).cell;
  }

  /** The kernel, or null where WebAssembly is unavailable or refused. */
  static create(): ExpMapKernel | null {
    const rowModule = geodesicPatchesModule(), cellModule = parentLogMapsModule();
    return rowModule === null || cellModule === null ? null : new ExpMapKernel(rowModule, cellModule);
  }

  /**
   * Binds a propagation's inputs: the unpacked 1-ring, the local index of every vertex
   * (NO_ENTRY where it is not a centre or fine vertex) and, for cells, the cell of each local
   * index. Clears the state, so stamps start again.
   */
  bind(steps: ExpMapSteps, localIndex: Uint32Array, cellOf?: Uint32Array): void {
    const V = steps.vertexCount;
    if (steps !== this.boundSteps?.deref()) {
      const E = steps.neighbours.length;
      this.vertexCount = V;
      this.entryCount = E;
      this.maxDegree = 0;
      for (let v = 0; v < V; v++) this.maxDegree = Math.max(this.maxDegree, steps.offsets[v + 1]! - steps.offsets[v]!);
      // Small at first, so that the doubling and rerun of a propagation runs on any real mesh (and in the tests).
      this.heapCapacity = Math.max(this.heapCapacity, 64);
      this.place();
      const buffer = this.memory.buffer, at = this.addresses;
      new Uint32Array(buffer, at[OFFS]!, V + 1).set(steps.offsets.subarray(0, V + 1));
      new Uint32Array(buffer, at[NBR]!, E).set(steps.neighbours);
      new Float32Array(buffer, at[ARR]!, 4 * E).set(steps.arrival);
      new Float64Array(buffer, at[LEN]!, E).set(steps.edgeLength);
      new Uint32Array(buffer, at[REV]!, E).set(steps.reverse);
      this.boundSteps = new WeakRef(steps);
    }
    this.state.fill(0);
    this.stamp = 2;
    new Uint32Array(this.memory.buffer, this.addresses[LOCAL]!, V).set(localIndex);
    if (cellOf) new Uint32Array(this.memory.buffer, this.addresses[CELL]!, cellOf.length).set(cellOf);
  }

  /** One patch (geodesicPatches' row) with the given radii; the number of members written to `members`. */
  row(centre: number, radius: number, reach: number): number {
    return this.propagate(this.runRow, centre, radius, reach, 0, 0);
  }

  /** One cell (parentLogMaps' propagation from its parent until its `size` fine vertices are settled); the number of its fine vertices written to `members`. */
  cell(parent: number, reach: number, cell: number, size: number): number {
    return this.propagate(this.runCell, parent, 0, reach, cell, size);
  }

  private propagate(run: Propagation, centre: number, radius: number, reach: number, cell: number, size: number): number {
    for (;;) {
      const argsAt = this.addresses[ARGS]!;
      new Float64Array(this.memory.buffer, argsAt, 4).set([this.stamp, this.stamp + 1, radius, reach]);
      this.stamp += 2;
      const ints = new Uint32Array(this.memory.buffer, argsAt + 32, 6);
      ints[0] = centre;
      ints[1] = this.heapCapacity;
      ints[4] = cell;
      ints[5] = size;
      run(...this.addresses);
      if (ints[3] !== HEAP_FULL) return ints[2]!;
      this.heapCapacity *= 2;
      this.place();
    }
  }

  /**
   * Places the regions, grows the memory to hold them and re-takes the views. The heap comes last,
   * after everything `bind` copies in, so a larger heap leaves those regions, and their contents, in place.
   */
  private place(): void {
    const V = this.vertexCount, E = this.entryCount, H = this.heapCapacity;
    const sizes: number[] = [];
    sizes[OFFS] = 4 * (V + 1);
    sizes[NBR] = 4 * E;
    sizes[ARR] = 16 * E;
    sizes[LEN] = 8 * E;
    sizes[REV] = 4 * E;
    sizes[STATE] = 64 * V;
    sizes[LOCAL] = 4 * V;
    sizes[CELL] = 4 * V;
    sizes[MEMBERS] = 4 * V;
    sizes[CACHE] = 56 * Math.max(1, this.maxDegree);
    sizes[ARGS] = ARGS_BYTES;
    // One spare heap slot: pop reads the key after the last when comparing children.
    sizes[HK] = 8 * (H + 1);
    sizes[HV] = 4 * (H + 1);
    const order = [OFFS, NBR, ARR, LEN, REV, STATE, LOCAL, CELL, MEMBERS, CACHE, ARGS, HK, HV];
    const { starts, end } = placeRegions(0, order.map((region) => sizes[region]!));
    ensureBytes(this.memory, end);
    const addresses = new Array<number>(PARAMS);
    order.forEach((region, i) => (addresses[region] = starts[i]!));
    this.addresses = addresses;
    this.state = new Float64Array(this.memory.buffer, addresses[STATE]!, 8 * V);
    this.members = new Uint32Array(this.memory.buffer, addresses[MEMBERS]!, V);
  }
}
