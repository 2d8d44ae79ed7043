import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatFromPath, MESH_FORMATS } from '../../core/mesh/detect-format.js';
import { FileError } from '../../core/mesh/file-error.js';

/** Why a labelled data folder could not be used. Codes are stable: scripts and reports match on them. */
export type DatasetErrorCode =
  /** A folder or file could not be read. */
  | 'IO'
  /** The folder holds no mesh files. */
  | 'NO_MESHES'
  /** A mesh has no `<stem>.labels.txt`, or two meshes share a stem. */
  | 'MISSING_LABELS'
  /** `labels.json` is missing or not `{"labels": [distinct non-empty names]}`, or names other labels than another data folder's. */
  | 'LABEL_NAMES'
  /** A labels file has a token that is not a non-negative integer. */
  | 'LABEL_PARSE'
  /** A labels file has a different number of labels than the mesh has vertices. */
  | 'LABEL_COUNT'
  /** A label is not below the number of class names. */
  | 'LABEL_RANGE';

/** A typed error for a bad data folder: `code` for programs, `message` (naming the file) for people. */
export class DatasetError extends FileError<DatasetErrorCode> {
  override readonly name = 'DatasetError';
}

/** One labelled mesh of a data folder. */
export interface LabeledItem {
  /** Path of the mesh file. */
  mesh: string;
  /** Path of its `<stem>.labels.txt`. */
  labels: string;
  /** The file name without its extension; items are sorted by it. */
  stem: string;
}

/** A labelled data folder: class names and the meshes with their labels. */
export interface LabeledDataset {
  /** Class names from `labels.json`, index = label value. */
  labels: string[];
  /** Path of the `labels.json` that was used. */
  labelsFile: string;
  /** The meshes, sorted by stem. */
  items: LabeledItem[];
}

/** Suffix of the per-vertex labels file next to each mesh. */
export const LABELS_SUFFIX = '.labels.txt';
/** Name of the class-names file. */
export const LABEL_NAMES_FILE = 'labels.json';

// Windows editors may start a UTF-8 text file with a byte order mark; it is not part of the text.
const BYTE_ORDER_MARK = /^\uFEFF/;

/**
 * Lists a labelled data folder: every mesh (.off .ply .obj .glb .gltf) in `dir` with its
 * `<stem>.labels.txt` (one integer per vertex as stored in the mesh file, whitespace separated)
 * and the class names from `labels.json`, looked for in `dir` and then in its parent (so that
 * `data/train/` and `data/test/` can share `data/labels.json`).
 * A mesh without a labels file is an error, not skipped: scores on a partly labelled set mislead.
 * @throws {@link DatasetError}
 */
export async function listLabeledDataset(dir: string): Promise<LabeledDataset> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw ioError(dir, 'cannot list the data folder', error);
  }
  const present = new Set(names);
  const items: LabeledItem[] = [];
  for (const name of names) {
    if (formatFromPath(name) === null) continue;
    const stem = name.slice(0, name.lastIndexOf('.'));
    items.push({ mesh: join(dir, name), labels: join(dir, stem + LABELS_SUFFIX), stem });
  }
  if (items.length === 0) {
    throw new DatasetError('NO_MESHES', dir, `no meshes (${MESH_FORMATS.map((f) => `.${f}`).join(' ')}) in this folder`);
  }
  // Code-unit order, not locale order, so every machine lists (and splits, and seeds) the same way.
  items.sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : a.mesh < b.mesh ? -1 : 1));
  for (let i = 1; i < items.length; i++) {
    if (items[i]!.stem === items[i - 1]!.stem) {
      throw new DatasetError('MISSING_LABELS', items[i]!.mesh, `shares the stem "${items[i]!.stem}" with ${basename(items[i - 1]!.mesh)}, so ${items[i]!.stem}${LABELS_SUFFIX} cannot say which it labels`);
    }
  }
  const missing = items.filter((item) => !present.has(basename(item.labels)));
  if (missing.length > 0) {
    const others = missing.length > 1 ? ` (and ${missing.length - 1} more meshes have none)` : '';
    throw new DatasetError('MISSING_LABELS', missing[0]!.labels, `missing: every mesh needs its per-vertex labels file${others}`);
  }
  const { labels, labelsFile } = await readLabelNames(dir);
  return { labels, labelsFile, items };
}

/** Reads the class names from `dir/labels.json`, or else from `dir/../labels.json`. */
async function readLabelNames(dir: string): Promise<{ labels: string[]; labelsFile: string }> {
  const candidates = [join(dir, LABEL_NAMES_FILE), join(dir, '..', LABEL_NAMES_FILE)];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw ioError(file, 'cannot be read', error);
    }
    return { labels: parseLabelNames(text, file), labelsFile: file };
  }
  throw new DatasetError('LABEL_NAMES', candidates[0]!, `missing (looked there and in ${candidates[1]}); write {"labels": ["name of class 0", ...]}`);
}

function parseLabelNames(text: string, file: string): string[] {
  const invalid = (detail: string, cause?: unknown) =>
    new DatasetError('LABEL_NAMES', file, `${detail}; expected {"labels": ["name of class 0", ...]}`, { cause });
  let json: unknown;
  try {
    json = JSON.parse(text.replace(BYTE_ORDER_MARK, ''));
  } catch (error) {
    throw invalid(`is not JSON (${(error as Error).message})`, error);
  }
  const labels = typeof json === 'object' && json !== null ? (json as { labels?: unknown }).labels : undefined;
  if (!Array.isArray(labels) || labels.length === 0) throw invalid('has no non-empty "labels" array');
  const seen = new Set<string>();
  for (const [i, label] of labels.entries()) {
    if (typeof label !== 'string' || label === '') throw invalid(`label ${i} is ${JSON.stringify(label)}, not a non-empty string`);
    if (seen.has(label)) throw invalid(`label "${label}" appears twice`);
    seen.add(label);
  }
  return labels as string[];
}

/**
 * Reads a per-vertex labels file: whitespace-separated non-negative integers, one per vertex in
 * the order of the mesh file (before welding).
 * @param expectedCount the mesh file's vertex count.
 * @param labelCount the number of classes; every label must be below it.
 * @throws {@link DatasetError} `IO`, `LABEL_PARSE`, `LABEL_COUNT` or `LABEL_RANGE`.
 */
export async function readVertexLabels(path: string, expectedCount: number, labelCount: number): Promise<Uint32Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw ioError(path, 'cannot be read', error);
  }
  const lines = text.replace(BYTE_ORDER_MARK, '').split('\n');
  const values: number[] = [];
  for (let line = 0; line < lines.length; line++) {
    for (const token of lines[line]!.split(/\s+/)) {
      if (token === '') continue;
      if (!/^\d+$/.test(token)) {
        throw new DatasetError('LABEL_PARSE', path, `line ${line + 1}: "${token.slice(0, 20)}" is not a label (a non-negative integer)`);
      }
      const value = Number(token);
      if (value >= labelCount) {
        throw new DatasetError('LABEL_RANGE', path, `line ${line + 1}: label ${token} is out of range for ${labelCount} classes (0 to ${labelCount - 1})`);
      }
      values.push(value);
    }
  }
  if (values.length !== expectedCount) {
    throw new DatasetError('LABEL_COUNT', path, `has ${values.length} labels for ${expectedCount} vertices`);
  }
  return Uint32Array.from(values);
}

function ioError(file: string, what: string, error: unknown): DatasetError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new DatasetError('IO', file, `${what} (${reason})`, { cause: error });
}
