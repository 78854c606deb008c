import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { resolveUserPath } from './projectPaths';

/**
 * What the renderer may read as media (audio, images) outside the API: the projects opened
 * in this process, the folders/files the user chose in a native dialog, and the plots and sample
 * WAVs of training runs the training service started or opened. Everything else,
 * including `..` tricks and symlinks that point out of an allowed root, is refused.
 *
 * The API is reachable only by the app's own window (Electron) or by a holder of the per-launch
 * token (web mode). The calls that read a file the caller names and copy it into a project
 * (where /media then serves it: 'dataset.import', 'align.run') are confined too (`checkApiReads`):
 * to the open projects (in web mode a browser's files arrive by upload into their `.staging/`), the
 * data folder, the bundled demo recordings and, in Electron, what the user chose in a dialog or
 * dropped (the preload reports each dropped File's path), so neither a token holder nor a
 * compromised page can import /etc/passwd and read it back.
 */
export class AccessPolicy {
  private readonly projects = new Set<string>();
  private readonly chosen = new Set<string>();
  private readonly runs = new Set<string>();

  grantProject(dir: string): void {
    this.projects.add(path.resolve(dir));
  }

  /** A folder or file the user picked in a native dialog. */
  grantChosen(p: string): void {
    this.chosen.add(path.resolve(p));
  }

  /**
   * A training run folder the training service started or opened (it may lie outside every project):
   * only its plots and validation sample WAVs become readable (RUN_MEDIA), nothing else in it.
   */
  grantRun(dir: string): void {
    this.runs.add(path.resolve(dir));
  }

  /** The run folders granted so far (the runs this session started or opened: their alignment reports apply too). */
  grantedRuns(): string[] {
    return [...this.runs];
  }

  /** `relPath` (`plots/<file>.png` or `samples/<file>.wav`) of a granted run folder → its real path. */
  async resolveRunFile(runDir: string, relPath: string): Promise<string> {
    const root = path.resolve(runDir);
    if (!this.runs.has(root)) throw new ServiceError('forbidden', `${runDir} is not a training run opened in this session`);
    if (!relPath || relPath.includes('\0')) throw new ServiceError('bad-input', 'empty or invalid media path');
    if (path.isAbsolute(relPath)) throw new ServiceError('forbidden', 'run media paths are relative to the run folder');
    const parts = path.normalize(relPath).split(/[\\/]+/);
    const allowed = parts.length === 2 && Object.hasOwn(RUN_MEDIA, parts[0]) ? RUN_MEDIA[parts[0]] : undefined;
    if (!allowed || !allowed.test(parts[1])) throw new ServiceError('forbidden', `${relPath}: only plots/*.png and samples/*.wav of a run are served`);
    const folder = path.join(root, parts[0]);
    return this.checkReal(path.join(folder, parts[1]), [folder]);
  }

  isOpenProject(dir: string): boolean {
    return this.projects.has(path.resolve(dir));
  }

  /**
   * Resolves `relPath` inside the opened project `projectDir` to a real file path, or throws
   * a ServiceError ('forbidden' when outside, 'not-found' when missing).
   */
  async resolveProjectFile(projectDir: string, relPath: string): Promise<string> {
    const root = path.resolve(projectDir);
    if (!this.projects.has(root)) throw new ServiceError('forbidden', `${projectDir} is not an open project`);
    if (!relPath || relPath.includes('\0')) throw new ServiceError('bad-input', 'empty or invalid media path');
    if (path.isAbsolute(relPath)) throw new ServiceError('forbidden', 'media paths are relative to the project');
    const target = path.resolve(root, relPath);
    if (!isInside(root, target)) throw new ServiceError('forbidden', `${relPath} is outside the project`);
    return this.checkReal(target, [root]);
  }

  /** True when `p` (file or folder) lies inside an open project or a user-chosen path (no symlink check). */
  allows(p: string): boolean {
    const target = path.resolve(p);
    return [...this.projects, ...this.chosen].some((r) => isInside(r, target));
  }

