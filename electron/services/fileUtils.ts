import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../shared/contract/rpc';
import { describeErrno } from './errnoMessages';

/** sha256 of a file, streamed (sources can be hours of audio). */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** A JSON file holding an object, or null when it is missing, unreadable or not an object (callers report what that means). */
export async function readJsonObject(file: string): Promise<Record<string, unknown> | null> {
  try {
    const v = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * `mkdir -p` that always ends. Node's own `fs.mkdir(dir, { recursive: true })` retries forever where the
 * OS answers "no such folder" for a path whose parent exists (under /proc, some FUSE and network mounts),
 * at 100 % CPU and deaf to Ctrl-C; here each level is created once, and a refusal is one clear error.
 */
export async function makeDir(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const missing: string[] = [];
  // Walk up to the nearest folder that exists (each path is looked at once)…
  for (let p = target; ; p = path.dirname(p)) {
    const kind = await statKind(p);
    if (kind === 'dir') break;
    if (kind === 'other') throw new ServiceError('not-a-folder', `cannot create the folder ${target}: ${p} is a file, not a folder`);
    if (path.dirname(p) === p) throw new ServiceError('io', `cannot create the folder ${target}: ${p} does not exist`);
    missing.push(p);
  }
  // …then create the missing ones top-down, each exactly once.
  for (const p of missing.reverse()) {
    try {
      await fs.mkdir(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await statKind(p)) === 'dir') continue; // made meanwhile by another process
      const why = code === 'ENOENT' ? 'the system does not allow folders there' : describeErrno(code, e);
      throw new ServiceError('io', `cannot create the folder ${p}: ${why}`);
    }
  }
}

async function statKind(p: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fs.stat(p)).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: something above is a file; the walk up finds and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new ServiceError('io', `cannot create a folder at ${p}: ${describeErrno(code, e)}`);
  }
}
