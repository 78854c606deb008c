import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';

/**
 * Folder paths typed by a person (web mode's path field) or sent by the renderer: `~` expands
 * to the home folder; anything else must be absolute, since the server's working directory
 * means nothing to the person typing.
 */
export function resolveUserPath(p: string): string {
  const t = p.trim();
  if (t.includes('\0')) throw new ServiceError('bad-input', 'path contains a NUL character');
  const expanded = t === '~' ? os.homedir() : t.startsWith('~/') || t.startsWith('~\\') ? path.join(os.homedir(), t.slice(2)) : t;
  if (!path.isAbsolute(expanded)) throw new ServiceError('bad-input', `Use an absolute folder path (got "${p}")`);
  return path.resolve(expanded);
}
