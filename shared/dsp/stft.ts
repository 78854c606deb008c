import { realFFT } from './fft';

/**
 * Short-time Fourier transform and its inverse with a Hann window, for any window, hop and
 * FFT size (window shorter than the FFT included), following librosa.stft/istft and
 * torch.stft/istft conventions exactly:
 *  - the window is periodic Hann (scipy get_window('hann', N, fftbins=True) == torch.hann_window(N)),
 *    zero-padded to nFft and centred in it (librosa.util.pad_center: floor((nFft − win)/2) on the left);
 *  - center=true pads nFft/2 samples on both sides ('reflect' as numpy/torch, or zeros), so
 *    frame t is centred on sample t·hop and there are 1 + floor(L/hop) frames;
 *  - the inverse overlap-adds windowed frames and divides by the window's squared sum
 *    (librosa's window_sumsquare), where that sum is not ~0.
 */

export interface StftConfig {
  nFft: number;
  hopLength: number;
  winLength: number;
  center: boolean;
  padMode: 'reflect' | 'constant';
}

/** A complex spectrogram, frame-major: bin k of frame t is at [t·bins + k]. */
export interface Spectrogram {
  frames: number;
  /** nFft/2 + 1 */
  bins: number;
  re: Float32Array;
  im: Float32Array;
}

/** Hann window; periodic (the DFT-even one every STFT library uses) unless `periodic` is false. */
export function hannWindow(length: number, periodic = true): Float64Array {
  const w = new Float64Array(length);
  const d = periodic ? length : length - 1;
  if (d === 0) {
    w.fill(1);
    return w;
  }
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / d);
  return w;
}

/** The analysis window as applied to an nFft frame: Hann(winLength) centred, zeros around it. */
export function frameWindow(cfg: Pick<StftConfig, 'nFft' | 'winLength'>): Float64Array {
  if (cfg.winLength > cfg.nFft) throw new Error(`window (${cfg.winLength}) longer than the FFT (${cfg.nFft})`);
  const w = new Float64Array(cfg.nFft);
  w.set(hannWindow(cfg.winLength), Math.floor((cfg.nFft - cfg.winLength) / 2));
  return w;
}

export function checkStftConfig(cfg: StftConfig): void {
  for (const k of ['nFft', 'hopLength', 'winLength'] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 1) throw new Error(`STFT ${k} must be a positive integer (got ${cfg[k]})`);
  }
  if (cfg.nFft < 2 || (cfg.nFft & (cfg.nFft - 1)) !== 0) throw new Error(`STFT nFft must be a power of two, at least 2 (got ${cfg.nFft})`);
  if (cfg.winLength > cfg.nFft) throw new Error(`STFT window (${cfg.winLength}) longer than the FFT (${cfg.nFft})`);
}

/** Number of frames the STFT of `length` samples has. */
export function frameCount(length: number, cfg: Pick<StftConfig, 'nFft' | 'hopLength' | 'center'>): number {
  if (cfg.center) return 1 + Math.floor(length / cfg.hopLength);
  if (length < cfg.nFft) return 0;
  return 1 + Math.floor((length - cfg.nFft) / cfg.hopLength);
}

/** numpy 'reflect' index (edge sample not repeated), valid for any offset, even far outside. */
export function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < length ? j : period - j;
}

/** The signal as the frames see it: nFft/2 of padding each side when centred. */
export function padSignal(x: ArrayLike<number>, cfg: StftConfig): Float64Array {
  const pad = cfg.center ? Math.floor(cfg.nFft / 2) : 0;
  const n = x.length;
  const out = new Float64Array(n + 2 * pad);
  for (let i = 0; i < n; i++) out[pad + i] = x[i];
  if (pad && cfg.padMode === 'reflect' && n > 0) {
    for (let i = 0; i < pad; i++) {
      out[i] = x[reflectIndex(i - pad, n)];
      out[pad + n + i] = x[reflectIndex(n + i, n)];
    }
  }
  return out;
}

/**
 * Fills `frame` with the windowed frame t of x as padSignal(x) would give it, without
 * materializing the padded signal (only frames that overlap an edge need the padding rule).
 * Only the window's non-zero span [w0, w1) is written; the rest of `frame` must stay 0.
 */
export function readWindowedFrame(
  x: ArrayLike<number>,
  t: number,
  cfg: StftConfig,
  win: Float64Array,
  w0: number,
  w1: number,
  frame: Float64Array,
): void {
  const pad = cfg.center ? Math.floor(cfg.nFft / 2) : 0;
  const n = x.length;
  const start = t * cfg.hopLength - pad; // signal index of frame[0]
  if (start + w0 >= 0 && start + w1 <= n) {
    for (let i = w0; i < w1; i++) frame[i] = x[start + i] * win[i];
    return;
  }
  const reflect = cfg.padMode === 'reflect' && n > 0;
  for (let i = w0; i < w1; i++) {
    const j = start + i;
    const v = j >= 0 && j < n ? x[j] : reflect && j >= -pad && j < n + pad ? x[reflectIndex(j, n)] : 0;
    frame[i] = v * win[i];
  }
}

