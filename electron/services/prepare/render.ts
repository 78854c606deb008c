import { createHash } from 'node:crypto';
import type { ProjectSettings } from '../../../shared/contract/manifest';
import { loudnessGain } from '../../../shared/dsp/loudness';

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
  const n = region.length;
  // Loudness is measured on the region as is (the 5 ms fades change it by far less than 0.01 LU).
  const g = loudnessGain(region, rate, s.targetLufs, s.truePeakDb);
  const pad = Math.round(s.padSeconds * rate);
  const fade = Math.min(Math.round(FADE_SECONDS * rate), n >> 1);
  const fadeGain = new Float32Array(fade);
  for (let i = 0; i < fade; i++) fadeGain[i] = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / fade);
  // One pass from float region to 16-bit PCM: gain, fades, padding (zeros), rounding, clamping.
  const { bytes, pcm, finish } = pcm16MonoWav(pad + n + pad, rate);
  const k = g.gain * 32768;
  const put = (i: number, v: number) => {
    pcm[pad + i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : v === v ? Math.round(v) : 0;
  };
  for (let i = 0; i < fade; i++) put(i, region[i] * k * fadeGain[i]);
  for (let i = fade; i < n - fade; i++) put(i, region[i] * k);
  for (let i = Math.max(fade, n - fade); i < n; i++) put(i, region[i] * k * fadeGain[n - 1 - i]);
  finish();
  return {
    wav: bytes,
    durationSeconds: (pad + n + pad) / rate,
    gainDb: g.gainDb,
    loudnessLufs: g.loudnessLufs,
    limitedByPeak: g.limitedByPeak,
  };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A mono 16-bit PCM WAV of `frames` samples (all zero, canonical 44-byte header) and an Int16Array
 * view of its data, so clips are written straight into their final bytes. Call `finish()` after
 * writing (swaps byte order on a big-endian host; a no-op elsewhere).
 */
export function pcm16MonoWav(frames: number, rate: number): { bytes: Uint8Array; pcm: Int16Array; finish(): void } {
  const bytes = new Uint8Array(44 + frames * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, t: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = t.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + frames * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, frames * 2, true);
  return {
    bytes,
    pcm: new Int16Array(bytes.buffer, 44, frames),
    finish() {
      if (littleEndian) return;
      for (let i = 44; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
    },
  };
}
