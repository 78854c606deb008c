import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CLIP_ID } from '../../../shared/contract/manifest';
import { writeFileAtomic } from '../atomicWrite';

/**
 * The export record: `<out>/.formant-export.json` lists the files an export wrote, with the size
 * and modification time each had right after it was written. Exporting again into the same folder
 * removes the WAVs that the previous export wrote and this one does not (clips deleted, rejected
 * or untranscribed since), so a training run on `wavs/` cannot pick up stale audio.
 *
 * It never removes a file it did not write: only `wavs/<clip-id>.wav` entries of the record are
 * candidates, and only when the file still has the recorded size and mtime (a file the user
 * replaced or edited since is kept and reported). A folder without a record (a first export, or
 * one made by an older version) loses nothing; the WAVs there that this export did not write are
 * counted in the result so the user knows they are there.
 */
export const EXPORT_RECORD_FILE = '.formant-export.json';

const RecordedFile = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), mtimeMs: z.number() });
export type RecordedFile = z.infer<typeof RecordedFile>;

export const ExportRecord = z.object({
  format: z.literal('formant-export'),
  version: z.literal(1),
  exportedAt: z.string(),
  /** The project exported (informational). */
  project: z.string(),
  files: z.array(RecordedFile),
  /**
   * Written before an export starts replacing files, dropped by the record it writes when done: the
   * files it is about to write. A killed export leaves them listed, so the next one knows they are
   * its own (not a user's) and may replace them.
   */
  pending: z.array(z.string()).optional(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

/** `wavs/<clip id>.wav` and nothing else (no `..`, no other folder) may be removed as stale. */
const REMOVABLE = (p: string) => p.startsWith('wavs/') && p.endsWith('.wav') && CLIP_ID.test(p.slice(5, -4)) && !p.slice(5).includes('/');

export async function readExportRecord(outDir: string): Promise<{ record: ExportRecord | null; warning?: string }> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(outDir, EXPORT_RECORD_FILE), 'utf8');
  } catch {
    return { record: null };
  }
  try {
    return { record: ExportRecord.parse(JSON.parse(raw)) };
  } catch {
    return { record: null, warning: `${EXPORT_RECORD_FILE} in ${outDir} is unreadable; no earlier files were removed` };
  }
}

/** Size and mtime of a file just written (what the next export checks before removing it). */
export async function describeWritten(outDir: string, rel: string): Promise<RecordedFile> {
  const st = await fs.stat(path.join(outDir, rel));
  return { path: rel, bytes: st.size, mtimeMs: st.mtimeMs };
}

export interface StaleCleanup {
  /** Files of the earlier export removed now. */
  removed: string[];
  /** Files of the earlier export that changed since (kept). */
  keptChanged: string[];
}

/** Removes what `previous` recorded and `current` no longer writes, when unchanged since. */
export async function removeStale(outDir: string, previous: ExportRecord | null, current: ReadonlySet<string>): Promise<StaleCleanup> {
  const out: StaleCleanup = { removed: [], keptChanged: [] };
  for (const f of previous?.files ?? []) {
    if (current.has(f.path) || !REMOVABLE(f.path)) continue;
    const abs = path.join(outDir, f.path);
    const st = await fs.stat(abs).catch(() => null);
    if (!st) continue; // already gone
    if (!st.isFile() || st.size !== f.bytes || st.mtimeMs !== f.mtimeMs) {
      out.keptChanged.push(f.path);
      continue;
    }
    await fs.rm(abs, { force: true });
    out.removed.push(f.path);
  }
  return out;
}

export async function writeExportRecord(outDir: string, projectDir: string, files: RecordedFile[], pending?: string[]): Promise<void> {
  const record: ExportRecord = { format: 'formant-export', version: 1, exportedAt: new Date().toISOString(), project: path.resolve(projectDir), files, ...(pending ? { pending } : {}) };
  await writeFileAtomic(path.join(outDir, EXPORT_RECORD_FILE), JSON.stringify(record, null, 1) + '\n');
}

/** WAVs under `<out>/wavs` that neither this export wrote nor any record names (left alone; counted for the user). */
export async function countForeignWavs(outDir: string, written: ReadonlySet<string>): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(outDir, 'wavs'));
  } catch {
    return 0;
  }
  return names.filter((n) => n.toLowerCase().endsWith('.wav') && !written.has(`wavs/${n}`)).length;
}
