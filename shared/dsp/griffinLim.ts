import { mulberry32 } from './random';
import { realFFT } from './fft';
import { frameFFT } from './frameFft';
import { vocoderPhases } from './initialPhase';
import { deemphasize, presetStftConfig, type Mel } from './mel';
import { melToLinear, type MelInverseMethod } from './melInverse';
import type { MelPreset } from './melPresets';
import { checkStftConfig, frameWindow, reflectIndex, WINDOW_SUM_FLOOR, type StftConfig } from './stft';

/**
 * Griffin-Lim phase reconstruction (Griffin & Lim 1984) with the "fast Griffin-Lim" momentum of
 * Perraudin, Balazs & Søndergaard (2013), following librosa.griffinlim step for step:
 *   angles ← a phase vocoder's phases for S (initialPhase.ts), or random unit phasors (seeded) as librosa
 *   repeat: rebuilt ← STFT(iSTFT(S·angles)); a ← rebuilt − (α/(1+α))·previous rebuilt; angles ← a/|a|
 *   y ← iSTFT(S·angles)
 * Long inputs are processed in chunks of frames (memory stays bounded); each chunk starts from
 * the previous chunk's final phases where they overlap, and the seams are cross-faded.
 */

export interface GriffinLimOptions {
  /** Default: the preset's (60). */
  iterations?: number;
  /** Fast Griffin-Lim momentum α (default GRIFFIN_LIM_MOMENTUM); 0 = classic Griffin-Lim. */
  momentum?: number;
  /** Seed of the initial phases that the magnitudes leave open (default 0): same seed, same audio. */
  seed?: number;
  /**
   * Where the iterations start: 'vocoder' (default; phases a phase vocoder would give these
   * magnitudes, initialPhase.ts: the same convergence in fewer iterations) or 'random' (librosa's and torch's start).
   */
  initialPhase?: 'vocoder' | 'random';
  signal?: AbortSignal;
  /** Exponent on the linear magnitudes (default: the preset's, 1.5 for seed). */
  power?: number;
  /** Mel → linear inverse (default 'nnls'). */
  inverse?: MelInverseMethod;
  /** Frames per chunk (default 2048); chunks overlap by `overlapFrames` (default 32). */
  chunkFrames?: number;
  overlapFrames?: number;
  /** Called after each iteration of each chunk: (done, total) iterations. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Peak to scale the result to. Default: 0.97 when the magnitudes were raised to a power ≠ 1
   * (their level is then arbitrary, as in Rayhane-mamah's save_wav), otherwise only when the
   * result would clip. null: leave the level alone.
   */
  normalizePeak?: number | null;
}

export { mulberry32 } from './random';

/**
 * Fast Griffin-Lim's momentum, chosen by measurement: on LJSpeech (10–30 s, both presets, 60
 * iterations, a phase vocoder's start) α = 0.95 reaches a spectral convergence of 0.024–0.027
 * where librosa's and torchaudio's 0.99 reaches 0.030 (0.93: 0.027, 0.97: 0.027, 0.9: 0.029;
 * α ≥ 1 stops converging: 1.0 gives 0.033, 1.05 gives 0.07).
 */
export const GRIFFIN_LIM_MOMENTUM = 0.95;

/** Mel (as the model outputs it) → audio at preset.sampleRate, on this thread. */
export function griffinLim(mel: Mel, preset: MelPreset, opts: GriffinLimOptions = {}): Float32Array {
  const input = griffinLimInput(mel, preset, opts);
  const y = griffinLimMagnitudes(input.magnitudes, input.frames, input.cfg, { ...opts, iterations: input.iterations });
  return griffinLimOutput(y, preset, input.power, opts.normalizePeak);
}

/**
 * The steps before the phase reconstruction, shared by every way of running it (this thread,
 * worker threads): mel → linear magnitudes (NNLS inverse), raised to the preset's power.
 */
export function griffinLimInput(mel: Mel, preset: MelPreset, opts: Pick<GriffinLimOptions, 'power' | 'inverse' | 'iterations'> = {}) {
  const power = opts.power ?? preset.griffinLim.power;
  const magnitudes = melToLinear(mel, preset, { method: opts.inverse ?? 'nnls' });
  if (power !== 1) for (let i = 0; i < magnitudes.length; i++) magnitudes[i] = Math.pow(magnitudes[i], power);
  return { magnitudes, frames: mel.frames, cfg: presetStftConfig(preset), power, iterations: opts.iterations ?? preset.griffinLim.iterations };
}

