import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { FileError } from '../../core/mesh/file-error.js';

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
 * writes a temporary file in the same folder (`<path>.tmp-<pid>-<random>`), flushes it to disk,
 * then renames it over `path`. The temporary file is removed if anything fails.
 * @throws FileError `WRITE_FAILED`, `<path>: cannot write (<reason>)`, with the system error as `cause`.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  // Same folder, so the rename stays on one file system and is atomic; pid and random bytes keep parallel writers apart.
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      // Flush before the rename, or a crash could leave the new name pointing at an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FileError('WRITE_FAILED', path, `cannot write (${reason})`, { cause: error });
  }
}

/**
 * Makes the folder `path` is to be written in (and those above it) and checks that `path` is not
 * a folder, so that a command refuses an output it could never write before it starts its work.
 * @throws FileError `WRITE_FAILED` naming `path`: it is a folder, or its folder cannot be made.
 */
export async function prepareOutputFile(path: string): Promise<void> {
  if ((await stat(path).catch(() => null))?.isDirectory()) {
    throw new FileError('WRITE_FAILED', path, 'is a folder; name the file to write (in that folder or elsewhere)');
  }
  const folder = dirname(path);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new FileError('WRITE_FAILED', path, `cannot make its folder ${folder} (${await folderFailureReason(folder, error)})`, { cause: error });
  }
}

// `a/b is a file, not a folder` when a file stands where a folder must be, else the system's code (EACCES).
async function folderFailureReason(folder: string, error: unknown): Promise<string> {
  return (await fileInTheWay(folder)) ?? (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** `<f> is a file, not a folder` for the first of `folder` and the folders above it that is a file; null when none is. */
export async function fileInTheWay(folder: string): Promise<string | null> {
  for (let above = folder; above !== dirname(above); above = dirname(above)) {
    const info = await stat(above).catch(() => null);
    if (info && !info.isDirectory()) return `${above} is a file, not a folder`;
  }
  return null;
}
