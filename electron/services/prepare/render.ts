import { createHash } from 'node:crypto';
import type { ProjectSettings } from '../../../shared/contract/manifest';
import { loudnessGain } from '../../../shared/dsp/loudness';
import { encodeWav } from '../../../shared/dsp/wav';

/**
 * Rendering one clip from its region of the source (mono float at the project rate):
 * short fades at the cut points → loudness normalization (integrated LUFS target, true-peak
 * ceiling) → exactly `padSeconds` of digital silence at each end → 16-bit PCM WAV.
 * A pure function of (region samples, settings), so any clip can be re-rendered identically.
 */

/** Bump when rendering changes, so re-runs re-render instead of trusting old WAVs. */
export const RENDER_VERSION = 1;
/** Raised-cosine fade at both cut points, so a cut in low-level noise never clicks. */
export const FADE_SECONDS = 0.005;

export function renderKey(sourceSha: string, start: number, end: number, s: ProjectSettings): string {
  const key = JSON.stringify([RENDER_VERSION, sourceSha, +start.toFixed(5), +end.toFixed(5), s.sampleRate, s.padSeconds, s.targetLufs, s.truePeakDb]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export interface RenderedClip {
  wav: Uint8Array;
  durationSeconds: number;
  gainDb: number;
  /** Loudness of the region before the gain (LUFS; -Infinity for silence). */
  loudnessLufs: number;
  limitedByPeak: boolean;
}

export function renderClip(region: Float32Array, s: ProjectSettings): RenderedClip {
  const rate = s.sampleRate;
  const x = Float32Array.from(region);
  const fade = Math.min(Math.round(FADE_SECONDS * rate), x.length >> 1);
  for (let i = 0; i < fade; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / fade);
    x[i] *= g;
    x[x.length - 1 - i] *= g;
  }
  const g = loudnessGain(x, rate, s.targetLufs, s.truePeakDb);
  const pad = Math.round(s.padSeconds * rate);
  const out = new Float32Array(pad + x.length + pad);
  const k = g.gain;
  for (let i = 0; i < x.length; i++) out[pad + i] = x[i] * k;
  return {
    wav: encodeWav(out, rate),
    durationSeconds: out.length / rate,
    gainDb: g.gainDb,
    loudnessLufs: g.loudnessLufs,
    limitedByPeak: g.limitedByPeak,
  };
}
