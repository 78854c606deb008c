import type { MelPreset } from './melPresets';
import { frameCount, stftMagnitudes, type StftConfig } from './stft';

/**
 * Mel filterbanks (librosa.filters.mel, Slaney and HTK scales) and the mel spectrogram exactly
 * as the models see it (melSpectrogram), with the presets' compression and its inverse.
 */

/** A mel spectrogram, row-major [nMels][frames] (the layout of the models' [1, nMels, F] tensors). */
export interface Mel {
  nMels: number;
  frames: number;
  data: Float32Array;
}

export type MelScale = 'slaney' | 'htk';

// Slaney (Auditory Toolbox) scale: linear 200/3 Hz per mel below 1 kHz, logarithmic above.
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHz(mel: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

export interface MelFilterbankConfig {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fmin: number;
  fmax: number;
  scale: MelScale;
  /** 'slaney': each triangle scaled by 2/(upper − lower edge in Hz), equal area; null: peak 1. */
  norm: 'slaney' | null;
}

export interface MelFilterbank {
  nMels: number;
  bins: number;
  /** [nMels][bins] weights (float64, as librosa computes them before its float32 cast). */
  weights: Float64Array;
  /** Filter m is non-zero only on bins [start[m], end[m]). */
  start: Int32Array;
  end: Int32Array;
  /** nMels + 2 edge frequencies in Hz: filter m rises from edges[m], peaks at edges[m+1], falls to edges[m+2]. */
  edgesHz: Float64Array;
}

/**
 * librosa.filters.mel: nMels+2 points equally spaced in mel between fmin and fmax; filter m is
 * the triangle over FFT bin frequencies k·sr/nFft: max(0, min((f − e[m])/(e[m+1] − e[m]),
 * (e[m+2] − f)/(e[m+2] − e[m+1]))), times 2/(e[m+2] − e[m]) with Slaney normalization.
 */
export function melFilterbank(cfg: MelFilterbankConfig): MelFilterbank {
  const { sampleRate, nFft, nMels, fmin, fmax, scale, norm } = cfg;
  const bins = Math.floor(nFft / 2) + 1;
  const lo = hzToMel(fmin, scale);
  const hi = hzToMel(fmax, scale);
  const edgesHz = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edgesHz[i] = melToHz(lo + ((hi - lo) * i) / (nMels + 1), scale);
  const weights = new Float64Array(nMels * bins);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    const e0 = edgesHz[m], e1 = edgesHz[m + 1], e2 = edgesHz[m + 2];
    const enorm = norm === 'slaney' ? 2 / (e2 - e0) : 1;
    let first = -1, last = -1;
    for (let k = 0; k < bins; k++) {
      // librosa: fftfreqs = linspace(0, sr/2, 1 + nFft//2)
      const f = (k * (sampleRate / 2)) / (bins - 1);
      const w = Math.max(0, Math.min((f - e0) / (e1 - e0), (e2 - f) / (e2 - e1)));
      if (w > 0) {
        weights[m * bins + k] = w * enorm;
        if (first < 0) first = k;
        last = k;
      }
    }
    start[m] = first < 0 ? 0 : first;
    end[m] = first < 0 ? 0 : last + 1;
  }
  return { nMels, bins, weights, start, end, edgesHz };
}

const banks = new Map<string, MelFilterbank>();
/** The preset's filterbank (cached). */
export function presetFilterbank(preset: MelPreset): MelFilterbank {
  const cfg: MelFilterbankConfig = {
    sampleRate: preset.sampleRate,
    nFft: preset.nFft,
    nMels: preset.nMels,
    fmin: preset.fmin,
    fmax: preset.fmax,
    scale: preset.melScale,
    norm: preset.melNorm,
  };
  const key = JSON.stringify(cfg);
  let fb = banks.get(key);
  if (!fb) banks.set(key, (fb = melFilterbank(cfg)));
  return fb;
}

export function presetStftConfig(preset: MelPreset): StftConfig {
  return {
    nFft: preset.nFft,
    hopLength: preset.hopLength,
    winLength: preset.winLength,
    center: preset.center,
    padMode: preset.padMode,
  };
}

/** y[n] = x[n] − k·x[n−1] with x[−1] = 0 (scipy.signal.lfilter([1, −k], [1], x)). */
export function preemphasize(x: ArrayLike<number>, k: number): Float64Array {
  // float64: the filtered signal goes straight into the STFT; float32 here costs ~1e-5 in the seed mel
  const y = new Float64Array(x.length);
  let prev = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    y[i] = v - k * prev;
    prev = v;
  }
  return y;
}

/** Inverse of preemphasize: y[n] = x[n] + k·y[n−1] (scipy.signal.lfilter([1], [1, −k], x)). */
export function deemphasize(x: ArrayLike<number>, k: number): Float32Array {
  const y = new Float32Array(x.length);
  let prev = 0;
  for (let i = 0; i < x.length; i++) {
    prev = x[i] + k * prev;
    y[i] = prev;
  }
  return y;
}

/** Linear mel magnitude → the model's value (the preset's log/dB compression and normalization). */
export function compressionFn(preset: MelPreset): (x: number) => number {
  const c = preset.compression;
  if (c.type === 'ln') {
    const floor = c.clampMin;
    return (x) => Math.log(x > floor ? x : floor);
  }
  const minLevel = 10 ** (c.minLevelDb / 20);
  const norm = c.normalize;
  return (x) => {
    const db = 20 * Math.log10(x > minLevel ? x : minLevel) - c.refLevelDb;
    if (!norm) return db;
    const M = norm.maxAbsValue;
    const v = 2 * M * ((db - c.minLevelDb) / -c.minLevelDb) - M;
    return norm.clip ? Math.min(M, Math.max(-M, v)) : v;
  };
}

/** The model's value → linear mel magnitude (inverse of compressionFn; clipped values stay clipped). */
export function decompressionFn(preset: MelPreset): (v: number) => number {
  const c = preset.compression;
  if (c.type === 'ln') return (v) => Math.exp(v);
  const norm = c.normalize;
  return (v) => {
    let db = v;
    if (norm) {
      const M = norm.maxAbsValue;
      const s = norm.clip ? Math.min(M, Math.max(-M, v)) : v;
      db = ((s + M) * -c.minLevelDb) / (2 * M) + c.minLevelDb;
    }
    return 10 ** ((db + c.refLevelDb) / 20);
  };
}

/**
 * The mel spectrogram of `samples` (mono, at preset.sampleRate, −1..1) exactly as the models
 * see it: [nMels][frames], frames = 1 + floor(L / hop).
 */
export function melSpectrogram(samples: Float32Array | Float64Array, preset: MelPreset): Mel {
  const x = preset.preemphasis ? preemphasize(samples, preset.preemphasis) : samples;
  const fb = presetFilterbank(preset);
  const cfg = presetStftConfig(preset);
  const frames = frameCount(x.length, cfg);
  const data = new Float32Array(preset.nMels * frames);
  const compress = compressionFn(preset);
  const { weights, start, end, bins, nMels } = fb;
  stftMagnitudes(x, cfg, preset.magnitudePower, (t, mag) => {
    for (let m = 0; m < nMels; m++) {
      let s = 0;
      const row = m * bins;
      for (let k = start[m], e = end[m]; k < e; k++) s += weights[row + k] * mag[k];
      data[m * frames + t] = compress(s);
    }
  });
  return { nMels, frames, data };
}
