import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ServiceError } from '../../../shared/contract/rpc';
import { isInside } from './accessPolicy';

/**
 * Web mode's import path: a browser hands the page File objects, not paths, so the page
 * uploads each dropped file to `<project>/.staging/<batch>/<relative path>` and then calls
 * 'dataset.import' with those paths (the import copies them into sources/, after which the
 * page discards the batch). In Electron the preload turns dropped files into real paths instead.
 */
export const STAGING_DIR = '.staging';
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

/** Keeps the folder structure of a dropped folder, but only as plain, safe path segments. */
export function safeRelativePath(name: string): string {
  const parts = name.split(/[\\/]+/).filter((s) => s && s !== '.');
  if (!parts.length) throw new ServiceError('bad-input', 'empty upload name');
  for (const s of parts) {
    if (s === '..' || s.includes('\0') || /^[A-Za-z]:$/.test(s)) throw new ServiceError('bad-input', `unsafe upload name "${name}"`);
    if (s.length > 255) throw new ServiceError('bad-input', 'upload name segment too long');
  }
  return parts.join(path.sep);
}

/**
 * Creates `rel`'s folders under `root` one level at a time without following a symlink: a link
 * planted in `.staging/<batch>/` (or `.staging` itself) could otherwise send the upload, or the
 * folders made for it, anywhere on disk. Returns the real path of the file's folder.
 */
async function stagingFolder(projectDir: string, root: string, rel: string): Promise<string> {
  const realProject = await fs.realpath(projectDir);
  let cur = realProject;
  const parts = [...path.relative(projectDir, root).split(path.sep), ...path.dirname(rel).split(path.sep)].filter((p) => p && p !== '.');
  for (const part of parts) {
    cur = path.join(cur, part);
    const st = await fs.lstat(cur).catch(() => null);
    if (st?.isSymbolicLink()) throw new ServiceError('forbidden', `upload refused: ${path.relative(realProject, cur)} is a symbolic link`);
    if (st && !st.isDirectory()) throw new ServiceError('bad-input', `upload refused: ${path.relative(realProject, cur)} is a file, not a folder`);
    if (!st) await fs.mkdir(cur).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e; // made meanwhile by a parallel upload of the same batch
    });
  }
  // Made meanwhile by someone else as a link? The real path says.
  const real = await fs.realpath(cur);
  if (real !== cur) throw new ServiceError('forbidden', 'upload refused: its folder resolves outside the staging folder');
  return real;
}

export async function receiveUpload(projectDir: string, batch: string, name: string, body: Readable, declaredBytes: number | null): Promise<string> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(batch)) throw new ServiceError('bad-input', 'bad upload batch id');
  if (declaredBytes != null && declaredBytes > MAX_UPLOAD_BYTES) throw new ServiceError('bad-input', `upload too large (${declaredBytes} bytes)`);
  const root = path.join(projectDir, STAGING_DIR, batch);
  const rel = safeRelativePath(name);
  const target = path.join(root, rel);
  if (!isInside(root, target)) throw new ServiceError('forbidden', 'upload outside its staging folder');
  const folder = await stagingFolder(projectDir, root, rel);
  // Write beside under a name of its own (two uploads of the same name never share it), created
  // exclusively (never through a link planted there), renamed when complete (a rename replaces a
  // link at the target instead of writing through it): an interrupted upload never looks whole.
  const base = path.basename(target);
  const partial = path.join(folder, `.${base}.${process.pid}-${randomBytes(6).toString('hex')}.part`);
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_UPLOAD_BYTES) body.destroy(new ServiceError('bad-input', 'upload too large'));
  });
  try {
    await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
    await fs.rename(partial, path.join(folder, base));
  } catch (e) {
    await fs.rm(partial, { force: true });
    throw e;
  }
  return target;
}

/**
 * Deletes an upload batch after its import. A `.staging` that is a link would send the recursive
 * delete out of the project (`.staging -> ~` and batch `Documents`), so both levels must be real
 * folders of the project; a batch that is itself a link is removed as a link, never followed.
 */
export async function discardStagingBatch(projectDir: string, batch: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(batch)) throw new ServiceError('bad-input', 'bad upload batch id');
  const staging = path.join(projectDir, STAGING_DIR);
  const st = await fs.lstat(staging).catch(() => null);
  if (!st) return;
  if (!st.isDirectory()) throw new ServiceError('forbidden', `${STAGING_DIR} in ${projectDir} is not a folder (a link?); nothing was deleted`);
  const target = path.join(staging, batch);
  const bt = await fs.lstat(target).catch(() => null);
  if (!bt) return;
  if (bt.isSymbolicLink()) return fs.unlink(target);
  await fs.rm(target, { recursive: true, force: true });
}
