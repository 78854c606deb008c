import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeDir } from './fileUtils';
import { PROCESS_SPACE_TAG, pidAlive } from './projectLock';

/**
 * Writes a file so that readers see either the old content or the new, never a mix:
 * temp file in the same folder → fsync → rename over the target → fsync the folder.
 * A process killed mid-write leaves at most a stray `.tmp-*` file, which `cleanupTempFiles` removes.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  await makeDir(dir);
  const tmp = tempPathFor(target);
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

/**
 * The temp name every atomic write uses: `.<name>.tmp-<pid>-<machine tag>-<random>`, beside the
 * target (a rename within one folder is atomic). The pid and the tag of the machine (and pid
 * namespace) it belongs to say whose write it is, so cleanup can tell a killed writer's leftover
 * from another live process's write in flight.
 */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${PROCESS_SPACE_TAG}-${randomBytes(4).toString('hex')}`);
}

/** Ours: pid, machine tag, random; the older form had no tag. */
const TEMP_NAME = /^\..+\.tmp-(\d+)-(?:([0-9a-f]{6})-)?[0-9a-f]{8}$/;

/**
 * A temp file's writer is gone when its pid no longer runs. That pid can be checked only for a file
 * of this machine and pid namespace (its tag is ours); another machine's or container's file sharing
 * the folder (or an untagged one) counts as abandoned once it has not changed for `quietMs`: its
 * writer would keep changing it while it writes, a killed one's leftover stays as it was.
 */
export const TEMP_QUIET_MS = 60_000;

/** Removes temp files whose writer was killed between open and rename; leaves live writers' files alone. */
export async function cleanupTempFiles(dir: string, opts: { quietMs?: number } = {}): Promise<number> {
  const quietMs = opts.quietMs ?? TEMP_QUIET_MS;
  let n = 0;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (m[2] === PROCESS_SPACE_TAG) {
      if (pid === process.pid || pidAlive(pid)) continue;
    } else {
      const st = await fs.stat(path.join(dir, name)).catch(() => null);
      if (!st || Date.now() - st.mtimeMs < quietMs) continue;
    }
    await fs.rm(path.join(dir, name), { force: true });
    n++;
  }
  return n;
}
