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

/**
 * A project is a folder:
 *   formant.json   the manifest (atomic writes, schema-validated on load)
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
  if (await projectExists(projectDir)) throw new ServiceError('project-exists', `A project already exists in ${projectDir}`);
  await fs.mkdir(path.join(projectDir, SOURCES_DIR), { recursive: true });
  await fs.mkdir(path.join(projectDir, WAVS_DIR), { recursive: true });
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

export async function openOrCreateProject(projectDir: string): Promise<Manifest> {
  return (await projectExists(projectDir)) ? loadManifest(projectDir) : createProject(projectDir);
}

/**
 * Serializes read-modify-write cycles on one project's manifest inside this process, so
 * concurrent jobs (import + UI edits) never lose each other's changes.
 */
const locks = new Map<string, Promise<unknown>>();
export async function updateManifest<T>(
  projectDir: string,
  fn: (m: Manifest) => Promise<T> | T,
  /** Runs after the save, still inside the lock: file removals that must wait until the manifest no longer names the files. */
  opts: { afterSave?: () => Promise<void> } = {},
): Promise<T> {
  const key = path.resolve(projectDir);
  const prev = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = prev.then(() => mine);
  locks.set(key, chained);
  await prev.catch(() => undefined);
  try {
    const m = await loadManifest(projectDir);
    const result = await fn(m);
    await saveManifest(projectDir, m);
    await opts.afterSave?.();
    return result;
  } finally {
    release();
    if (locks.get(key) === chained) locks.delete(key);
  }
}
