import type { ServiceErrorShape } from './rpc';

/**
 * What the Electron preload exposes to the page as `window.formant` (electron/preload/index.ts),
 * and the channel names the main process answers on (electron/main). Both sides of the IPC boundary
 * import it from here; the renderer declares the `window.formant` global in renderer/src/api/bridge.ts.
 * Kept minimal: one validated call channel, one event stream, and the two things only the preload can
 * do (turn a dropped File into its path, name the platform).
 */
export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: ServiceErrorShape };

export interface FormantBridge {
  call(method: string, input: unknown): Promise<BridgeReply>;
  /** Returns an unsubscribe function. */
  onEvent(cb: (event: unknown) => void): () => void;
  /** Absolute path of a dropped/selected File (Electron's webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
  platform: string;
}

export const IPC_CALL = 'formant:call';
export const IPC_EVENT = 'formant:event';
/**
 * The preload tells the main process the path of each File it turned into a path (a drop or the
 * page's file input, which only the user can fill): those become readable for the API, like a
 * dialog's choice. The page itself cannot send on it (it has no ipcRenderer).
 */
export const IPC_GRANT_DROP = 'formant:grant-drop';
export const MEDIA_SCHEME = 'formant-media';
