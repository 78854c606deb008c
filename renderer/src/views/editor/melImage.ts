import type { Mel } from '../../../../shared/dsp/mel';

/**
 * Turns a mel spectrogram (row-major [nMels][frames], as the models see it) into RGBA pixels:
 * one pixel per frame × mel band, low frequencies at the bottom, colours from a perceptual
 * "magma"-like map. The display range is robust (2nd..99.8th percentile of the values) so a
 * single click or a silent pad does not wash the picture out; the numbers themselves are untouched.
 */
const MAGMA_STOPS: Array<[number, number, number, number]> = [
  [0.0, 0, 0, 4],
  [0.13, 28, 16, 68],
  [0.25, 79, 18, 123],
  [0.38, 129, 37, 129],
  [0.5, 181, 54, 122],
  [0.63, 229, 80, 100],
  [0.75, 251, 135, 97],
  [0.88, 254, 194, 135],
  [1.0, 252, 253, 191],
];

/** 256 RGB entries, interpolated between the stops. */
export const MAGMA_LUT: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < MAGMA_STOPS.length - 2 && MAGMA_STOPS[k + 1][0] < t) k++;
    const [t0, r0, g0, b0] = MAGMA_STOPS[k];
    const [t1, r1, g1, b1] = MAGMA_STOPS[k + 1];
    const f = (t - t0) / (t1 - t0);
    lut[i * 3] = Math.round(r0 + (r1 - r0) * f);
    lut[i * 3 + 1] = Math.round(g0 + (g1 - g0) * f);
    lut[i * 3 + 2] = Math.round(b0 + (b1 - b0) * f);
  }
  return lut;
})();

/** Display range: low and high percentiles of the finite values (sampled, so it is O(n) even for long clips). */
export function displayRange(data: Float32Array, lowPct = 0.02, highPct = 0.998): { lo: number; hi: number } {
  const step = Math.max(1, Math.floor(data.length / 50_000));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) sample.push(data[i]);
  if (!sample.length) return { lo: 0, hi: 1 };
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(lowPct * (sample.length - 1))];
  const hi = sample[Math.ceil(highPct * (sample.length - 1))];
  return hi > lo ? { lo, hi } : { lo, hi: lo + 1 };
}

export interface MelPixels {
  width: number;
  height: number;
  /** RGBA, row 0 = highest mel band. */
  rgba: Uint8ClampedArray;
  lo: number;
  hi: number;
}

export function melToPixels(mel: Mel, range = displayRange(mel.data)): MelPixels {
  const { nMels, frames, data } = mel;
  const rgba = new Uint8ClampedArray(nMels * frames * 4);
  const scale = 255 / (range.hi - range.lo);
  for (let m = 0; m < nMels; m++) {
    const row = (nMels - 1 - m) * frames * 4;
    const src = m * frames;
    for (let f = 0; f < frames; f++) {
      const v = data[src + f];
      const idx = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round((v - range.lo) * scale))) : 0;
      const o = row + f * 4;
      rgba[o] = MAGMA_LUT[idx * 3];
      rgba[o + 1] = MAGMA_LUT[idx * 3 + 1];
      rgba[o + 2] = MAGMA_LUT[idx * 3 + 2];
      rgba[o + 3] = 255;
    }
  }
  return { width: frames, height: nMels, rgba, lo: range.lo, hi: range.hi };
}
