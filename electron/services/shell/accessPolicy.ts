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
 * token (web mode). The calls that name a path to read or write are confined too (`checkApiPaths`):
 * to the open projects (in web mode a browser's files arrive by upload into their `.staging/`) and
 * their export folders, the data folder, for reading also the shipped voices and demo recordings, and,
 * in Electron, what the user chose in a dialog or dropped (the preload reports each dropped File's
 * path), so neither a token holder nor a compromised page can import /etc/passwd and read it back
 * through /media, train on or synthesize from folders elsewhere, or write a WAV over ~/.bashrc.
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
   * Refuses an API call whose input names a path outside what the user chose (web mode: the token holder
   * types paths, so a typed path is no choice; Electron: a compromised page could name any): by path, and
   * by real path (a symlink inside a project that points out of it is outside). Paths that do not exist
   * pass the read check (the method reports them as missing) and are judged by where they would be.
   * - read (`API_PATHS` … read): the open projects and their export folders, the data folder, the shipped
   *   voices and demo recordings (`roots.readOnly`) and, in Electron, what came from a dialog or a drop;
   * - write (… write: run folders, voice folders, export and WAV targets): the same without the shipped
   *   resources, so nothing outside the projects and the data folder is created, changed or overwritten.
   * `hint` is Electron's advice (choose or drop instead); web mode's says where to put the file.
   */
  async checkApiPaths(method: string, input: unknown, roots: { dataDir: string; readOnly?: string[] }, hint?: string): Promise<void> {
    const pick = API_PATHS[method];
    if (!pick || !input || typeof input !== 'object') return;
    const { read = [], write = [] } = pick(input as Record<string, unknown>);
    const projects = [...this.projects];
    const writable = [...projects, ...projects.map(exportFolderOf), ...this.chosen, path.resolve(roots.dataDir)];
    const readable = [...writable, ...(roots.readOnly ?? []).map((r) => path.resolve(r))];
    const data = roots.dataDir;
    for (const p of read) {
      if (!(await insideAny(p, readable))) {
        throw new ServiceError('forbidden', `${p} is outside the open projects and the data folder; ${hint ?? READ_HINTS[method]?.(data) ?? 'in the browser, drop or upload the file instead'}`);
      }
    }
    for (const p of write) {
      if (!(await insideAny(p, writable))) {
        throw new ServiceError(
          'forbidden',
          `${p} is outside the open projects and the data folder, where the app writes; ${hint ? 'choose the folder in the dialog instead' : `in the browser, give a path inside an open project or the data folder (${data})`}`,
        );
      }
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

/** A path is a string; anything else the contract refuses before the method runs. */
const paths = (...ps: unknown[]): string[] => ps.filter((p): p is string => typeof p === 'string');
/** training's `config`: a preset name, or a path to a JSON config. */
const configPath = (c: unknown): unknown => (c === undefined || c === 'tiny' || c === 'default' ? undefined : c);

/**
 * The inputs of API methods that name files or folders to read or write (`checkApiPaths` confines them).
 * `projectDir` fields are not here: a project is opened by typing or choosing its folder, which is the choice
 * (project.open / project.create grant it); the methods read a project only through its formant.json.
 */
const API_PATHS: Record<string, (input: Record<string, unknown>) => { read?: string[]; write?: string[] }> = {
  'dataset.import': (i) => ({ read: paths(...(Array.isArray(i.paths) ? i.paths : [])) }),
  'dataset.export': (i) => ({ write: paths(i.outDir) }),
  'align.run': (i) => ({ read: paths(i.audioPath, i.transcriptPath) }),
  // a run folder is written (checkpoints, plots, samples); the dataset, a JSON config, a warm start and GTA mels are read
  'training.start': (i) => ({ read: paths(i.datasetDir, configPath(i.config), i.warmStart, i.gtaDir), write: paths(i.runDir) }),
  'training.resume': (i) => ({ read: paths(i.datasetDir), write: paths(i.runDir) }),
  'training.datasetFit': (i) => ({ read: paths(i.datasetDir, configPath(i.config)) }),
  'training.checkpoints': (i) => ({ read: paths(i.runDir) }),
  'training.summary': (i) => ({ read: paths(i.runDir) }),
  'training.sampleAudio': (i) => ({ write: paths(i.runDir) }), // writes samples/sample_<step>.wav
  'training.exportVoice': (i) => ({ read: paths(i.runDir), write: paths(i.outDir) }),
  // checkpoints the user names, and the voice folder made or changed from them (the app writes into <data>/voices)
  'training.voiceFromCheckpoints': (i) => ({ read: paths(i.tacotron2, i.waveglow), write: paths(i.outDir) }),
  'training.addWaveGlow': (i) => ({ read: paths(i.waveglow), write: paths(i.voiceDir) }),
  'synthesis.synthesize': (i) => ({ read: paths(i.voiceDir, i.waveglowFromDir), write: paths(i.outPath) }),
  'synthesis.audition': (i) => ({ read: paths(i.voiceDir, i.waveglowFromDir) }),
  'synthesis.saveWav': (i) => ({ write: paths(i.outPath) }),
};

/**
 * The export folder the app offers for a project, `<project>-ljspeech` beside it (renderer's
 * views/importExport/exportTarget.ts; an export never goes inside its project): the Export dialog writes
 * it and the Train view trains on it, so it counts as part of the open project.
 */
function exportFolderOf(projectDir: string): string {
  return projectDir.replace(/[\\/]+$/, '') + '-ljspeech';
}

/** `p` as the methods resolve it (`~` expanded, relative to this process's folder) lies inside one of `roots`, by path and by real path. */
async function insideAny(p: string, roots: string[]): Promise<boolean> {
  if (p.includes('\0')) return true; // the contract and fs refuse those
  let target: string;
  try {
    target = resolveUserPath(p);
  } catch {
    target = path.resolve(p);
  }
  if (!roots.some((r) => isInside(r, target))) return false;
  const realRoots = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => r)));
  const real = await realOrNearest(target);
  return realRoots.some((r) => isInside(r, real));
}

/**
 * The real path of `target`, or for a path that does not exist yet (a new run or voice folder) the real
 * path of its nearest existing folder joined with the rest: a link higher up that points out still counts.
 */
async function realOrNearest(target: string): Promise<string> {
  const rest: string[] = [];
  let at = target;
  for (;;) {
    const real = await fs.realpath(at).catch(() => null);
    if (real !== null) return path.join(real, ...rest.reverse());
    const parent = path.dirname(at);
    if (parent === at) return target;
    rest.push(path.basename(at));
    at = parent;
  }
}

/** Web mode's advice where a browser cannot hand over the file (checkpoints are too large to upload). */
// training reads folders (a dataset, a run) and files beside them: in the browser they are put there, not uploaded
const trainingHint = (d: string | undefined) => `in the browser, give a path inside an open project or the data folder${d ? ` (${d})` : ''}: copy a dataset or checkpoint from elsewhere there`;
const READ_HINTS: Record<string, (dataDir: string | undefined) => string> = {
  'training.start': trainingHint,
  'training.resume': trainingHint,
  'training.datasetFit': trainingHint,
  'training.summary': trainingHint,
  'training.checkpoints': trainingHint,
  'training.exportVoice': trainingHint,
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