  /** An absolute path inside an open project or a user-chosen folder/file. */
  async resolveAbsolute(p: string): Promise<string> {
    if (!path.isAbsolute(p) || p.includes('\0')) throw new ServiceError('bad-input', 'expected an absolute path');
    const target = path.resolve(p);
    const roots = [...this.projects, ...this.chosen].filter((r) => isInside(r, target));
    if (!roots.length) throw new ServiceError('forbidden', `${p} is outside the open projects and the folders you chose`);
    return this.checkReal(target, roots);
  }

  /**
   * Refuses an API call whose input names a file to read outside the open projects, the paths the
   * user chose (dialog, drop: Electron only; web mode has none) and `extraRoots` (the data folder,
   * the demo recordings): by path, and by real path (a symlink
   * inside a project that points out of it is outside). Paths that do not exist pass: the method
   * reports them as missing.
   */
  async checkApiReads(method: string, input: unknown, extraRoots: string[], hint?: string): Promise<void> {
    const pick = API_READS[method];
    if (!pick || !input || typeof input !== 'object') return;
    const roots = [...this.projects, ...this.chosen, ...extraRoots.map((r) => path.resolve(r))];
    const realRoots = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => r)));
    for (const p of pick(input as Record<string, unknown>)) {
      if (typeof p !== 'string' || p.includes('\0')) continue; // the contract and fs refuse those
      let target: string;
      try {
        target = resolveUserPath(p); // as the methods resolve it (`~` expanded)…
      } catch {
        target = path.resolve(p); // …or as fs would, relative to this process's folder
      }
      const real = await fs.realpath(target).catch(() => null);
      const inside = roots.some((r) => isInside(r, target)) && (real === null || realRoots.some((r) => isInside(r, real)));
      if (!inside) throw new ServiceError('forbidden', `${p} is outside the open projects and the data folder; ${hint ?? READ_HINTS[method]?.(extraRoots[0]) ?? 'in the browser, drop or upload the file instead'}`);
    }
  }

  /** Follows symlinks and checks the real file is still inside one of the (real) roots. */
  private async checkReal(target: string, roots: string[]): Promise<string> {
    let real: string;
    try {
      real = await fs.realpath(target);
    } catch {
      throw new ServiceError('not-found', `${target} does not exist`);
    }
    for (const r of roots) {
      const realRoot = await fs.realpath(r).catch(() => r);
      if (isInside(realRoot, real)) {
        const st = await fs.stat(real);
        if (!st.isFile()) throw new ServiceError('not-found', `${target} is not a file`);
        return real;
      }
    }
    throw new ServiceError('forbidden', `${target} resolves outside the allowed folders`);
  }
}

/** The inputs of API methods that name files to read (web mode confines them: `checkApiReads`). */
const API_READS: Record<string, (input: Record<string, unknown>) => unknown[]> = {
  'dataset.import': (i) => (Array.isArray(i.paths) ? i.paths : []),
  'align.run': (i) => [i.audioPath, i.transcriptPath].filter((p) => p !== undefined),
  // checkpoints the user names, and the voice folder made or changed from them (the app writes into <data>/voices)
  'training.voiceFromCheckpoints': (i) => [i.tacotron2, i.waveglow, i.outDir].filter((p) => p !== undefined),
  'training.addWaveGlow': (i) => [i.voiceDir, i.waveglow],
};

/** Web mode's advice where a browser cannot hand over the file (checkpoints are too large to upload). */
const READ_HINTS: Record<string, (dataDir: string | undefined) => string> = {
  'training.voiceFromCheckpoints': (d) => `in the browser, copy the checkpoint into the data folder${d ? ` (${d})` : ''} and give that path`,
  'training.addWaveGlow': (d) => `in the browser, copy the WaveGlow into the data folder${d ? ` (${d})` : ''} and give that path`,
};

/** What a run folder serves: its plots and its validation samples' audio, one level deep. */
const RUN_MEDIA: Record<string, RegExp> = { plots: /^[^\\/]+\.(png|svg)$/i, samples: /^[^\\/]+\.wav$/i };

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The one policy of this process (Electron main or web server). */
export const access = new AccessPolicy();
