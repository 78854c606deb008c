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

/** Frames per slice of the long-recording pass (100 s of audio): results do not depend on how the audio arrives. */
const SLICE_FRAMES = 5000;
/** Frames of audio context on each side of a slice (a 25 ms window reaches ~1.2 hops past its centre). */
const CONTEXT_FRAMES = 4;

/**
 * MFCC frames of a recording that arrives in chunks (a decoder's stream): only the audio of the
 * slice being computed (~100 s, 9 MB at 22050 Hz) is held, never the recording. The frames are
 * computed slice by slice on exactly the samples the one-shot pass would use, so the result is
 * the same bit for bit whatever the chunk sizes.
 */
export class CepstraStream {
  private readonly hop: number;
  /** Samples [bufStart, bufStart + bufLen) of the recording. */
  private buf = new Float32Array(0);
  private bufStart = 0;
  private bufLen = 0;
  /** Next frame to compute. */
  private next = 0;
  /** Finished slices, [frames][13] each (joined once at the end: no doubling buffer). */
  private slices: Float32Array[] = [];

  constructor(readonly sampleRate: number) {
    this.hop = hopSamples(sampleRate);
  }

  /** Samples received so far. */
  get samples(): number {
    return this.bufStart + this.bufLen;
  }

  push(chunk: Float32Array): void {
    this.append(chunk);
    // A slice is final once the audio reaches past its last frame's context.
    while (this.samples >= (this.next + SLICE_FRAMES + CONTEXT_FRAMES) * this.hop) this.compute(this.next + SLICE_FRAMES, this.samples);
  }

  /** The frames of everything pushed (the stream is ended). */
  finish(): Frames {
    const total = this.samples;
    const frames = 1 + Math.floor(total / this.hop);
    while (this.next < frames) this.compute(Math.min(frames, this.next + SLICE_FRAMES), total);
    const data = new Float32Array(frames * N_CEPS);
    let at = 0;
    for (const part of this.slices) {
      data.set(part, at);
      at += part.length;
    }
    this.slices = [];
    return { data, dim: N_CEPS, frames };
  }

  private compute(to: number, total: number): void {
    const from = this.next;
    const hop = this.hop;
    const first = Math.max(0, from - CONTEXT_FRAMES);
    const a = first * hop;
    const b = Math.min(total, (to + CONTEXT_FRAMES) * hop);
    const m = mfcc(this.buf.subarray(a - this.bufStart, b - this.bufStart), this.sampleRate, MFCC_OPTIONS);
    const part = new Float32Array((to - from) * N_CEPS);
    for (let t = from; t < to; t++) {
      const local = t - first;
      if (local >= m.frames) break;
      for (let k = 0; k < N_CEPS; k++) part[(t - from) * N_CEPS + k] = m.data[k * m.frames + local]!;
    }
    this.slices.push(part);
    this.next = to;
    // Audio before the next slice's context is no longer needed.
    this.drop(Math.max(0, to - CONTEXT_FRAMES) * hop);
  }

  private append(chunk: Float32Array): void {
    if (this.bufLen + chunk.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.bufLen + chunk.length, this.buf.length * 2, 1 << 16));
      bigger.set(this.buf.subarray(0, this.bufLen));
      this.buf = bigger;
    }
    this.buf.set(chunk, this.bufLen);
    this.bufLen += chunk.length;
  }

  private drop(before: number): void {
    const n = Math.min(this.bufLen, before - this.bufStart);
    if (n <= 0) return;
    this.buf.copyWithin(0, n, this.bufLen);
    this.bufStart += n;
    this.bufLen -= n;
  }
}

/** Frames [from, to) of the whole signal's MFCCs, computed on the slice around them (a few frames of context). */
function cepstraInto(samples: Float32Array, sampleRate: number, data: Float32Array, from: number, to: number): void {
  const hop = hopSamples(sampleRate);
  const first = Math.max(0, from - CONTEXT_FRAMES);
  const a = first * hop;
  const b = Math.min(samples.length, (to + CONTEXT_FRAMES) * hop);
  const m = mfcc(a === 0 && b === samples.length ? samples : samples.subarray(a, b), sampleRate, MFCC_OPTIONS);
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