/** The steps after it: de-emphasis (seed preset), then the level (see GriffinLimOptions.normalizePeak). In place. */
export function griffinLimOutput(audio: Float32Array, preset: MelPreset, power: number, normalizePeak?: number | null): Float32Array {
  const y = preset.preemphasis ? deemphasize(audio, preset.preemphasis) : audio;
  const target = normalizePeak === undefined ? (power !== 1 ? 0.97 : null) : normalizePeak;
  let peak = 0;
  for (let i = 0; i < y.length; i++) peak = Math.max(peak, Math.abs(y[i]));
  const gain = target !== null ? (peak > 0 ? target / peak : 1) : normalizePeak === undefined && peak > 1 ? 0.97 / peak : 1;
  if (gain !== 1) for (let i = 0; i < y.length; i++) y[i] *= gain;
  return y;
}

/**
 * Griffin-Lim on linear magnitudes, frame-major [frames][nFft/2+1]. Returns (frames − 1)·hop
 * samples when centred (librosa's istft length), like the STFT it inverts.
 */
export function griffinLimMagnitudes(
  magnitudes: Float32Array,
  frames: number,
  cfg: StftConfig,
  opts: GriffinLimOptions = {},
): Float32Array {
  checkStftConfig(cfg);
  const iterations = opts.iterations ?? 60;
  const momentum = opts.momentum ?? GRIFFIN_LIM_MOMENTUM;
  if (!(iterations >= 0)) throw new Error(`griffinLim: iterations must be ≥ 0 (got ${iterations})`);
  if (!(momentum >= 0)) throw new Error(`griffinLim: momentum must be ≥ 0 (got ${momentum})`);
  const bins = Math.floor(cfg.nFft / 2) + 1;
  if (magnitudes.length !== frames * bins) throw new Error(`griffinLim: ${magnitudes.length} magnitudes, expected ${frames}×${bins}`);
  const { hopLength: H } = cfg;
  const pad = cfg.center ? Math.floor(cfg.nFft / 2) : 0;
  const outLength = cfg.center ? H * Math.max(0, frames - 1) : cfg.nFft + H * Math.max(0, frames - 1);
  const out = new Float32Array(outLength);
  const chunk = Math.max(8, opts.chunkFrames ?? 2048);
  const overlap = Math.min(opts.overlapFrames ?? 32, Math.floor(chunk / 4));
  const rand = mulberry32(opts.seed ?? 0);
  // Chunk edges are less converged: skip `margin` samples at each seam, cross-fade the rest.
  const margin = Math.min(pad, Math.floor(((overlap - 1) * H) / 4));
  // chunk c covers frames [a, b); consecutive chunks share `overlap` frames
  const starts: number[] = [];
  for (let a = 0; a < frames; a += chunk - overlap) {
    starts.push(a);
    if (a + chunk >= frames) break;
  }
  const total = starts.length * iterations;
  let done = 0;
  let carry: { frame0: number; re: Float32Array; im: Float32Array; frames: number } | null = null;
  let prevEnd = 0; // output samples written so far (exclusive), for the crossfade
  for (let c = 0; c < starts.length; c++) {
    const a = starts[c];
    const b = Math.min(frames, a + chunk);
    const n = b - a;
    const S = magnitudes.subarray(a * bins, b * bins);
    const chunkSeed = Math.floor(rand() * 4294967296);
    let angRe: Float32Array, angIm: Float32Array;
    if ((opts.initialPhase ?? 'vocoder') === 'vocoder') ({ re: angRe, im: angIm } = vocoderPhases(S, n, cfg.nFft, H, chunkSeed));
    else {
      angRe = new Float32Array(n * bins);
      angIm = new Float32Array(n * bins);
      const r = mulberry32(chunkSeed);
      for (let i = 0; i < n * bins; i++) {
        const phi = 2 * Math.PI * r();
        angRe[i] = Math.cos(phi);
        angIm[i] = Math.sin(phi);
      }
    }
    if (carry) {
      // Start the shared frames from the phases the previous chunk converged to.
      for (let t = a; t < carry.frame0 + carry.frames; t++) {
        const src = (t - carry.frame0) * bins, dst = (t - a) * bins;
        angRe.set(carry.re.subarray(src, src + bins), dst);
        angIm.set(carry.im.subarray(src, src + bins), dst);
      }
    }
    const y = runChunk(S, n, cfg, angRe, angIm, iterations, momentum, opts.signal, () => opts.onProgress?.(++done, total));
    // y is the centred-istft signal of this chunk: sample j ↔ global sample a·H + j (minus the pad when not centred)
    const offset = a * H;
    const fadeStart = c === 0 ? 0 : offset + margin; // where this chunk's trustworthy region begins
    const fadeLen = c === 0 ? 0 : Math.max(0, prevEnd - fadeStart);
    for (let j = 0; j < y.length; j++) {
      const g = offset + j;
      if (g >= outLength) break;
      if (c > 0 && g < fadeStart) continue;
      if (fadeLen > 0 && g < fadeStart + fadeLen) {
        const w = (g - fadeStart + 0.5) / fadeLen;
        out[g] = out[g] * (1 - w) + y[j] * w;
      } else out[g] = y[j];
    }
    // the next chunk starts `overlap` frames before this one ends; cross-fade over the middle of that
    prevEnd = Math.min(outLength, offset + y.length - margin);
    if (c + 1 < starts.length) {
      const next = starts[c + 1];
      const keep = b - next;
      carry = { frame0: next, frames: keep, re: angRe.slice((next - a) * bins), im: angIm.slice((next - a) * bins) };
    }
  }
  return out;
}

