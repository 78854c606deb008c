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

export async function receiveUpload(projectDir: string, batch: string, name: string, body: Readable, declaredBytes: number | null): Promise<string> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(batch)) throw new ServiceError('bad-input', 'bad upload batch id');
  if (declaredBytes != null && declaredBytes > MAX_UPLOAD_BYTES) throw new ServiceError('bad-input', `upload too large (${declaredBytes} bytes)`);
  const root = path.join(projectDir, STAGING_DIR, batch);
  const target = path.join(root, safeRelativePath(name));
  if (!isInside(root, target)) throw new ServiceError('forbidden', 'upload outside its staging folder');
  await fs.mkdir(path.dirname(target), { recursive: true });
  // Write beside, rename when complete: an interrupted upload never looks like a whole file.
  const partial = `${target}.part`;
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_UPLOAD_BYTES) body.destroy(new ServiceError('bad-input', 'upload too large'));
  });
  try {
    await pipeline(body, createWriteStream(partial));
    await fs.rename(partial, target);
  } catch (e) {
    await fs.rm(partial, { force: true });
    throw e;
  }
  return target;
}
