import type { FormantBridge } from '../../../shared/contract/bridge';

/**
 * The renderer's view of the preload bridge: the contract itself lives in shared/contract/bridge.ts
 * (the main process and the preload import it from there); this file re-exports it for renderer code
 * and declares the `window.formant` global the preload sets.
 */
export { IPC_CALL, IPC_EVENT, MEDIA_SCHEME, type BridgeReply, type FormantBridge } from '../../../shared/contract/bridge';

declare global {
  interface Window {
    formant?: FormantBridge;
  }
}
