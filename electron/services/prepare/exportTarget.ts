import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import type { ExportRecord } from './exportRecord';

/**
 * Where an export may write. Paths are compared as the filesystem sees them, not as strings: real
 * paths (symlinks followed) and device + inode of every folder on the way up, so `--out` as a
 * symlink to the project, the project in another letter case (macOS, Windows) or `<out>/wavs` as a
 * link into the project are all recognised as the project.
 *
 *  - never the project itself or a folder inside it, nor a folder whose wavs/ holds the project;
 *  - not the folder the project's recordings were imported from, and not over any file the export
 *    did not write (a user's metadata.csv, an LJSpeech download's wavs/<id>.wav), unless the user
 *    says so (`overwrite`). "Written by the export" means listed in the folder's export record with
 *    the size and mtime it had then, or named by an export that was interrupted (its `pending` list).
 */
export interface ExportTargetCheck {
  /** The folder the export writes into, as a real path. */
  realOut: string;
}

const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

/** `p`'s real path, also when it does not exist yet (its nearest existing ancestor resolved, the rest appended). */
async function realPathOf(p: string): Promise<string> {
  const abs = path.resolve(p);
  const rest: string[] = [];
  for (let cur = abs; ; cur = path.dirname(cur)) {
    try {
      return path.join(await fs.realpath(cur), ...rest.reverse());
    } catch {
      if (path.dirname(cur) === cur) return abs;
      rest.push(path.basename(cur));
    }
  }
}

/** Whether `dir` (real path, existing or not) is `root` or lies inside it, by device and inode of each existing folder up the tree. */
async function insideByInode(root: Stats, dir: string): Promise<boolean> {
  for (let cur = dir; ; cur = path.dirname(cur)) {
    const st = await fs.stat(cur).catch(() => null);
    if (st && sameFile(st, root)) return true;
    if (path.dirname(cur) === cur) return false;
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function listSome(items: string[]): string {
  return items.slice(0, 3).join(', ') + (items.length > 3 ? `, … (${items.length} in all)` : '');
}

export async function checkExportTarget(
  projectDir: string,
  outDir: string,
  manifest: Manifest,
  planned: string[],
  previous: ExportRecord | null,
  opts: { overwrite?: boolean } = {},
): Promise<ExportTargetCheck> {
  const realProject = await fs.realpath(projectDir);
  const projectStat = await fs.stat(realProject);
  const realOut = await realPathOf(outDir);
  const realWavs = await realPathOf(path.join(realOut, 'wavs'));
  for (const [dir, what] of [
    [realOut, outDir],
    [realWavs, path.join(outDir, 'wavs')],
  ] as const) {
    if (isInside(realProject, dir) || (await insideByInode(projectStat, dir))) {
      const st = await fs.stat(dir).catch(() => null);
      const same = st !== null && sameFile(st, projectStat);
      throw new ServiceError(
        'bad-target',
        `export: ${what} is ${same ? 'the project folder itself' : 'inside the project'} (${realProject}); an export would overwrite or delete the project's own files. Choose a folder outside the project.`,
      );
    }
  }
  if (isInside(realWavs, realProject))
    throw new ServiceError('bad-target', `export: the project (${realProject}) lies inside ${path.join(outDir, 'wavs')}; choose a folder outside the project.`);
  if (opts.overwrite) return { realOut };

  // Recordings imported from the folder itself or its wavs/ (an LJSpeech folder): the places an export writes to.
  const originals: string[] = [];
  for (const s of manifest.sources) {
    const real = await realPathOf(s.originalPath);
    if (path.dirname(real) === realOut || path.dirname(real) === realWavs) originals.push(path.relative(realOut, real));
  }
  if (originals.length)
    throw new ServiceError(
      'target-not-ours',
      `export: ${outDir} holds recordings this project was imported from (${listSome(originals)}); exporting there would replace them. Choose another folder, or allow replacing files (formant export --overwrite).`,
    );

  const recorded = new Map((previous?.files ?? []).map((f) => [f.path, f]));
  const pending = new Set(previous?.pending ?? []);
  const foreign: string[] = [];
  for (const rel of planned) {
    const st = await fs.lstat(path.join(realOut, rel)).catch(() => null);
    if (!st) continue;
    const f = recorded.get(rel);
    const ours = pending.has(rel) || (f !== undefined && st.isFile() && st.size === f.bytes && st.mtimeMs === f.mtimeMs);
    if (!ours) foreign.push(rel);
  }
  if (foreign.length)
    throw new ServiceError(
      'target-not-ours',
      `export: ${outDir} already holds ${foreign.length} file(s) that this export did not write (${listSome(foreign)}) and would replace them. Choose an empty folder, or allow replacing them (formant export --overwrite).`,
    );
  return { realOut };
}
