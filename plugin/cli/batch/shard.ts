import { UsageError } from '../command.js';

/** The i-th of n slices of a batch (0-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n`; anything else is a usage error. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) throw new UsageError(`--shard '${text}': expected i/n with 0 ≤ i < n, e.g. --shard 0/4`);
  return { index, count };
}

/**
 * Whether an input belongs to a shard: by a hash of its relative path, so the slices are disjoint,
 * cover everything, and a file stays in its slice when others are added to or removed from the collection.
 */
export function inShard(relativePath: string, shard: Shard): boolean {
  return fnv1a(relativePath.replaceAll('\\', '/')) % shard.count === shard.index;
}

// 32-bit FNV-1a over UTF-16 code units: fast, stable across machines and Node versions.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
