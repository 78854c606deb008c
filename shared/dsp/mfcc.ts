import { melFilterbank, type Mel } from './mel';
import { stftMagnitudes } from './stft';

/**
 * MFCCs for the aligner: log mel power → DCT-II (orthonormal, scipy.fftpack.dct(norm='ortho'),
 * as librosa.feature.mfcc), plus regression deltas. Defaults are the usual ASR front end
 * (25 ms Hann windows, 10 ms hop, 40 HTK mels, 13 coefficients).
 */

export interface MfccOptions {
  nMfcc?: number;
  nMels?: number;
  /** Seconds. */
  windowSec?: number;
  hopSec?: number;
  fmin?: number;
  fmax?: number;
}

/** Orthonormal DCT-II of one vector: X[k] = s_k·Σ x[n]·cos(π(2n+1)k/2N), s_0 = √(1/N), s_k = √(2/N). */
export function dct2(x: ArrayLike<number>, nOut = x.length): Float64Array {
  const N = x.length;
  const out = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    let s = 0;
    for (let n = 0; n < N; n++) s += x[n] * Math.cos((Math.PI * (2 * n + 1) * k) / (2 * N));
    out[k] = s * Math.sqrt((k === 0 ? 1 : 2) / N);
  }
  return out;
}

/** MFCCs of a log-mel spectrogram ([nMels][frames] → [nMfcc][frames]). */
export function mfccFromLogMel(logMel: Mel, nMfcc = 13): Mel {
  const { nMels, frames, data } = logMel;
  // precomputed DCT matrix: frames × (nMfcc × nMels) multiply-adds
  const basis = new Float64Array(nMfcc * nMels);
  for (let k = 0; k < nMfcc; k++) {
    const s = Math.sqrt((k === 0 ? 1 : 2) / nMels);
    for (let n = 0; n < nMels; n++) basis[k * nMels + n] = s * Math.cos((Math.PI * (2 * n + 1) * k) / (2 * nMels));
  }
  const out = new Float32Array(nMfcc * frames);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < nMfcc; k++) {
      let s = 0;
      for (let n = 0; n < nMels; n++) s += basis[k * nMels + n] * data[n * frames + t];
      out[k * frames + t] = s;
    }
  }
  return { nMels: nMfcc, frames, data: out };
}

/** MFCCs of mono audio: [nMfcc][frames], frames centred every hop. */
export function mfcc(samples: Float32Array, sampleRate: number, opts: MfccOptions = {}): Mel {
  const nMels = opts.nMels ?? 40;
  const win = Math.round((opts.windowSec ?? 0.025) * sampleRate);
  const hop = Math.max(1, Math.round((opts.hopSec ?? 0.01) * sampleRate));
  let nFft = 1;
  while (nFft < win) nFft <<= 1;
  const fb = melFilterbank({ sampleRate, nFft, nMels, fmin: opts.fmin ?? 20, fmax: opts.fmax ?? sampleRate / 2, scale: 'htk', norm: null });
  const frames = 1 + Math.floor(samples.length / hop);
  const logMel = new Float32Array(nMels * frames);
  stftMagnitudes(samples, { nFft, hopLength: hop, winLength: win, center: true, padMode: 'reflect' }, 2, (t, pow) => {
    for (let m = 0; m < nMels; m++) {
      let s = 0;
      for (let k = fb.start[m]; k < fb.end[m]; k++) s += fb.weights[m * fb.bins + k] * pow[k];
      logMel[m * frames + t] = Math.log(s + 1e-10);
    }
  });
  return mfccFromLogMel({ nMels, frames, data: logMel }, opts.nMfcc ?? 13);
}

/** Regression deltas over ±width frames (HTK): d_t = Σ n·(c_{t+n} − c_{t−n}) / (2·Σ n²), edges repeated. */
export function deltas(features: Mel, width = 2): Mel {
  const { nMels, frames, data } = features;
  const out = new Float32Array(data.length);
  let denom = 0;
  for (let n = 1; n <= width; n++) denom += 2 * n * n;
  for (let c = 0; c < nMels; c++) {
    const row = c * frames;
    for (let t = 0; t < frames; t++) {
      let s = 0;
      for (let n = 1; n <= width; n++) {
        const a = data[row + Math.min(frames - 1, t + n)];
        const b = data[row + Math.max(0, t - n)];
        s += n * (a - b);
      }
      out[row + t] = s / denom;
    }
  }
  return { nMels, frames, data: out };
}
