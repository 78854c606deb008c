import type { BridgeReply } from '../../shared/contract/bridge';
import type { CallContext } from '../../shared/contract/rpc';
import { ServiceError } from '../../shared/contract/rpc';
import path from 'node:path';
import { access } from '../services/shell/accessPolicy';
import { isApiMethod, toErrorShape, type Dispatch } from '../services/shell/dispatch';
import { apiRoots } from '../services/shell/apiRoots';

/**
 * The body of the one `ipcMain.handle` channel: only the app's own page may call; the method
 * name must be in the contract and the input is validated by the dispatcher; every failure
 * comes back as `{ ok: false, error }` (Electron would otherwise flatten it to a string).
 * Calls that name a path to read or write (import, align, training, synthesis) are confined to what the
 * user chose: a dialog's answer, a dropped or picked File (`grantDropped`), an open project, the
 * data folder and, for reading, the shipped voices and demo recordings (accessPolicy's checkApiPaths).
 */
export function isTrustedSender(senderUrl: string | undefined, appUrl: string): boolean {
  if (!senderUrl) return false;
  try {
    const s = new URL(senderUrl);
    const a = new URL(appUrl);
    // file:// pages have an opaque origin; compare the file path instead.
    return s.protocol === a.protocol && (s.protocol === 'file:' ? s.pathname === a.pathname : s.origin === a.origin);
  } catch {
    return false;
  }
}

/** The preload's report of a dropped or picked File's path (IPC_GRANT_DROP): readable from now on. */
export function grantDropped(senderUrl: string | undefined, appUrl: string, p: unknown): boolean {
  if (!isTrustedSender(senderUrl, appUrl) || typeof p !== 'string' || !path.isAbsolute(p) || p.includes('\0')) return false;
  access.grantChosen(p);
  return true;
}

export async function ipcCall(dispatch: Dispatch, senderUrl: string | undefined, appUrl: string, method: unknown, input: unknown, ctx: CallContext): Promise<BridgeReply> {
  try {
    if (!isTrustedSender(senderUrl, appUrl)) throw new ServiceError('forbidden', 'calls are only accepted from the Formant Studio window');
    if (!isApiMethod(method)) throw new ServiceError('unknown-method', `No API method named ${JSON.stringify(String(method)).slice(0, 80)}`);
    await access.checkApiPaths(method, input, apiRoots(), 'drop or choose the file instead');
    return { ok: true, result: await dispatch(method, input, ctx) };
  } catch (e) {
    const error = toErrorShape(e);
    if (error.code === 'internal') console.error(`${String(method)}:`, e);
    return { ok: false, error };
  }
}
