import type { BridgeReply } from '../../shared/contract/bridge';
import type { CallContext } from '../../shared/contract/rpc';
import { ServiceError } from '../../shared/contract/rpc';
import { isApiMethod, toErrorShape, type Dispatch } from '../services/shell/dispatch';

/**
 * The body of the one `ipcMain.handle` channel: only the app's own page may call; the method
 * name must be in the contract and the input is validated by the dispatcher; every failure
 * comes back as `{ ok: false, error }` (Electron would otherwise flatten it to a string).
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

export async function ipcCall(dispatch: Dispatch, senderUrl: string | undefined, appUrl: string, method: unknown, input: unknown, ctx: CallContext): Promise<BridgeReply> {
  try {
    if (!isTrustedSender(senderUrl, appUrl)) throw new ServiceError('forbidden', 'calls are only accepted from the Formant Studio window');
    if (!isApiMethod(method)) throw new ServiceError('unknown-method', `No API method named ${JSON.stringify(String(method)).slice(0, 80)}`);
    return { ok: true, result: await dispatch(method, input, ctx) };
  } catch (e) {
    const error = toErrorShape(e);
    if (error.code === 'internal') console.error(`${String(method)}:`, e);
    return { ok: false, error };
  }
}