/**
 * Griffin-Lim from given initial phases (unit phasors, frame-major [n][bins]; updated in place to
 * the final phases). Returns the centred-trimmed iSTFT. Used to repair seams between segments
 * that were reconstructed separately (griffinLimParallel.ts).
 */
export function griffinLimFromPhases(
  magnitudes: Float32Array,
  n: number,
  cfg: StftConfig,
  phasesRe: Float32Array,
  phasesIm: Float32Array,
  opts: { iterations: number; momentum?: number; signal?: AbortSignal },
): Float32Array {
  checkStftConfig(cfg);
  return runChunk(magnitudes, n, cfg, phasesRe, phasesIm, opts.iterations, opts.momentum ?? GRIFFIN_LIM_MOMENTUM, opts.signal, () => undefined);
}

/**
 * One frame's fast Griffin-Lim step (packed layout): a = rebuilt − β·previous rebuilt,
 * Y = S·a/|a| (for the two real edge bins the new "angle" is a sign); remembers the rebuilt frame.
 */
function project(spec: Float32Array, P: Float32Array, Y: Float32Array, S: Float32Array, o: number, so: number, N: number, beta: number): void {
  const a0 = spec[0] - beta * P[o], an = spec[1] - beta * P[o + 1];
  P[o] = spec[0];
  P[o + 1] = spec[1];
  Y[o] = a0 < 0 ? -S[so] : S[so];
  Y[o + 1] = an < 0 ? -S[so + (N >> 1)] : S[so + (N >> 1)];
  for (let j = 2, k = so + 1; j < N; j += 2, k++) {
    const cr = spec[j], ci = spec[j + 1];
    const ar = cr - beta * P[o + j];
    const ai = ci - beta * P[o + j + 1];
    P[o + j] = cr;
    P[o + j + 1] = ci;
    const g = S[k] / (Math.sqrt(ar * ar + ai * ai) + 1e-16);
    Y[o + j] = ar * g;
    Y[o + j + 1] = ai * g;
  }
}

/** y[off + i] += frame[i]·w[i] over the window's span. */
function overlapAdd(frame: Float32Array, y: Float64Array, off: number, w: Float64Array, w0: number, w1: number): void {
  for (let i = w0; i < w1; i++) y[off + i] += frame[i] * w[i];
}

/** frame[i] = y[off + i]·w[i] over the window's span (the rest of the frame stays 0). */
function windowFrame(y: Float64Array, off: number, w: Float64Array, w0: number, w1: number, frame: Float32Array): void {
  for (let i = w0; i < w1; i++) frame[i] = y[off + i] * w[i];
}

/**
 * Griffin-Lim on one chunk; returns the centred-trimmed istft (length (n−1)·hop when centred).
 * Spectra are float32 in the FFT's packed layout (frameFft.ts) so the WebAssembly FFT reads and
 * writes them where they lie; the signal being rebuilt stays float64.
 */
