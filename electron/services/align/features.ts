import { ServiceError } from '../../../shared/contract/rpc';
import { RealFFT } from '../../../shared/dsp/fft';
import type { Frames } from './bandedDtw';

/**
 * MFCC-like frames for alignment (the aeneas recipe): 13 cepstral coefficients of a log-mel
 * spectrum, 20 ms hop, then each coefficient normalized to zero mean and unit variance over the
 * sequence (cepstral mean/variance normalization), which removes most of the difference between
 * espeak's voice and a real speaker's channel. Independent of the models' mel preset on purpose:
 * alignment wants a coarse, speaker-robust envelope, not a vocoder's spectrogram.
 */
export const FEATURE_HOP_SECONDS = 0.02;
const N_FFT = 512;
const N_MELS = 26;
const N_CEPS = 13;
const F_MIN = 80;
const F_MAX = 7600;

interface Bank {
  sampleRate: number;
  window: Float64Array;
  filters: { from: number; weights: Float64Array }[];
  dct: Float64Array;
  fft: RealFFT;
}
const banks = new Map<number, Bank>();

function bank(sampleRate: number): Bank {
  let b = banks.get(sampleRate);
  if (b) return b;
  const winLen = Math.min(N_FFT, Math.round(0.025 * sampleRate));
  const window = new Float64Array(N_FFT);
  for (let i = 0; i < winLen; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / winLen);
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const fMax = Math.min(F_MAX, sampleRate / 2);
  const pts: number[] = [];
  for (let i = 0; i < N_MELS + 2; i++) pts.push(hz(mel(F_MIN) + ((mel(fMax) - mel(F_MIN)) * i) / (N_MELS + 1)));
  const binHz = sampleRate / N_FFT;
  const filters: Bank['filters'] = [];
  for (let m = 0; m < N_MELS; m++) {
    const [l, c, r] = [pts[m]!, pts[m + 1]!, pts[m + 2]!];
    const from = Math.max(0, Math.floor(l / binHz));
    const to = Math.min(N_FFT / 2, Math.ceil(r / binHz));
    const weights = new Float64Array(to - from + 1);
    for (let k = from; k <= to; k++) {
      const f = k * binHz;
      weights[k - from] = Math.max(0, Math.min((f - l) / (c - l), (r - f) / (r - c)));
    }
    filters.push({ from, weights });
  }
  const dct = new Float64Array(N_CEPS * N_MELS);
  for (let k = 0; k < N_CEPS; k++) for (let m = 0; m < N_MELS; m++) dct[k * N_MELS + m] = Math.cos((Math.PI * k * (m + 0.5)) / N_MELS);
  b = { sampleRate, window, filters, dct, fft: new RealFFT(N_FFT) };
  banks.set(sampleRate, b);
  return b;
}

/** Raw (un-normalized) cepstra: frame t covers samples [t·hop, t·hop + window). */
export function cepstra(samples: Float32Array, sampleRate: number): Frames {
  const hop = Math.round(FEATURE_HOP_SECONDS * sampleRate);
  const frames = Math.max(0, Math.ceil(samples.length / hop));
  const data = new Float32Array(frames * N_CEPS);
  cepstraInto(samples, sampleRate, data, 0, frames);
  return { data, dim: N_CEPS, frames };
}

/**
 * The same for a long recording, in slices with a turn of the event loop between them, so the
 * process stays responsive (the Electron main process, a web-mode server) and cancel is heard.
 */
export async function cepstraYielding(samples: Float32Array, sampleRate: number, signal?: AbortSignal): Promise<Frames> {
  const hop = Math.round(FEATURE_HOP_SECONDS * sampleRate);
  const frames = Math.max(0, Math.ceil(samples.length / hop));
  const data = new Float32Array(frames * N_CEPS);
  const slice = 5000; // 100 s of audio, ~50 ms of work
  for (let t = 0; t < frames; t += slice) {
    if (signal?.aborted) throw new ServiceError('cancelled', 'alignment cancelled');
    cepstraInto(samples, sampleRate, data, t, Math.min(frames, t + slice));
    await new Promise<void>((r) => setImmediate(r));
  }
  return { data, dim: N_CEPS, frames };
}

function cepstraInto(samples: Float32Array, sampleRate: number, data: Float32Array, from: number, to: number): void {
  const b = bank(sampleRate);
  const hop = Math.round(FEATURE_HOP_SECONDS * sampleRate);
  const buf = new Float64Array(N_FFT);
  const re = new Float64Array(N_FFT / 2 + 1);
  const im = new Float64Array(N_FFT / 2 + 1);
  const power = new Float64Array(N_FFT / 2 + 1);
  const logMel = new Float64Array(N_MELS);
  for (let t = from; t < to; t++) {
    const off = t * hop;
    for (let i = 0; i < N_FFT; i++) {
      const s = off + i < samples.length ? samples[off + i]! : 0;
      buf[i] = s * b.window[i]!;
    }
    b.fft.forward(buf, re, im);
    for (let k = 0; k < power.length; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    for (let m = 0; m < N_MELS; m++) {
      const f = b.filters[m]!;
      let e = 0;
      for (let k = 0; k < f.weights.length; k++) e += f.weights[k]! * power[f.from + k]!;
      // Floor at −100 dB re full scale: digital silence in the synthetic audio stays finite.
      logMel[m] = Math.log(e + 1e-10);
    }
    for (let k = 0; k < N_CEPS; k++) {
      let c = 0;
      for (let m = 0; m < N_MELS; m++) c += b.dct[k * N_MELS + m]! * logMel[m]!;
      data[t * N_CEPS + k] = c;
    }
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
