import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClipRecord } from '../../../shared/contract/manifest';
import { makeDir } from '../fileUtils';

/**
 * WAVs of clips deleted by a batch (`clips.updateMany`) are moved into `<project>/.trash/`, named by
 * their render key (a hash of source, region and render settings), so that undoing a bulk delete of
 * thousands of clips is a rename per clip instead of a re-render. A WAV is only taken back when the
 * restored clip's key, computed again from the manifest, names it, so a stale file is never reused.
 * Entries older than TRASH_MAX_AGE_MS are pruned on the next batch delete; a missing entry only
 * means the clip is rendered again from its source (every WAV is derived data).
 */
export const TRASH_DIR = '.trash';
export const TRASH_MAX_AGE_MS = 24 * 3600 * 1000;

const RENDER_KEY = /^[0-9a-f]{16}$/;

function trashFile(projectDir: string, key: string): string {
  return path.join(projectDir, TRASH_DIR, `${key}.wav`);
}

/** Moves deleted clips' WAVs into the trash (removes those without a render key). Missing WAVs are fine. */
export async function moveToTrash(projectDir: string, clips: readonly ClipRecord[]): Promise<void> {
  if (!clips.length) return;
  await makeDir(path.join(projectDir, TRASH_DIR));
  const now = new Date();
  for (const c of clips) {
    const wav = path.join(projectDir, c.wav);
    try {
      if (c.renderKey && RENDER_KEY.test(c.renderKey)) {
        const to = trashFile(projectDir, c.renderKey);
        await fs.rename(wav, to);
        await fs.utimes(to, now, now); // the age counts from the delete, not from the render
      } else {
        await fs.rm(wav, { force: true });
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** Moves the trashed WAV with render key `key` to `target`; false when there is none. */
export async function takeFromTrash(projectDir: string, key: string, target: string): Promise<boolean> {
  if (!RENDER_KEY.test(key)) return false;
  try {
    await fs.rename(trashFile(projectDir, key), target);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Removes trash entries older than `maxAgeMs`; returns how many. */
export async function pruneTrash(projectDir: string, maxAgeMs = TRASH_MAX_AGE_MS, now = Date.now()): Promise<number> {
  const dir = path.join(projectDir, TRASH_DIR);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    if (!name.endsWith('.wav')) continue;
    const st = await fs.stat(path.join(dir, name)).catch(() => null);
    if (st && now - st.mtimeMs > maxAgeMs) {
      await fs.rm(path.join(dir, name), { force: true });
      n++;
    }
  }
  return n;
}