function runChunk(
  S: Float32Array,
  n: number,
  cfg: StftConfig,
  angRe: Float32Array,
  angIm: Float32Array,
  iterations: number,
  momentum: number,
  signal: AbortSignal | undefined,
  tick: () => void,
): Float32Array {
  const { nFft: N, hopLength: H } = cfg;
  const bins = Math.floor(N / 2) + 1;
  const half = N >> 1;
  const win = frameWindow(cfg);
  const w0 = Math.floor((N - cfg.winLength) / 2);
  const w1 = w0 + cfg.winLength;
  const total = N + H * Math.max(0, n - 1);
  const pad = cfg.center ? Math.floor(N / 2) : 0;
  const len = cfg.center ? H * Math.max(0, n - 1) : total; // the istft's output length
  // 1 / Σw², or 1 where the sum is ~0 (left as is, like librosa)
  const wssInv = new Float64Array(total);
  for (let t = 0; t < n; t++) for (let i = w0; i < w1; i++) wssInv[t * H + i] += win[i] * win[i];
  for (let i = 0; i < total; i++) wssInv[i] = wssInv[i] > WINDOW_SUM_FLOOR ? 1 / wssInv[i] : 1;
  // the inverse FFT is unscaled: fold its 1/N into the synthesis window
  const synWin = new Float64Array(N);
  for (let i = 0; i < N; i++) synWin[i] = win[i] / N;
  const y = new Float64Array(total);
  const plan = frameFFT(N);
  // Y = S·angles (what the next iSTFT needs), P = the last rebuilt STFT; frame t at [t·N, (t+1)·N)
  const [Y, P, frame, spec] = plan.workspace([n * N, n * N, N, N]);
  try {
    for (let t = 0; t < n; t++) {
      const o = t * N, so = t * bins;
      Y[o] = S[so] * angRe[so];
      Y[o + 1] = S[so + half] * angRe[so + half];
      for (let k = 1; k < half; k++) {
        Y[o + 2 * k] = S[so + k] * angRe[so + k];
        Y[o + 2 * k + 1] = S[so + k] * angIm[so + k];
      }
    }
    const beta = momentum / (1 + momentum);

    const synthesize = () => {
      // y ← iSTFT(Y), then re-pad the edges as the next STFT would (istft trims, stft pads)
      y.fill(0);
      for (let t = 0; t < n; t++) {
        plan.inverse(Y, t * N, spec, 0);
        overlapAdd(spec, y, t * H, synWin, w0, w1);
      }
      for (let i = 0; i < total; i++) y[i] *= wssInv[i];
      if (pad) {
        if (cfg.padMode === 'constant') {
          y.fill(0, 0, pad);
          y.fill(0, pad + len);
        } else if (len > 0) {
          for (let i = 0; i < pad; i++) y[i] = y[pad + reflectIndex(i - pad, len)];
          for (let i = pad + len; i < total; i++) y[i] = y[pad + reflectIndex(i - pad, len)];
        }
      }
    };

    for (let it = 0; it < iterations; it++) {
      signal?.throwIfAborted();
      synthesize();
      for (let t = 0; t < n; t++) {
        windowFrame(y, t * H, win, w0, w1, frame);
        plan.forward(frame, 0, spec, 0);
        project(spec, P, Y, S, t * N, t * bins, N, beta);
      }
      tick();
    }
    signal?.throwIfAborted();
    synthesize();
    // hand the final phases back (the next chunk starts its shared frames from them)
    for (let t = 0; t < n; t++) {
      const o = t * N, so = t * bins;
      if (Y[o] !== 0) angRe[so] = Math.sign(Y[o]), angIm[so] = 0;
      if (Y[o + 1] !== 0) angRe[so + half] = Math.sign(Y[o + 1]), angIm[so + half] = 0;
      for (let k = 1; k < half; k++) {
        const r = Y[o + 2 * k], i = Y[o + 2 * k + 1];
        const m = Math.sqrt(r * r + i * i);
        if (m > 0) {
          angRe[so + k] = r / m;
          angIm[so + k] = i / m;
        }
      }
    }
  } finally {
    plan.release();
  }
  return Float32Array.from(y.subarray(pad, pad + len));
}

/**
 * Spectral convergence ‖|STFT(y)| − S‖_F / ‖S‖_F: how consistent the magnitudes of a
 * reconstruction are with the target (lower is better; the Griffin-Lim objective).
 */
export function spectralConvergence(y: Float32Array, magnitudes: Float32Array, frames: number, cfg: StftConfig): number {
  const { nFft: N, hopLength: H } = cfg;
  const bins = Math.floor(N / 2) + 1;
  const plan = realFFT(N);
  const win = frameWindow(cfg);
  const pad = cfg.center ? Math.floor(N / 2) : 0;
  const frame = new Float64Array(N);
  const fr = new Float64Array(bins);
  const fi = new Float64Array(bins);
  let num = 0, den = 0;
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < N; i++) {
      const g = t * H + i - pad;
      let v = 0;
      if (g >= 0 && g < y.length) v = y[g];
      else if (cfg.center && cfg.padMode === 'reflect' && y.length > 0) v = y[reflectIndex(g, y.length)];
      frame[i] = v * win[i];
    }
    plan.forward(frame, fr, fi);
    for (let k = 0; k < bins; k++) {
      const s = magnitudes[t * bins + k];
      const d = Math.sqrt(fr[k] * fr[k] + fi[k] * fi[k]) - s;
      num += d * d;
      den += s * s;
    }
  }
  return Math.sqrt(num / (den || 1));
}
