import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { SynthesisHistoryEntry } from '../../../shared/contract/synthesis';
import { decodeWav } from '../../../shared/dsp/wav';
import { writeFileAtomic } from '../atomicWrite';

/**
 * Syntheses kept with the project, so a reload (or the next session) still has them: each WAV at
 * `synthesis/<id>.wav`, the entries newest first in `synthesis/index.json`. Every write is atomic and the
 * WAV is written before the index names it, so a crash leaves at most an unlisted WAV, never a listed
 * missing one. Writes to one project are serialized in this process (two syntheses finishing together).
 */
export const HISTORY_DIR = 'synthesis';
export const HISTORY_INDEX = 'index.json';
/** Newest kept per project; older entries and their WAVs are removed. */
export const MAX_KEPT = 50;

const queues = new Map<string, Promise<unknown>>();
function serialized<T>(projectDir: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(projectDir);
  const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
  queues.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

async function readIndex(projectDir: string): Promise<SynthesisHistoryEntry[]> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(projectDir, HISTORY_DIR, HISTORY_INDEX), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ServiceError('bad-project', `${path.join(projectDir, HISTORY_DIR, HISTORY_INDEX)} is not valid JSON; move it aside to start a new synthesis history`);
  }
  const list = Array.isArray((parsed as { entries?: unknown })?.entries) ? (parsed as { entries: unknown[] }).entries : [];
  // An entry this version cannot read is skipped, not fatal: the others still play.
  return list.flatMap((e) => {
    const r = SynthesisHistoryEntry.safeParse(e);
    return r.success ? [r.data] : [];
  });
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** The kept syntheses, newest first; an entry whose WAV was deleted by hand is left out. */
export async function listHistory(projectDir: string): Promise<SynthesisHistoryEntry[]> {
  const entries = await readIndex(projectDir);
  const present = await Promise.all(entries.map((e) => exists(path.join(projectDir, e.wav))));
  return entries.filter((_, i) => present[i]);
}

/** Keeps one synthesis: WAV first, then the index; returns the new list. */
export async function keepSynthesis(projectDir: string, entry: Omit<SynthesisHistoryEntry, 'wav'>, wavBytes: Uint8Array, max = MAX_KEPT): Promise<SynthesisHistoryEntry[]> {
  try {
    decodeWav(wavBytes);
  } catch (e) {
    throw new ServiceError('bad-input', `synthesis ${entry.id}: not a readable WAV (${(e as Error).message})`);
  }
  const checked = SynthesisHistoryEntry.omit({ wav: true }).parse(entry);
  return serialized(projectDir, async () => {
    const wav = `${HISTORY_DIR}/${checked.id}.wav`;
    await fs.mkdir(path.join(projectDir, HISTORY_DIR), { recursive: true });
    await writeFileAtomic(path.join(projectDir, wav), wavBytes);
    const before = await readIndex(projectDir);
    const all = [{ ...checked, wav }, ...before.filter((e) => e.id !== checked.id)];
    const kept = all.slice(0, max);
    await writeFileAtomic(path.join(projectDir, HISTORY_DIR, HISTORY_INDEX), JSON.stringify({ version: 1, entries: kept }, null, 1) + '\n');
    // Only once the index no longer names them.
    for (const old of all.slice(max)) await fs.rm(path.join(projectDir, old.wav), { force: true });
    return kept;
  });
}
