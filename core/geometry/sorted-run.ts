/** Index of `value` in the ascending run values[start, end) by binary search, or −1: a CSR row lookup. */
export function indexInSortedRun(values: Uint32Array, start: number, end: number, value: number): number {
  let lo = start, hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
