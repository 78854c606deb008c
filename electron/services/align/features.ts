import { ServiceError } from '../../../shared/contract/rpc';
import { mfcc, type MfccOptions } from '../../../shared/dsp/mfcc';
import type { Frames } from './bandedDtw';

/**
 * MFCC frames for alignment (the aeneas recipe), from shared/dsp `mfcc`: 13 cepstral
 * coefficients of a 26-band log-mel spectrum (80–7600 Hz, 25 ms windows) every 20 ms, then each
 * coefficient normalized to zero mean and unit variance over the sequence (cepstral mean/variance
 * normalization), which removes most of the difference between espeak's voice and a real
 * speaker's channel. Frame t is centred at t·20 ms. Independent of the models' mel preset on
 * purpose: alignment wants a coarse, speaker-robust envelope, not a vocoder's spectrogram.
 */
export const FEATURE_HOP_SECONDS = 0.02;
const N_CEPS = 13;
const MFCC_OPTIONS: MfccOptions = { nMfcc: N_CEPS, nMels: 26, windowSec: 0.025, hopSec: FEATURE_HOP_SECONDS, fmin: 80, fmax: 7600 };

function hopSamples(sampleRate: number): number {
  return Math.max(1, Math.round(FEATURE_HOP_SECONDS * sampleRate));
}

function frameCount(samples: Float32Array, sampleRate: number): number {
  return 1 + Math.floor(samples.length / hopSamples(sampleRate));
}

/** Raw (un-normalized) cepstra, row-major [frames][13]. */
export function cepstra(samples: Float32Array, sampleRate: number): Frames {
  const frames = frameCount(samples, sampleRate);
  const data = new Float32Array(frames * N_CEPS);
  cepstraInto(samples, sampleRate, data, 0, frames);
  return { data, dim: N_CEPS, frames };
}

/**
 * The same for a long recording, in slices with a turn of the event loop between them, so the
 * process stays responsive (the Electron main process, a web-mode server) and cancel is heard.
 */
export async function cepstraYielding(samples: Float32Array, sampleRate: number, signal?: AbortSignal): Promise<Frames> {
  const frames = frameCount(samples, sampleRate);
  const data = new Float32Array(frames * N_CEPS);
  const slice = 5000; // 100 s of audio
  for (let t = 0; t < frames; t += slice) {
    if (signal?.aborted) throw new ServiceError('cancelled', 'alignment cancelled');
    cepstraInto(samples, sampleRate, data, t, Math.min(frames, t + slice));
    await new Promise<void>((r) => setImmediate(r));
  }
  return { data, dim: N_CEPS, frames };
}

/** Frames [from, to) of the whole signal's MFCCs, computed on the slice around them (a few frames of context). */
function cepstraInto(samples: Float32Array, sampleRate: number, data: Float32Array, from: number, to: number): void {
  const hop = hopSamples(sampleRate);
  const context = 4;
  const first = Math.max(0, from - context);
  const a = first * hop;
  const b = Math.min(samples.length, (to + context) * hop);
  const whole = from === 0 && b === samples.length;
  const m = mfcc(whole ? samples : samples.subarray(a, b), sampleRate, MFCC_OPTIONS);
  for (let t = from; t < to; t++) {
    const local = t - first;
    if (local >= m.frames) break;
    for (let k = 0; k < N_CEPS; k++) data[t * N_CEPS + k] = m.data[k * m.frames + local]!;
  }
}

/** In place: zero mean, unit variance per coefficient over the frames. */
export function normalizeFrames(f: Frames): Frames {
  const { data, dim, frames } = f;
  if (!frames) return f;
  for (let k = 0; k < dim; k++) {
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < frames; t++) {
      const v = data[t * dim + k]!;
      s += v;
      s2 += v * v;
    }
    const mean = s / frames;
    const sd = Math.sqrt(Math.max(1e-12, s2 / frames - mean * mean));
    for (let t = 0; t < frames; t++) data[t * dim + k] = (data[t * dim + k]! - mean) / sd;
  }
  return f;
}

/** Joins frame sequences (same dim) into one. */
export function concatFrames(parts: Frames[], dim: number): Frames {
  const frames = parts.reduce((s, p) => s + p.frames, 0);
  const data = new Float32Array(frames * dim);
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at * dim);
    at += p.frames;
  }
  return { data, dim, frames };
}
