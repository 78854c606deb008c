import type { ServiceErrorShape, ServiceEvent } from '../../../shared/contract/rpc';

/**
 * What the Electron preload exposes as `window.formant` (electron/preload/index.ts).
 * Kept minimal: one validated call channel, one event stream, and the two things only
 * the preload can do (turn a dropped File into its path).
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
export const MEDIA_SCHEME = 'formant-media';

export type { ServiceEvent };

declare global {
  interface Window {
    formant?: FormantBridge;
  }
}
