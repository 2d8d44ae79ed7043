import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
 * writes a temporary file in the same folder (`<path>.tmp-<pid>-<random>`), flushes it to disk,
 * then renames it over `path`. The temporary file is removed if anything fails.
 * @throws Error `<path>: cannot write (<reason>)`, with the system error as `cause`.
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
    throw new Error(`${path}: cannot write (${reason})`, { cause: error });
  }
}
