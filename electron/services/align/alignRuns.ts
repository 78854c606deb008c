import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AlignRun } from '../../../shared/contract/align';
import { ServiceError } from '../../../shared/contract/rpc';
import { writeFileAtomic } from '../atomicWrite';

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
  let names: string[] = [];
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
