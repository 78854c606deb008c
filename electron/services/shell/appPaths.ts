import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one place that decides where the bundled resources are (resources/: trainer/, voices/, demo/) and which
 * Python runs the trainer, however the code is run:
 *  - the packaged app: electron-builder copies them into process.resourcesPath (electron-builder.yml,
 *    extraResources), and the code sits in app.asar, away from them;
 *  - the electron-vite build (out/main/*.js, one folder) and the sources (tsx, vitest: electron/services/shell):
 *    the checkout around the running file, found by walking up to the folder that holds package.json and
 *    resources/trainer, so the depth of the file does not matter.
 * Python: an explicit $FORMANT_PYTHON always wins (a wrong one is reported, not skipped); else the checkout's .venv
 * (resources/trainer/setup-venv.sh); else the system python3 (Debian's python3-torch is the fallback).
 * build/test.mjs, outside TypeScript, keeps a copy of that order.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

type Exists = (p: string) => boolean;

/** The repository checkout the running code belongs to (sources or the electron-vite build), or null (packaged). */
export function findCheckoutRoot(from: string = here, exists: Exists = existsSync): string | null {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, 'package.json')) && exists(path.join(dir, 'resources', 'trainer'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

export interface ResourceSearch {
  /** Electron's process.resourcesPath (undefined under plain node). */
  resourcesPath?: string;
  /** The folder of the running module. */
  from?: string;
  exists?: Exists;
}

/**
 * The resources folder: a packaged app's own (process.resourcesPath holding trainer/, checked first so a packaged
 * app inside a checkout, e.g. release/linux-unpacked, still uses its own), else the checkout's resources/.
 * A development Electron has a resourcesPath too (its own binary's, without trainer/), so it falls through.
 */
export function findResourcesDir(o: ResourceSearch = {}): string {
  const exists = o.exists ?? existsSync;
  const packaged = o.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && exists(path.join(packaged, 'trainer'))) return path.resolve(packaged);
  const checkout = findCheckoutRoot(o.from ?? here, exists);
  if (checkout) return path.join(checkout, 'resources');
  return path.resolve(packaged ?? path.join(here, 'resources'));
}

let checkout: string | null | undefined;

/** The checkout the code runs from, or null in a packaged app (memoized: it does not move). */
export function checkoutRoot(): string | null {
  if (checkout === undefined) checkout = findCheckoutRoot();
  return checkout;
}

export interface PythonCandidate {
  path: string;
  /** Where it came from: $FORMANT_PYTHON, the checkout's .venv or the system python3. */
  source: 'env' | 'venv' | 'system';
}

/** The interpreters to try, in order: $FORMANT_PYTHON alone when it is set; else the checkout's .venv, then python3. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env, root: string | null = checkoutRoot(), platform: NodeJS.Platform = process.platform): PythonCandidate[] {
  if (env.FORMANT_PYTHON) return [{ path: env.FORMANT_PYTHON, source: 'env' }];
  const out: PythonCandidate[] = [];
  if (root) out.push({ path: platform === 'win32' ? path.join(root, '.venv', 'Scripts', 'python.exe') : path.join(root, '.venv', 'bin', 'python'), source: 'venv' });
  out.push({ path: platform === 'win32' ? 'python.exe' : '/usr/bin/python3', source: 'system' });
  return out;
}

/** The first candidate that exists (a bare command name such as python.exe is looked up on PATH when run). */
export function findPython(candidates: PythonCandidate[] = pythonCandidates(), exists: Exists = existsSync): PythonCandidate | null {
  return candidates.find((c) => exists(c.path) || (!path.isAbsolute(c.path) && c.source === 'system')) ?? null;
}
