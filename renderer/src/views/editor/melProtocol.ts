import type { MelPresetName } from '../../../../shared/contract/manifest';

/** Messages between the mel view and its worker (melWorker.ts). */
export interface MelRequest {
  id: number;
  url: string;
  preset: MelPresetName;
  /** Refuse longer audio (the mel view is for clips, not whole recordings). */
  maxSeconds: number;
}

export type MelResponse =
  | { id: number; ok: true; width: number; height: number; rgba: ArrayBuffer; lo: number; hi: number; seconds: number; hopSeconds: number; warning: string | null }
  | { id: number; ok: false; error: string };
