import type { MelPresetName } from '../../../../shared/contract/manifest';

/** Messages between the mel view and its worker (melWorker.ts → melRenderer.ts). */
export interface MelRequest {
  id: number;
  url: string;
  preset: MelPresetName;
  /** The window to draw, seconds; the whole audio when absent. */
  start?: number;
  end?: number;
  /** The part of the window actually on screen (the rest is margin): kept when the window must shrink. */
  visibleStart?: number;
  visibleEnd?: number;
  /** Pixel columns available: more frames than this are pooled (max) down to it. */
  columns: number;
}

export type MelResponse =
  | {
      id: number;
      ok: true;
      width: number;
      height: number;
      rgba: ArrayBuffer;
      lo: number;
      hi: number;
      /** Duration of the whole audio, seconds. */
      seconds: number;
      /** Time span the image covers (first frame's centre … one hop past the last), seconds. */
      start: number;
      end: number;
      /** Model frames in the window (before pooling to `width` columns). */
      frames: number;
      /** Every stride-th of those frames was computed (1: all of them). */
      stride: number;
      hopSeconds: number;
      /** How the audio was read: decoded whole, or by HTTP range per window. */
      mode: 'whole' | 'ranged';
      /** Milliseconds the worker spent (fetch + decode + mel + colours); 0 when served from its cache. */
      ms: number;
      /** Of which reading the audio (fetch + decode of the window's samples). */
      readMs: number;
      warning: string | null;
    }
  | { id: number; ok: false; error: string; reason?: 'stale' | 'too-wide' };
