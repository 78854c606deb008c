/**
 * Sample-level measurements (pure TypeScript): peak, RMS, clipping, per-frame RMS and a
 * simple SNR estimate. Used by import (silence detection) and QA.
 */

/** dB of a linear amplitude; silence is floored at -120 dB so results stay finite (JSON-safe). */
export const DB_FLOOR = -120;
export function ampToDb(x: number): number {
  return x > 1e-6 ? 20 * Math.log10(x) : DB_FLOOR;
}
export function dbToAmp(db: number): number {
  return 10 ** (db / 20);
}

export interface Levels {
  peakDbfs: number;
  rmsDbfs: number;
  /** Fraction of samples at (or within 0.1 dB of) full scale. */
  clippingRatio: number;
}

/** Samples at or above this magnitude count as clipped (-0.01 dBFS; 16-bit full scale is 32767/32768). */
export const CLIP_LEVEL = 0.9988;

export function levels(samples: Float32Array, from = 0, to = samples.length): Levels {
  let peak = 0;
  let sum = 0;
  let clipped = 0;
  for (let i = from; i < to; i++) {
    const v = samples[i];
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
    if (a >= CLIP_LEVEL) clipped++;
    sum += v * v;
  }
  const n = Math.max(0, to - from);
  return {
    peakDbfs: ampToDb(peak),
    rmsDbfs: n ? ampToDb(Math.sqrt(sum / n)) : DB_FLOOR,
    clippingRatio: n ? clipped / n : 0,
  };
}

/**
 * RMS level per frame in dB: non-overlapping frames of `hopSeconds` (10 ms by default).
 * Streaming: feed chunks to a `FrameMeter`; `frameRmsDb` is the one-shot form.
 */
/** The exact frame hop in seconds for a requested hop (a whole number of samples: 220.5 → 221 at 22050 Hz). */
export function frameHopSeconds(sampleRate: number, requested = 0.01): number {
  return Math.max(1, Math.round(sampleRate * requested)) / sampleRate;
}

export class FrameMeter {
  /** Samples per frame. */
  readonly hop: number;
  /** The exact hop in seconds (use this, not the requested one, to turn frame indices into time). */
  readonly hopSeconds: number;
  private acc = 0;
  private n = 0;
  private out: Float32Array;
  private count = 0;

  constructor(
    readonly sampleRate: number,
    requestedHopSeconds = 0.01,
  ) {
    this.hop = Math.max(1, Math.round(sampleRate * requestedHopSeconds));
    this.hopSeconds = this.hop / sampleRate;
    this.out = new Float32Array(1024);
  }

  push(chunk: Float32Array): void {
    const hop = this.hop;
    let acc = this.acc;
    let n = this.n;
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      acc += v * v;
      if (++n === hop) {
        this.emit(acc / hop);
        acc = 0;
        n = 0;
      }
    }
    this.acc = acc;
    this.n = n;
  }

  /** The frames so far, the partial last frame included. */
  finish(): Float32Array {
    if (this.n > 0) {
      this.emit(this.acc / this.n);
      this.acc = 0;
      this.n = 0;
    }
    return this.out.subarray(0, this.count);
  }

  private emit(meanSquare: number): void {
    if (this.count === this.out.length) {
      const bigger = new Float32Array(this.out.length * 2);
      bigger.set(this.out);
      this.out = bigger;
    }
    this.out[this.count++] = meanSquare > 1e-12 ? 10 * Math.log10(meanSquare) : DB_FLOOR;
  }
}

export function frameRmsDb(samples: Float32Array, sampleRate: number, hopSeconds = 0.01): Float32Array {
  const m = new FrameMeter(sampleRate, hopSeconds);
  m.push(samples);
  return m.finish();
}

/** The q-quantile (0..1) of the values, ignoring those at or below `ignoreAtOrBelow`. */
export function quantile(values: ArrayLike<number>, q: number, ignoreAtOrBelow = -Infinity): number | null {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] > ignoreAtOrBelow) kept.push(values[i]);
  if (!kept.length) return null;
  kept.sort((a, b) => a - b);
  const pos = Math.min(kept.length - 1, Math.max(0, q * (kept.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return kept[lo] + (kept[hi] - kept[lo]) * (pos - lo);
}

/**
 * Estimated SNR (dB) of a stretch of audio (pass the clip without its padding): the loud end of
 * the frame-level distribution (speech, 95th percentile of non-silent frames) against its quiet
 * end (noise floor, 3rd percentile of all frames: clips are trimmed, so pauses are few). Digital
 * silence inside the stretch counts as a perfect noise floor, so clean synthetic audio reads as
 * high SNR (capped at 100 dB). Null when there are too few frames to tell.
 */
export function estimateSnrDb(frameDb: Float32Array): number | null {
  let n = 0;
  for (let i = 0; i < frameDb.length; i++) if (frameDb[i] > DB_FLOOR) n++;
  if (n < 10) return null;
  const speech = quantile(frameDb, 0.95, DB_FLOOR)!;
  const noise = quantile(frameDb, 0.03)!;
  return Math.min(100, Math.max(0, speech - noise));
}

/**
 * Below this peak (-40 dBFS) flat tops are not looked for: so near silence a 16-bit signal has only a
 * few dozen levels, and runs of equal samples at its peak are quantization (−90 dBFS dither is ±1 LSB),
 * not clipping; and no recording turned down from clipping ends up this quiet.
 */
export const FLAT_TOP_MIN_PEAK = 0.01;

/**
 * Fraction of samples that are clipped: at digital full scale, or on a flat top (3 or more
 * consecutive samples at the signal's own peak, same sign, the peak at least FLAT_TOP_MIN_PEAK) —
 * which is how clipping still shows after a clipped recording has been turned down.
 */
export function clippedRatio(samples: Float32Array, from = 0, to = samples.length): number {
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i]));
  if (peak < FLAT_TOP_MIN_PEAK || to <= from) return 0;
  const near = peak * 0.999;
  let clipped = 0;
  let run = 0;
  let runSign = 0;
  for (let i = from; i < to; i++) {
    const v = samples[i];
    const a = Math.abs(v);
    const sign = v > 0 ? 1 : -1;
    if (a >= CLIP_LEVEL) clipped++;
    if (a >= near && (run === 0 || sign === runSign)) {
      run++;
      runSign = sign;
      if (a < CLIP_LEVEL) {
        if (run === 3) clipped += 3;
        else if (run > 3) clipped++;
      }
    } else {
      run = a >= near ? 1 : 0;
      runSign = sign;
    }
  }
  return Math.min(1, clipped / (to - from));
}
