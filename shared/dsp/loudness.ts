/**
 * Loudness per ITU-R BS.1770-4 / EBU R128 for mono signals (pure TypeScript).
 *
 * integratedLoudness: K-weighting (high shelf + RLB high-pass, coefficients derived for any
 * sample rate as libebur128 does), 400 ms blocks with 75 % overlap, absolute gate -70 LUFS,
 * relative gate -10 LU. truePeakDb: 4x oversampled peak (windowed-sinc polyphase interpolator).
 */
import { DB_FLOOR, ampToDb } from './levels';

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages for a sample rate (BS.1770 pre-filter and RLB filter). */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  // Stage 1: high shelf, +4 dB above ~1.7 kHz (the head's acoustic effect).
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  // Stage 2: RLB high-pass at ~38 Hz.
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highpass];
}

/**
 * Mean square of the K-weighted signal per 100 ms step (the quarter of a gating block).
 * Exposed so long signals can be measured block-wise.
 */
export function kWeightedStepPowers(samples: Float32Array, sampleRate: number): Float64Array {
  const [s, h] = kWeightingFilters(sampleRate);
  const step = Math.round(sampleRate * 0.1);
  const steps = Math.floor(samples.length / step);
  const out = new Float64Array(steps);
  // Direct form I, both stages fused in one loop.
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
  let acc = 0;
  let k = 0;
  let j = 0;
  const n = steps * step;
  for (let i = 0; i < n; i++) {
    const x = samples[i];
    const y = s.b0 * x + s.b1 * x1 + s.b2 * x2 - s.a1 * y1 - s.a2 * y2;
    x2 = x1;
    x1 = x;
    const z = h.b0 * y + h.b1 * y1 + h.b2 * y2 - h.a1 * z1 - h.a2 * z2;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    acc += z * z;
    if (++j === step) {
      out[k++] = acc / step;
      acc = 0;
      j = 0;
    }
  }
  return out;
}

const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = -10;
const blockLoudness = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/**
 * Integrated loudness in LUFS; -Infinity when nothing passes the absolute gate (silence) or the
 * signal is shorter than one 400 ms block. Signals shorter than a block but over 100 ms are
 * measured as one block (lenient, for very short clips).
 */
export function integratedLoudness(samples: Float32Array, sampleRate: number): number {
  const steps = kWeightedStepPowers(samples, sampleRate);
  const blocks: number[] = [];
  if (steps.length >= 4) {
    for (let i = 0; i + 4 <= steps.length; i++) blocks.push((steps[i] + steps[i + 1] + steps[i + 2] + steps[i + 3]) / 4);
  } else if (steps.length > 0) {
    let sum = 0;
    for (const p of steps) sum += p;
    blocks.push(sum / steps.length);
  }
  const aboveAbs = blocks.filter((p) => p > 0 && blockLoudness(p) > ABSOLUTE_GATE);
  if (!aboveAbs.length) return -Infinity;
  const meanAbs = aboveAbs.reduce((a, b) => a + b, 0) / aboveAbs.length;
  const relGate = blockLoudness(meanAbs) + RELATIVE_GATE;
  const gated = aboveAbs.filter((p) => blockLoudness(p) > relGate);
  const mean = gated.reduce((a, b) => a + b, 0) / gated.length;
  return blockLoudness(mean);
}

// ---- true peak ----

const OVERSAMPLE = 4;
const TAPS_PER_PHASE = 16;
/** Polyphase windowed-sinc (Hann) interpolator: PHASES[k][t] gives the sample at n + k/4. */
const PHASES: Float64Array[] = (() => {
  const half = TAPS_PER_PHASE / 2;
  const phases: Float64Array[] = [];
  for (let k = 0; k < OVERSAMPLE; k++) {
    const h = new Float64Array(TAPS_PER_PHASE);
    let sum = 0;
    for (let t = 0; t < TAPS_PER_PHASE; t++) {
      // Tap t multiplies x[n - half + 1 + t]; its distance from the interpolation point n + k/4:
      const d = t - half + 1 - k / OVERSAMPLE;
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / (half + 1));
      h[t] = sinc * w;
      sum += h[t];
    }
    for (let t = 0; t < TAPS_PER_PHASE; t++) h[t] /= sum; // unity DC gain per phase
    phases.push(h);
  }
  return phases;
})();

/**
 * Linear true peak (max of the 4x oversampled signal). Inter-sample peaks only occur next to
 * large samples, so the interpolator runs only between samples within 6 dB of the sample peak:
 * the same answer as a full oversampling pass on real audio, at a fraction of the cost.
 */
export function truePeak(samples: Float32Array): number {
  let peak = 0;
  const n = samples.length;
  for (let i = 0; i < n; i++) {
    const v = samples[i];
    if (v > peak) peak = v;
    else if (-v > peak) peak = -v;
  }
  if (peak === 0) return 0;
  const thr = peak * 0.5;
  const half = TAPS_PER_PHASE / 2;
  const T = TAPS_PER_PHASE;
  let tp = peak;
  for (let i = 0; i < n - 1; i++) {
    const a = samples[i];
    const b = samples[i + 1];
    if (a < thr && a > -thr && b < thr && b > -thr) continue;
    const base = i - half + 1;
    const inside = base >= 0 && base + T <= n;
    for (let k = 1; k < OVERSAMPLE; k++) {
      const h = PHASES[k];
      let v = 0;
      if (inside) for (let t = 0; t < T; t++) v += h[t] * samples[base + t];
      else
        for (let t = 0; t < T; t++) {
          const j = base + t;
          if (j >= 0 && j < n) v += h[t] * samples[j];
        }
      if (v > tp) tp = v;
      else if (-v > tp) tp = -v;
    }
  }
  return tp;
}

export function truePeakDb(samples: Float32Array, _sampleRate?: number): number {
  return ampToDb(truePeak(samples));
}

export interface LoudnessGain {
  /** Linear gain to apply. */
  gain: number;
  gainDb: number;
  /** Measured before the gain. */
  loudnessLufs: number;
  /** Before the gain; the sample peak when it was far enough below the ceiling to skip oversampling. */
  truePeakDb: number;
  /** True when the true-peak ceiling, not the loudness target, set the gain. */
  limitedByPeak: boolean;
}

/**
 * The gain that brings a signal to `targetLufs` without its true peak exceeding `ceilingDb`.
 * Silence (no gated blocks) gets unity gain. `targetLufs` null: only the ceiling applies.
 */
export function loudnessGain(samples: Float32Array, sampleRate: number, targetLufs: number | null, ceilingDb: number): LoudnessGain {
  const loudnessLufs = integratedLoudness(samples, sampleRate);
  let gainDb = targetLufs != null && Number.isFinite(loudnessLufs) ? targetLufs - loudnessLufs : 0;
  // The true peak only matters near the ceiling: 4x-oversampled peaks of real audio sit well under
  // 4 dB above the sample peak, so when the sample peak lands 4 dB below the ceiling it is skipped.
  let samplePeak = 0;
  for (let i = 0; i < samples.length; i++) samplePeak = Math.max(samplePeak, Math.abs(samples[i]));
  const tp = ampToDb(samplePeak) + gainDb <= ceilingDb - 4 ? ampToDb(samplePeak) : truePeakDb(samples, sampleRate);
  let limitedByPeak = false;
  if (tp > DB_FLOOR && tp + gainDb > ceilingDb) {
    gainDb = ceilingDb - tp;
    limitedByPeak = true;
  }
  return { gain: 10 ** (gainDb / 20), gainDb, loudnessLufs, truePeakDb: tp, limitedByPeak };
}
