import type { ConvNeighbourhood } from './conv-neighbourhood.js';

/**
 * Per-entry quantities of a GEM convolution that depend only on the neighbourhood: radial hat
 * weights and cos/sin of the angles the kernel rotates by. Built once per neighbourhood and
 * reused by forward and backward.
 */
export interface ConvEntries {
  /** The neighbourhood these were computed for (the cache key). */
  readonly neighbourhood: ConvNeighbourhood;
  /** Per entry: first ring with nonzero weight, −1 when the entry is beyond every ring. */
  readonly ring: Int32Array;
  /** Per entry: weight of ring `ring[e]`. */
  readonly weight0: Float64Array;
  /** Per entry: weight of ring `ring[e] + 1` (0 when that ring does not exist). */
  readonly weight1: Float64Array;
  /** Per entry: 1 when r = 0, where only the θ-averaged kernel is equivariant. */
  readonly origin: Uint8Array;
  /** True when some entry has r = 0. */
  readonly hasOrigin: boolean;
  /** Per row: 1 / max(1, Σ_q Σ_k w_k(r_pq)) when normalising, else 1. */
  readonly rowScale: Float64Array;
  /** cos(n(g − θ)) at [e · inOrders + n − 1], n = 1..inOrders (θ taken as 0 at r = 0). */
  readonly cosIn: Float64Array;
  /** sin(n(g − θ)), same layout. */
  readonly sinIn: Float64Array;
  /** cos(mθ) at [e · outOrders + m − 1], m = 1..outOrders. */
  readonly cosOut: Float64Array;
  /** sin(mθ), same layout. */
  readonly sinOut: Float64Array;
}

/** Radial profile and band limits the cache is built for. */
export interface ConvEntrySpec {
  /** Number of hat functions K ≥ 1. */
  readonly rings: number;
  /** Normalised radius of the outermost ring centre. */
  readonly radius: number;
  /** Input band limit. */
  readonly inOrders: number;
  /** Output band limit. */
  readonly outOrders: number;
  /** Divide each row by max(1, Σ weights). */
  readonly normalise: boolean;
}

/** Writes cos(nα), sin(nα) for n = 1..orders at base, by the angle-addition recurrence. */
function writeHarmonics(alpha: number, orders: number, cos: Float64Array, sin: Float64Array, base: number): void {
  const c1 = Math.cos(alpha), s1 = Math.sin(alpha);
  let cn = 1, sn = 0;
  for (let n = 0; n < orders; n++) {
    const c = cn * c1 - sn * s1;
    sn = sn * c1 + cn * s1;
    cn = c;
    cos[base + n] = cn;
    sin[base + n] = sn;
  }
}

/**
 * Hat weights and harmonics of every entry. Hat k has centre c_k = k · radius / (K − 1) and
 * half-width h = radius / (K − 1) (K = 1: centre 0, half-width radius); w_k(r) = max(0, 1 − |r − c_k| / h).
 */
export function computeConvEntries(nb: ConvNeighbourhood, spec: ConvEntrySpec): ConvEntries {
  const E = nb.sources.length;
  const K = spec.rings;
  const h = K === 1 ? spec.radius : spec.radius / (K - 1);
  const ring = new Int32Array(E), weight0 = new Float64Array(E), weight1 = new Float64Array(E);
  const origin = new Uint8Array(E);
  const rowScale = new Float64Array(nb.rowCount);
  const cosIn = new Float64Array(E * spec.inOrders), sinIn = new Float64Array(E * spec.inOrders);
  const cosOut = new Float64Array(E * spec.outOrders), sinOut = new Float64Array(E * spec.outOrders);
  let hasOrigin = false;
  for (let p = 0; p < nb.rowCount; p++) {
    let total = 0;
    for (let e = nb.offsets[p]!; e < nb.offsets[p + 1]!; e++) {
      const r = nb.radius[e]!;
      const t = r / h;
      const k = Math.floor(t);
      if (k >= K) {
        ring[e] = -1;
      } else {
        ring[e] = k;
        weight0[e] = 1 - (t - k);
        weight1[e] = k + 1 < K ? t - k : 0;
        total += weight0[e]! + weight1[e]!;
      }
      const isOrigin = r === 0;
      if (isOrigin) hasOrigin = true;
      origin[e] = isOrigin ? 1 : 0;
      const theta = isOrigin ? 0 : nb.angle[e]!;
      writeHarmonics(nb.transport[e]! - theta, spec.inOrders, cosIn, sinIn, e * spec.inOrders);
      writeHarmonics(theta, spec.outOrders, cosOut, sinOut, e * spec.outOrders);
    }
    rowScale[p] = spec.normalise ? 1 / Math.max(1, total) : 1;
  }
  return { neighbourhood: nb, ring, weight0, weight1, origin, hasOrigin, rowScale, cosIn, sinIn, cosOut, sinOut };
}

/** Entries per neighbourhood object and spec, shared by every layer that convolves over it; dropped with the neighbourhood. */
const SHARED = new WeakMap<ConvNeighbourhood, Map<string, ConvEntries>>();

/** {@link computeConvEntries}, computed once per (neighbourhood object, spec) and shared between layers. */
export function convEntriesFor(nb: ConvNeighbourhood, spec: ConvEntrySpec): ConvEntries {
  let bySpec = SHARED.get(nb);
  if (bySpec === undefined) {
    bySpec = new Map();
    SHARED.set(nb, bySpec);
  }
  const key = `${spec.rings}/${spec.radius}/${spec.inOrders}/${spec.outOrders}/${spec.normalise}`;
  let entries = bySpec.get(key);
  if (entries === undefined) {
    entries = computeConvEntries(nb, spec);
    bySpec.set(key, entries);
  }
  return entries;
}
