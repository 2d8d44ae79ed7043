import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DatasetError, type LabeledItem } from '../dataset.js';

/** What identifies one labelled mesh: its stem and the SHA-256 (hex) of its mesh file and of its labels file. */
export interface MeshFingerprint {
  readonly stem: string;
  readonly mesh: string;
  readonly labels: string;
}

/**
 * What identifies the data a training run uses, recorded in its checkpoint so that a resumed run
 * can tell whether it trains on the same: the label names in order (they say what each class
 * index means) and every training and validation mesh, in the order the run uses them.
 */
export interface DataFingerprint {
  readonly labels: readonly string[];
  readonly training: readonly MeshFingerprint[];
  readonly validation: readonly MeshFingerprint[];
}

/**
 * Hashes every mesh and labels file (FAUST's 80 bodies, 37 MB, take about 0.1 s).
 * @throws {@link DatasetError} `IO` when a file cannot be read.
 */
export async function fingerprintData(labels: readonly string[], training: readonly LabeledItem[], validation: readonly LabeledItem[]): Promise<DataFingerprint> {
  const fingerprint = async (item: LabeledItem): Promise<MeshFingerprint> => ({ stem: item.stem, mesh: await fileHash(item.mesh), labels: await fileHash(item.labels) });
  const hashed = async (items: readonly LabeledItem[]) => {
    const out: MeshFingerprint[] = [];
    // One file at a time: it takes a fraction of a second and holds one file in memory.
    for (const item of items) out.push(await fingerprint(item));
    return out;
  };
  return { labels: [...labels], training: await hashed(training), validation: await hashed(validation) };
}

/** Whether `value` (read from a checkpoint's metadata) has the shape of a {@link DataFingerprint}. */
export function isDataFingerprint(value: unknown): value is DataFingerprint {
  const record = value as Partial<DataFingerprint> | null;
  const meshes = (list: unknown) => Array.isArray(list) && list.every((m) => typeof m?.stem === 'string' && typeof m.mesh === 'string' && typeof m.labels === 'string');
  return typeof record === 'object' && record !== null && Array.isArray(record.labels) && meshes(record.training) && meshes(record.validation);
}

/**
 * What differs between the data a checkpoint was made with (`saved`) and this run's, in words,
 * one entry per difference: `the label names (the checkpoint's: top, bottom)`,
 * `training meshes: 1 added (tr_reg_005), 1 relabelled (tr_reg_001)`. Empty when the same.
 */
export function dataDifferences(saved: DataFingerprint, current: DataFingerprint): string[] {
  const differences: string[] = [];
  if (JSON.stringify(saved.labels) !== JSON.stringify(current.labels)) differences.push(`the label names (the checkpoint's: ${saved.labels.join(', ')})`);
  for (const [what, before, now] of [['training meshes', saved.training, current.training], ['validation meshes', saved.validation, current.validation]] as const) {
    const changes = meshChanges(before, now);
    if (changes.length > 0) differences.push(`${what}: ${changes.join(', ')}`);
  }
  return differences;
}

// `1 added (a)`, `2 removed (b, c)`, `1 changed (d)` (its mesh file), `1 relabelled (e)` (its labels file); `in another order` when only that.
function meshChanges(before: readonly MeshFingerprint[], now: readonly MeshFingerprint[]): string[] {
  // Stems may repeat across data folders: those pair up in order.
  const byStem = (list: readonly MeshFingerprint[]) => {
    const map = new Map<string, MeshFingerprint[]>();
    for (const mesh of list) map.set(mesh.stem, [...(map.get(mesh.stem) ?? []), mesh]);
    return map;
  };
  const was = byStem(before);
  const is = byStem(now);
  const added: string[] = [], removed: string[] = [], changed: string[] = [], relabelled: string[] = [];
  for (const stem of new Set([...was.keys(), ...is.keys()])) {
    const a = was.get(stem) ?? [], b = is.get(stem) ?? [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length) added.push(stem);
      else if (i >= b.length) removed.push(stem);
      else if (a[i]!.mesh !== b[i]!.mesh) changed.push(stem);
      else if (a[i]!.labels !== b[i]!.labels) relabelled.push(stem);
    }
  }
  const changes = [[added, 'added'], [removed, 'removed'], [changed, 'changed'], [relabelled, 'relabelled']] as const;
  const words = changes.filter(([stems]) => stems.length > 0).map(([stems, what]) => `${stems.length} ${what} (${listed(stems)})`);
  if (words.length === 0 && JSON.stringify(before) !== JSON.stringify(now)) return ['in another order'];
  return words;
}

// At most three names, so a whole other data set does not fill the terminal.
function listed(stems: readonly string[]): string {
  return stems.length <= 3 ? stems.join(', ') : `${stems.slice(0, 3).join(', ')} and ${stems.length - 3} more`;
}

async function fileHash(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DatasetError('IO', path, `cannot be read (${reason})`, { cause: error });
  }
  return createHash('sha256').update(bytes).digest('hex');
}
