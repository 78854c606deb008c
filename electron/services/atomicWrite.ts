import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that readers see either the old content or the new, never a mix:
 * temp file in the same folder → fsync → rename over the target → fsync the folder.
 * A process killed mid-write leaves at most a stray `.tmp-*` file, which `cleanupTempFiles` removes.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

export async function fsyncDir(dir: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; durability of the rename is best-effort there.
  if (process.platform === 'win32') return;
  const dh = await fs.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Removes temp files left by a writer that was killed between open and rename. */
export async function cleanupTempFiles(dir: string): Promise<number> {
  let n = 0;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (/^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name)) {
      await fs.rm(path.join(dir, name), { force: true });
      n++;
    }
  }
  return n;
}
