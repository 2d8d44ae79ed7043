import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { formatFromPath } from '../../../core/mesh/detect-format.js';

/** One scan to segment. */
export interface BatchInput {
  /** The path as found (as given, or joined under a directory input). */
  readonly path: string;
  /** Its path under the directory or glob base it came from: the output keeps this sub-folder. */
  readonly relative: string;
}

/**
 * Expands files, directories (recursively, scan formats only) and glob patterns into a sorted,
 * de-duplicated list. Paths that do not exist are kept, so the batch reports them as errors;
 * anything under `exclude` (the output folder) is left out so outputs are never read back as inputs.
 */
export async function collectInputs(args: readonly string[], exclude?: string): Promise<BatchInput[]> {
  const excluded = exclude ? resolve(exclude) + sep : null;
  const found = new Map<string, BatchInput>();
  const add = (path: string, rel: string) => {
    const absolute = resolve(path);
    if (excluded && absolute.startsWith(excluded)) return;
    if (!found.has(absolute)) found.set(absolute, { path, relative: rel });
  };
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      for (const entry of await readdir(arg, { recursive: true })) {
        if (formatFromPath(entry) !== null) add(join(arg, entry), entry);
      }
    } else if (!info && isDynamicPattern(arg)) {
      const base = staticBase(arg);
      for (const match of await glob(arg, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) })) {
        if (formatFromPath(match) !== null) add(match, relative(base, match));
      }
    } else add(arg, basename(arg));
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// `scans/2024/**/*.glb` → `scans/2024`: the folder matches are taken relative to.
function staticBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.length > 0 ? fixed.join('/') : '.';
}
