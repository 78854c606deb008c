import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AlignRun } from '../../../shared/contract/align';
import { ServiceError } from '../../../shared/contract/rpc';
import { cleanupTempFiles, writeFileAtomic } from '../atomicWrite';

/** Alignment runs live in the project as `align/<runId>.json` (atomic writes), so the view can reopen them. */
export const RUNS_DIR = 'align';

export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${t}-${randomBytes(3).toString('hex')}`;
}

function runFile(projectDir: string, runId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(runId)) throw new ServiceError('bad-input', `Not an alignment run id: ${runId}`);
  return path.join(projectDir, RUNS_DIR, `${runId}.json`);
}

export async function saveRun(projectDir: string, run: AlignRun): Promise<void> {
  await writeFileAtomic(runFile(projectDir, run.runId), JSON.stringify(AlignRun.parse(run)) + '\n');
}

export async function loadRun(projectDir: string, runId: string): Promise<AlignRun> {
  let raw: string;
  try {
    raw = await fs.readFile(runFile(projectDir, runId), 'utf8');
  } catch {
    throw new ServiceError('not-found', `No alignment run ${runId} in ${projectDir}`);
  }
  const parsed = AlignRun.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new ServiceError('bad-manifest', `Alignment run ${runId} is damaged: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function listRuns(projectDir: string): Promise<AlignRun[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(projectDir, RUNS_DIR));
  } catch {
    return [];
  }
  const runs: AlignRun[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    try {
      runs.push(await loadRun(projectDir, n.slice(0, -5)));
    } catch {
      // a damaged run is skipped in the list; align.result names the problem
    }
  }
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * The project's pending alignment: the last run that was neither accepted nor discarded, named by
 * `align/pending.json` (atomic). The Align view restores it after a reload; accepting or
 * discarding clears it. Its recording waits under `align/recordings/` (not sources/: nothing
 * enters the project's sources before the person accepts).
 */
const PENDING_FILE = 'pending.json';
export const RECORDINGS_DIR = `${RUNS_DIR}/recordings`;

export async function pendingRunId(projectDir: string): Promise<string | null> {
  try {
    const raw = JSON.parse(await fs.readFile(path.join(projectDir, RUNS_DIR, PENDING_FILE), 'utf8')) as { runId?: unknown };
    return typeof raw.runId === 'string' && /^[A-Za-z0-9_-]+$/.test(raw.runId) ? raw.runId : null;
  } catch {
    return null;
  }
}

export async function setPendingRun(projectDir: string, runId: string): Promise<void> {
  await writeFileAtomic(path.join(projectDir, RUNS_DIR, PENDING_FILE), JSON.stringify({ runId }) + '\n');
}

/** Clears the pointer when it names `runId` (or always, without one). */
export async function clearPendingRun(projectDir: string, runId?: string): Promise<void> {
  if (runId && (await pendingRunId(projectDir)) !== runId) return;
  await fs.rm(path.join(projectDir, RUNS_DIR, PENDING_FILE), { force: true });
}

/** The pending run, or null (none, or its file is gone or damaged: nothing to restore). */
export async function loadPendingRun(projectDir: string): Promise<AlignRun | null> {
  const id = await pendingRunId(projectDir);
  if (!id) return null;
  try {
    return await loadRun(projectDir, id);
  } catch {
    return null;
  }
}

/** True for a recording still waiting under align/recordings/ (not yet a source). */
export function isWaitingRecording(relPath: string): boolean {
  return relPath.startsWith(`${RECORDINGS_DIR}/`);
}

/** Removes a waiting recording's folder unless a stored run (other than `except`) still plays it. */
export async function removeWaitingRecording(projectDir: string, relPath: string, except?: string): Promise<void> {
  if (!isWaitingRecording(relPath)) return;
  const users = (await listRuns(projectDir)).filter((r) => r.sourcePath === relPath && r.runId !== except);
  if (users.length) return;
  await removeFileAndEmptyDir(path.join(projectDir, relPath));
}

export async function removeFileAndEmptyDir(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fs.rmdir(path.dirname(file)).catch(() => undefined); // kept when another recording shares it
}

/**
 * A waiting recording no run plays is what an align killed before it saved its run left (kill -9, power
 * loss). Aligning the same recording again resumes with it (it is not copied twice); past this age no
 * align still running can be about to save a run for it, and the next align removes it.
 */
export const ORPHAN_RECORDING_MS = 6 * 3600_000;

/** Removes waiting recordings that no stored run plays and that are older than `olderThanMs`, and killed copies' temp files. Returns how many files went. */
export async function removeOrphanRecordings(projectDir: string, olderThanMs = ORPHAN_RECORDING_MS): Promise<number> {
  const root = path.join(projectDir, RECORDINGS_DIR);
  const dirs = await fs.readdir(root).catch(() => [] as string[]);
  if (!dirs.length) return 0;
  const played = new Set((await listRuns(projectDir)).map((r) => r.sourcePath));
  let removed = 0;
  for (const d of dirs) {
    const dir = path.join(root, d);
    removed += await cleanupTempFiles(dir);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const rel = `${RECORDINGS_DIR}/${d}/${name}`;
      if (name.startsWith('.') || played.has(rel)) continue;
      const st = await fs.stat(path.join(dir, name)).catch(() => null);
      if (!st?.isFile() || Date.now() - st.mtimeMs < olderThanMs) continue;
      await removeFileAndEmptyDir(path.join(dir, name));
      removed++;
    }
    await fs.rmdir(dir).catch(() => undefined);
  }
  return removed;
}

/** Forgets a run that was never accepted: its file and its waiting recording. An accepted run is kept (it made clips). */
export async function discardRun(projectDir: string, runId: string): Promise<void> {
  const run = await loadRun(projectDir, runId).catch(() => null);
  await clearPendingRun(projectDir, runId);
  if (!run || run.acceptedClips.length) return;
  await fs.rm(runFile(projectDir, runId), { force: true });
  await removeWaitingRecording(projectDir, run.sourcePath);
}
