import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { formatFromPath } from '../../../core/mesh/detect-format.js';
import { readStamp } from './labelling-stamp.js';

/** One scan to segment. */
export interface BatchInput {
  /** The path as found (as given, or joined under a directory input). */
  readonly path: string;
  /** Its path under the directory or glob base it came from: the output keeps this sub-folder. */
  readonly relative: string;
}

/** What {@link collectInputs} found. */
export interface CollectedInputs {
  /** The scans to segment, sorted by path, each once. */
  readonly inputs: BatchInput[];
  /** Files a folder or glob search found inside the output folder and left out because segment wrote them, sorted. */
  readonly leftOut: string[];
}

/**
 * Expands files, folders and glob patterns into a sorted, de-duplicated list of scans.
 *
 * - A file named on the command line is always taken, wherever it is; a path that does not exist
 *   is kept too, so the batch reports it as an error.
 * - A folder is searched recursively, and a glob matched, for regular files (or links to them)
 *   with a scan extension (.gltf .glb .obj .ply .off); a folder named `scan.obj` is not a scan.
 * - Of the files a search finds, those inside `outputFolder` that segment wrote (glTF whose root
 *   extras carry `erlangenLabelling`) are left out and listed in `leftOut`, so a rerun never
 *   segments its own outputs. Nothing else is left out.
 */
export async function collectInputs(args: readonly string[], outputFolder?: string): Promise<CollectedInputs> {
  // Absolute path → the input, and whether an argument named it (a named file is never left out).
  const found = new Map<string, { input: BatchInput; named: boolean }>();
  const add = (path: string, rel: string, named: boolean) => {
    const absolute = resolve(path);
    const known = found.get(absolute);
    if (!known) found.set(absolute, { input: { path, relative: rel }, named });
    else if (named) known.named = true;
  };
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      for (const entry of await readdir(arg, { recursive: true, withFileTypes: true })) {
        const path = join(entry.parentPath, entry.name);
        if (formatFromPath(entry.name) !== null && await isScanFile(path, entry)) add(path, relative(arg, path), false);
      }
    } else if (!info && isDynamicPattern(arg)) {
      const base = staticBase(arg);
      for (const match of await glob(arg, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) })) {
        if (formatFromPath(match) !== null && await isScanFile(match)) add(match, relative(base, match), false);
      }
    } else add(arg, basename(arg), true);
  }

  const outputs = outputFolder ? await folderPrefix(outputFolder) : null;
  const inputs: BatchInput[] = [];
  const leftOut: string[] = [];
  for (const { input, named } of found.values()) {
    if (!named && outputs !== null && await isEarlierOutput(input.path, outputs)) leftOut.push(input.path);
    else inputs.push(input);
  }
  return { inputs: inputs.sort((a, b) => byPath(a.path, b.path)), leftOut: leftOut.sort(byPath) };
}

// Only regular files are scans; a link counts when its target is one, so its entry alone cannot say.
async function isScanFile(path: string, entry?: Dirent): Promise<boolean> {
  if (entry && !entry.isSymbolicLink()) return entry.isFile();
  return (await stat(path).catch(() => null))?.isFile() === true;
}

// The real path of an existing folder with a trailing separator; null when it does not exist, so nothing is inside it.
async function folderPrefix(folder: string): Promise<string | null> {
  const real = await realpath(folder).catch(() => null);
  if (real === null) return null;
  return real.endsWith(sep) ? real : real + sep;
}

// A glTF inside the output folder (by real path, so links and `..` do not hide it) that carries segment's stamp.
async function isEarlierOutput(path: string, outputs: string): Promise<boolean> {
  const format = formatFromPath(path);
  if (format !== 'glb' && format !== 'gltf') return false;
  const real = await realpath(path).catch(() => null);
  return real !== null && real.startsWith(outputs) && await readStamp(path) !== null;
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