/**
 * Streams |STFT|^power frame by frame without storing the spectrogram: `visit(t, mag)` gets
 * nFft/2+1 magnitudes in a reused buffer. The mel spectrogram is built on this.
 */
export function stftMagnitudes(
  x: ArrayLike<number>,
  cfg: StftConfig,
  power: number,
  visit: (frame: number, magnitudes: Float64Array) => void,
): number {
  checkStftConfig(cfg);
  const frames = frameCount(x.length, cfg);
  const { nFft } = cfg;
  const win = frameWindow(cfg);
  // Only the window's non-zero span needs multiplying; the rest of the frame stays 0.
  const w0 = Math.floor((nFft - cfg.winLength) / 2);
  const w1 = w0 + cfg.winLength;
  const plan = realFFT(nFft);
  const bins = plan.bins;
  const frame = new Float64Array(nFft);
  const spec = new Float64Array(2 * nFft);
  const mag = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    readWindowedFrame(x, t, cfg, win, w0, w1, frame);
    plan.forwardInterleaved(frame, spec);
    if (power === 1) {
      for (let k = 0; k < bins; k++) {
        const r = spec[2 * k], i = spec[2 * k + 1];
        mag[k] = Math.sqrt(r * r + i * i);
      }
    } else {
      const half = power / 2;
      for (let k = 0; k < bins; k++) {
        const r = spec[2 * k], i = spec[2 * k + 1];
        mag[k] = half === 1 ? r * r + i * i : Math.pow(r * r + i * i, half);
      }
    }
    visit(t, mag);
  }
  return frames;
}

/** Complex STFT (frame-major, float32 storage, float64 arithmetic). */
export function stft(x: ArrayLike<number>, cfg: StftConfig): Spectrogram {
  checkStftConfig(cfg);
  const padded = padSignal(x, cfg);
  const frames = frameCount(x.length, cfg);
  const { nFft, hopLength } = cfg;
  const win = frameWindow(cfg);
  const plan = realFFT(nFft);
  const bins = plan.bins;
  const frame = new Float64Array(nFft);
  const fr = new Float64Array(bins);
  const fi = new Float64Array(bins);
  const re = new Float32Array(frames * bins);
  const im = new Float32Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const off = t * hopLength;
    for (let i = 0; i < nFft; i++) frame[i] = padded[off + i] * win[i];
    plan.forward(frame, fr, fi);
    re.set(fr, t * bins);
    im.set(fi, t * bins);
  }
  return { frames, bins, re, im };
}

/** Σ_t w²[n − t·hop] over `frames` frames: the overlap-add gain the inverse divides out. */
export function windowSumSquare(cfg: StftConfig, frames: number): Float64Array {
  const win = frameWindow(cfg);
  const out = new Float64Array(cfg.nFft + cfg.hopLength * Math.max(0, frames - 1));
  for (let t = 0; t < frames; t++) {
    const off = t * cfg.hopLength;
    for (let i = 0; i < cfg.nFft; i++) out[off + i] += win[i] * win[i];
  }
  return out;
}

/** Below this the window sum is treated as zero (no division), as librosa does with tiny(float). */
export const WINDOW_SUM_FLOOR = 1e-10;

/**
 * Inverse STFT: overlap-add of windowed inverse FFTs, divided by the window's squared sum.
 * Returns `length` samples (default: (frames − 1)·hop when centred, the length that gives
 * back `frames` frames).
 */
export function istft(spec: Spectrogram, cfg: StftConfig, length?: number): Float32Array {
  checkStftConfig(cfg);
  const { nFft, hopLength } = cfg;
  const plan = realFFT(nFft);
  if (spec.bins !== plan.bins) throw new Error(`istft: spectrogram has ${spec.bins} bins, nFft ${nFft} needs ${plan.bins}`);
  const win = frameWindow(cfg);
  const total = nFft + hopLength * Math.max(0, spec.frames - 1);
  const acc = new Float64Array(total);
  const frame = new Float64Array(nFft);
  const fr = new Float64Array(plan.bins);
  const fi = new Float64Array(plan.bins);
  for (let t = 0; t < spec.frames; t++) {
    for (let k = 0; k < plan.bins; k++) {
      fr[k] = spec.re[t * plan.bins + k];
      fi[k] = spec.im[t * plan.bins + k];
    }
    plan.inverse(fr, fi, frame);
    const off = t * hopLength;
    for (let i = 0; i < nFft; i++) acc[off + i] += frame[i] * win[i];
  }
  const wss = windowSumSquare(cfg, spec.frames);
  for (let i = 0; i < total; i++) if (wss[i] > WINDOW_SUM_FLOOR) acc[i] /= wss[i];
  const start = cfg.center ? Math.floor(nFft / 2) : 0;
  const n = length ?? (cfg.center ? hopLength * Math.max(0, spec.frames - 1) : total);
  const out = new Float32Array(n);
  for (let i = 0; i < n && start + i < total; i++) out[i] = acc[start + i];
  return out;
}
