import type { Neighbourhood } from '../../geometry/neighbourhood.js';
import { indexInSortedRun } from '../../geometry/sorted-run.js';

/** An undirected weighted graph in compressed sparse rows: row p lists each neighbour once. */
export interface LevelGraph {
  readonly vertexCount: number;
  /** Row starts, length vertexCount + 1. */
  readonly offsets: Uint32Array;
  /** Neighbour of each entry, ascending within a row. */
  readonly neighbours: Uint32Array;
  /** Edge length per entry, the same for (p, q) and (q, p), mesh units. */
  readonly weights: Float64Array;
}

/**
 * The symmetrised graph of a neighbourhood: (p, q) is an edge when q is in p's patch or p in
 * q's, weighted by the mean of r_pq and r_qp where both exist, else by the one that does.
 * Patches are directed (a log map from p is not one from q), so distances on the raw rows
 * would depend on which end a path starts from; this graph makes them a metric.
 */
export function levelGraph(neighbourhood: Neighbourhood): LevelGraph {
  const { offsets, neighbours, logMapRadius } = neighbourhood;
  const vertexCount = offsets.length - 1;
  // Degree of the union: every entry (p, q) counts for p, and for q unless q also lists p.
  const degree = new Uint32Array(vertexCount);
  for (let p = 0; p < vertexCount; p++) {
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) {
      const q = neighbours[e]!;
      degree[p]!++;
      if (indexInSortedRun(neighbours, offsets[q]!, offsets[q + 1]!, p) < 0) degree[q]!++;
    }
  }
  const out = new Uint32Array(vertexCount + 1);
  for (let p = 0; p < vertexCount; p++) out[p + 1] = out[p]! + degree[p]!;
  const total = out[vertexCount]!;
  const columns = new Uint32Array(total);
  const weights = new Float64Array(total);
  const fill = out.slice(0, vertexCount);
  for (let p = 0; p < vertexCount; p++) {
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) {
      const q = neighbours[e]!;
      const back = indexInSortedRun(neighbours, offsets[q]!, offsets[q + 1]!, p);
      const weight = back < 0 ? logMapRadius[e]! : 0.5 * (logMapRadius[e]! + logMapRadius[back]!);
      columns[fill[p]!] = q;
      weights[fill[p]!++] = weight;
      if (back < 0) {
        columns[fill[q]!] = p;
        weights[fill[q]!++] = weight;
      }
    }
  }
  // Rows were filled in two passes, so restore ascending neighbours within each row.
  for (let p = 0; p < vertexCount; p++) sortRow(columns, weights, out[p]!, out[p + 1]!);
  return { vertexCount, offsets: out, neighbours: columns, weights };
}

/** Insertion sort of one row by column, carrying the weights; rows hold tens of entries. */
function sortRow(columns: Uint32Array, weights: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const c = columns[i]!, w = weights[i]!;
    let j = i - 1;
    while (j >= start && columns[j]! > c) {
      columns[j + 1] = columns[j]!;
      weights[j + 1] = weights[j]!;
      j--;
    }
    columns[j + 1] = c;
    weights[j + 1] = w;
  }
}
