import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  Manifest,
  MANIFEST_FILE,
  ProjectSettings,
  SCHEMA_VERSION,
  checkManifestInvariants,
} from '../../shared/contract/manifest';
import { ServiceError } from '../../shared/contract/rpc';
import { cleanupTempFiles, writeFileAtomic } from './atomicWrite';
import { makeDir } from './fileUtils';
import { type HeldLock, LOCK_SUFFIX, withLock } from './projectLock';

/**
 * A project is a folder:
 *   formant.json   the manifest (atomic writes, schema-validated on load)
 *   formant.json.lock   present while a process changes the manifest (projectLock.ts)
 *   sources/       originals as imported; never modified afterwards
 *   wavs/          rendered clips, mono 16-bit PCM at the project rate
 */
export const SOURCES_DIR = 'sources';
export const WAVS_DIR = 'wavs';

export function manifestPath(projectDir: string): string {
  return path.join(projectDir, MANIFEST_FILE);
}

export async function projectExists(projectDir: string): Promise<boolean> {
  try {
    await fs.access(manifestPath(projectDir));
    return true;
  } catch {
    return false;
  }
}

export async function createProject(projectDir: string, opts: { name?: string; settings?: Partial<ProjectSettings> } = {}): Promise<Manifest> {
  await makeDir(projectDir);
  // Under the lock: two processes creating the same project cannot overwrite each other's first save.
  return withManifestLock(projectDir, async () => {
    if (await projectExists(projectDir)) throw new ServiceError('project-exists', `A project already exists in ${projectDir}`);
    return createUnlocked(projectDir, opts);
  });
}

async function createUnlocked(projectDir: string, opts: { name?: string; settings?: Partial<ProjectSettings> }): Promise<Manifest> {
  await makeDir(path.join(projectDir, SOURCES_DIR));
  await makeDir(path.join(projectDir, WAVS_DIR));
  const now = new Date().toISOString();
  const manifest: Manifest = Manifest.parse({
    schemaVersion: SCHEMA_VERSION,
    name: opts.name ?? path.basename(path.resolve(projectDir)),
    createdAt: now,
    updatedAt: now,
    settings: ProjectSettings.parse(opts.settings ?? {}),
    sources: [],
    clips: [],
  });
  await saveManifest(projectDir, manifest);
  return manifest;
}

export async function loadManifest(projectDir: string): Promise<Manifest> {
  const file = manifestPath(projectDir);
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ServiceError('no-project', `No Formant project in ${projectDir} (missing ${MANIFEST_FILE})`);
    if (code === 'ENOTDIR') throw new ServiceError('no-project', `${projectDir} is a file, not a project folder`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ServiceError('bad-manifest', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const version = (json as { schemaVersion?: unknown })?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION)
    throw new ServiceError('manifest-too-new', `${file} has schema version ${version}; this Formant Studio reads up to ${SCHEMA_VERSION}. Update the app.`);
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) throw new ServiceError('bad-manifest', `${file} does not match the project schema:\n${z.prettifyError(parsed.error)}`);
  const problems = checkManifestInvariants(parsed.data);
  if (problems.length) throw new ServiceError('bad-manifest', `${file} is inconsistent:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  await cleanupTempFiles(projectDir);
  return parsed.data;
}

export async function saveManifest(projectDir: string, manifest: Manifest): Promise<void> {
  const problems = checkManifestInvariants(manifest);
  if (problems.length) throw new ServiceError('bad-manifest', `Refusing to save an inconsistent manifest: ${problems.map((p) => p.message).join('; ')}`);
  const validated = Manifest.parse({ ...manifest, updatedAt: new Date().toISOString() });
  await writeFileAtomic(manifestPath(projectDir), JSON.stringify(validated, null, 2) + '\n');
}

/** The project in `projectDir`, created (with `opts`) when there is none; race-free against another process doing the same. */
export async function openOrCreateProject(projectDir: string, opts: { name?: string; settings?: Partial<ProjectSettings> } = {}): Promise<Manifest> {
  if (await projectExists(projectDir)) return loadManifest(projectDir);
  await makeDir(projectDir);
  return withManifestLock(projectDir, async () => ((await projectExists(projectDir)) ? loadManifest(projectDir) : createUnlocked(projectDir, opts)));
}

/**
 * One read-modify-write of the manifest at a time: inside this process a promise chain per
 * project (no polling between the jobs of one process), across processes the lock file
 * (projectLock.ts). The manifest is read after the lock is taken, so whatever another process
 * saved before is what `fn` modifies: nothing it wrote is lost.
 */
const inProcess = new Map<string, Promise<unknown>>();

export async function withManifestLock<T>(projectDir: string, fn: (held: HeldLock) => Promise<T>): Promise<T> {
  const key = path.resolve(projectDir);
  const prev = inProcess.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = prev.then(() => mine);
  inProcess.set(key, chained);
  await prev.catch(() => undefined);
  try {
    return await withLock(manifestPath(projectDir) + LOCK_SUFFIX, fn, { what: `the project in ${projectDir}` });
  } finally {
    release();
    if (inProcess.get(key) === chained) inProcess.delete(key);
  }
}

export async function updateManifest<T>(
  projectDir: string,
  fn: (m: Manifest) => Promise<T> | T,
  /** Runs after the save, still inside the lock: file removals that must wait until the manifest no longer names the files. */
  opts: { afterSave?: () => Promise<void> } = {},
): Promise<T> {
  if (!(await projectExists(projectDir))) await loadManifest(projectDir); // the usual "no project" error, without creating a lock file
  return withManifestLock(projectDir, async (held) => {
    const m = await loadManifest(projectDir);
    const result = await fn(m);
    // Frozen past the stale time (a laptop asleep) and taken over: saving now would undo the other writer's work.
    if (!(await held.stillHeld()))
      throw new ServiceError('busy', `Another process took over the project in ${projectDir} while this change waited; nothing was saved, try again`);
    await saveManifest(projectDir, m);
    await opts.afterSave?.();
    return result;
  });
}
