import { createHash, randomBytes } from 'node:crypto';
import { readlinkSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../../shared/contract/rpc';

/**
 * The project lock: one writer at a time for `formant.json`, across processes (two `formant
 * import`s, the web studio and a CLI run on the same project).
 *
 * Why a lock file and not flock: Node has no flock/fcntl in core, and a native addon for it would
 * have to be built for every platform. Creating a file with O_CREAT|O_EXCL (`flag: 'wx'`) is atomic
 * on every local filesystem of Linux, macOS and Windows (and on NFSv3+), so it is the portable way.
 * Its cost is that a killed holder leaves the file behind, hence the owner record and the recovery:
 *
 *   formant.json.lock   {"pid", "hostname", "startedAt", "token"}, created exclusively
 *
 * The lock is stale, and taken over, when its owner is gone: same host (and pid namespace) and the pid no longer runs,
 * or (another host, a reused pid, a hung or frozen holder) its mtime is older than `staleMs`: a live
 * holder touches the file every `staleMs / 4` (heartbeat). Taking over is itself serialized by a
 * second exclusive file (`.lock.break`), so two processes that both see a stale lock cannot both
 * remove it and then each remove the other's fresh one. A holder that lost its lock (frozen for
 * longer than `staleMs`, then taken over) finds out before it writes (`stillHeld`) and gives up.
 */
export const LOCK_SUFFIX = '.lock';
const DEFAULT_STALE_MS = 20_000;
const DEFAULT_TIMEOUT_MS = 120_000;

export interface LockOwner {
  pid: number;
  hostname: string;
  /** When this lock was taken (ISO). */
  startedAt: string;
  /** Tells this holding apart from an earlier one of the same process. */
  token: string;
  /** Linux: the pid namespace (two containers sharing the folder and a host name have separate pids). */
  pidns?: string;
}

/** This process's pid namespace on Linux (`pid:[4026531836]`), else undefined. */
const PID_NS = (() => {
  try {
    return process.platform === 'linux' ? readlinkSync('/proc/self/ns/pid') : undefined;
  } catch {
    return undefined;
  }
})();

export interface LockOptions {
  /** A lock untouched this long is stale whoever holds it (default 20 s; holders touch it every quarter of that). */
  staleMs?: number;
  /** Give up waiting for a live holder after this long (default 2 min). */
  timeoutMs?: number;
  /** What the lock guards, for messages ("the project", "the export folder"). */
  what?: string;
}

export interface HeldLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** False when another process took the lock over (this one was frozen past the stale time). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Six hex digits naming this machine and pid namespace: written into temp file names, so a cleanup
 * knows whether the pid beside it is one it can check (same tag) or another machine's.
 */
export const PROCESS_SPACE_TAG = createHash('sha256').update(`${os.hostname()}\0${PID_NS ?? ''}`).digest('hex').slice(0, 6);

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<{ owner: LockOwner | null; raw: string; mtimeMs: number } | null> {
  try {
    const [raw, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    let owner: LockOwner | null = null;
    try {
      const v = JSON.parse(raw) as LockOwner;
      if (v && typeof v.pid === 'number' && typeof v.hostname === 'string' && typeof v.token === 'string') owner = v;
    } catch {
      owner = null; // created but not yet written (or written by a holder killed in between)
    }
    return { owner, raw, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function staleReason(seen: { owner: LockOwner | null; mtimeMs: number }, staleMs: number): string | null {
  const age = Date.now() - seen.mtimeMs;
  // The pid says something only on this machine and in this pid namespace; elsewhere the heartbeat decides.
  const here = seen.owner && seen.owner.hostname === os.hostname() && seen.owner.pidns === PID_NS;
  if (seen.owner && here && !pidAlive(seen.owner.pid)) return `its owner (pid ${seen.owner.pid}) is gone`;
  if (age > staleMs) return `untouched for ${Math.round(age / 1000)} s`;
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes a stale lock, unless another process is already doing so or the lock changed meanwhile. */
async function breakStale(file: string, seenRaw: string, staleMs: number): Promise<void> {
  const breaker = `${file}.break`;
  try {
    await fs.writeFile(breaker, `${process.pid}`, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A breaker killed in its few milliseconds of work: take its place after a while.
    const st = await fs.stat(breaker).catch(() => null);
    if (st && Date.now() - st.mtimeMs > Math.min(staleMs, 10_000)) await fs.rm(breaker, { force: true });
    return;
  }
  try {
    const again = await readOwner(file);
    if (again && again.raw === seenRaw && staleReason(again, staleMs)) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
}

/** Takes the lock `file` (waiting for a live holder, taking over a stale one). */
export async function acquireLock(file: string, opts: LockOptions = {}): Promise<HeldLock> {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what = opts.what ?? path.dirname(file);
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex'), ...(PID_NS ? { pidns: PID_NS } : {}) };
  const body = JSON.stringify(owner) + '\n';
  const began = Date.now();
  let wait = 2;
  for (;;) {
    try {
      await fs.writeFile(file, body, { flag: 'wx' });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ServiceError('no-project', `${what} does not exist`);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new ServiceError('read-only', `Cannot change ${what}: its folder is not writable (${code})`);
      if (code !== 'EEXIST') throw e;
    }
    const seen = await readOwner(file);
    if (seen && staleReason(seen, staleMs)) {
      await breakStale(file, seen.raw, staleMs);
      continue;
    }
    if (Date.now() - began > timeoutMs) {
      const who = seen?.owner ? `pid ${seen.owner.pid} on ${seen.owner.hostname}, since ${seen.owner.startedAt}` : 'another process';
      throw new ServiceError('busy', `${what} is busy: ${who} holds ${path.basename(file)} and has for over ${Math.round(timeoutMs / 1000)} s; try again when it is done`);
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 50);
  }

  let lost = false;
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now).catch(() => (lost = true));
  }, Math.max(50, staleMs / 4));
  heartbeat.unref();
  const stillHeld = async () => {
    if (lost) return false;
    const now = await readOwner(file).catch(() => null);
    return now?.owner?.token === owner.token;
  };
  return {
    file,
    owner,
    stillHeld,
    release: async () => {
      clearInterval(heartbeat);
      // Never remove a lock that another process took over meanwhile.
      if (await stillHeld()) await fs.rm(file, { force: true });
    },
  };
}

/** Runs `fn` holding `file`'s lock. */
export async function withLock<T>(file: string, fn: (held: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const held = await acquireLock(file, opts);
  try {
    return await fn(held);
  } finally {
    await held.release();
  }
}
