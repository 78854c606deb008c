import { describe, expect, it } from 'vitest';
import { frameCount, frameWindow, hannWindow, istft, padSignal, reflectIndex, stft, type StftConfig } from './stft';

function noise(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  return new Float32Array(n).map(() => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

describe('windows and framing', () => {
  it('periodic Hann: w[i] = sin²(πi/N) (torch.hann_window, scipy fftbins=True); symmetric ends in 0', () => {
    const w = hannWindow(8);
    expect(Array.from(w).map((v) => +v.toFixed(12))).toEqual([0, 0.146446609407, 0.5, 0.853553390593, 1, 0.853553390593, 0.5, 0.146446609407]);
    const s = hannWindow(5, false);
    expect(Array.from(s)).toEqual([0, 0.5, 1, 0.5, 0].map((v, i) => (i === 1 || i === 3 ? expect.closeTo(v, 12) : v)));
  });

  it('centres a short window in the FFT frame like librosa.util.pad_center', () => {
    const w = frameWindow({ nFft: 2048, winLength: 1100 });
    // (2048 − 1100) / 2 = 474 zeros on the left, 474 on the right
    expect(w[473]).toBe(0);
    expect(w[474]).toBe(0); // Hann starts at 0
    expect(w[475]).toBeGreaterThan(0);
    expect(w[474 + 550]).toBe(1); // peak of a periodic Hann of 1100 at index 550
    expect(w[474 + 1100]).toBe(0);
    expect(w.slice(474 + 1100).every((v) => v === 0)).toBe(true);
  });

  it('counts frames as 1 + floor(L/hop) when centred, 1 + floor((L − nFft)/hop) otherwise', () => {
    expect(frameCount(22050, { nFft: 1024, hopLength: 256, center: true })).toBe(87);
    expect(frameCount(22050, { nFft: 2048, hopLength: 275, center: true })).toBe(81);
    expect(frameCount(22050, { nFft: 1024, hopLength: 256, center: false })).toBe(83);
    expect(frameCount(100, { nFft: 1024, hopLength: 256, center: false })).toBe(0);
  });

  it('reflect-pads like numpy.pad(mode="reflect") (edge not repeated), constant pads zeros', () => {
    const x = [1, 2, 3, 4];
    expect(Array.from(padSignal(x, { nFft: 4, hopLength: 1, winLength: 4, center: true, padMode: 'reflect' }))).toEqual([3, 2, 1, 2, 3, 4, 3, 2]);
    expect(Array.from(padSignal(x, { nFft: 4, hopLength: 1, winLength: 4, center: true, padMode: 'constant' }))).toEqual([0, 0, 1, 2, 3, 4, 0, 0]);
    // numpy.pad([1,2,3], 5, "reflect") = [2,1,2,3,2,1,2,3,2,1,2,3,2]: repeated reflection for pads longer than the signal
    expect([...Array(13).keys()].map((i) => [1, 2, 3][reflectIndex(i - 5, 3)])).toEqual([2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]);
  });
});

describe('STFT', () => {
  it('puts a sinusoid at bin k·sr/nFft with amplitude A·Σw/2', () => {
    const sr = 22050, nFft = 1024, k = 93;
    const f = (k * sr) / nFft;
    const x = new Float32Array(sr).map((_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / sr));
    const spec = stft(x, { nFft, hopLength: 256, winLength: 1024, center: true, padMode: 'reflect' });
    const t = 40;
    const mags = Array.from({ length: spec.bins }, (_, b) => Math.hypot(spec.re[t * spec.bins + b], spec.im[t * spec.bins + b]));
    expect(mags.indexOf(Math.max(...mags))).toBe(k);
    // Σ periodic Hann(1024) = 512 → peak 0.5 · 512 / 2 = 128; neighbours at half (Hann main lobe)
    expect(mags[k]).toBeCloseTo(128, 2);
    expect(mags[k + 1]).toBeCloseTo(64, 2);
    expect(mags[k + 3]).toBeLessThan(1e-3);
  });

  const configs: [string, StftConfig][] = [
    ['nvidia 1024/256/1024 reflect', { nFft: 1024, hopLength: 256, winLength: 1024, center: true, padMode: 'reflect' }],
    ['seed 2048/275/1100 zeros', { nFft: 2048, hopLength: 275, winLength: 1100, center: true, padMode: 'constant' }],
    ['window shorter than the FFT 1024/160/800', { nFft: 1024, hopLength: 160, winLength: 800, center: true, padMode: 'reflect' }],
    ['odd window and hop 512/101/401', { nFft: 512, hopLength: 101, winLength: 401, center: true, padMode: 'constant' }],
    ['not centred 512/128/512', { nFft: 512, hopLength: 128, winLength: 512, center: false, padMode: 'constant' }],
  ];
  for (const [name, cfg] of configs) {
    it(`iSTFT(STFT(x)) = x within 1e-5 (${name})`, () => {
      const n = 5 * cfg.hopLength * 7 + 3;
      const x = noise(n, cfg.nFft);
      const y = istft(stft(x, cfg), cfg, n);
      // not centred: the first and last nFft − hop samples are not covered by enough frames
      const lo = cfg.center ? 0 : cfg.nFft;
      const hi = cfg.center ? n : n - cfg.nFft;
      let err = 0;
      for (let i = lo; i < hi; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
      expect(err).toBeLessThan(1e-5);
    });
  }

  it('Parseval per frame: Σ(w·x)² = (|X0|² + 2Σ|Xk|² + |X_{N/2}|²)/N', () => {
    const cfg: StftConfig = { nFft: 2048, hopLength: 275, winLength: 1100, center: true, padMode: 'constant' };
    const x = noise(8000, 3);
    const spec = stft(x, cfg);
    const padded = padSignal(x, cfg);
    const w = frameWindow(cfg);
    const t = 10;
    let et = 0;
    for (let i = 0; i < cfg.nFft; i++) et += (padded[t * cfg.hopLength + i] * w[i]) ** 2;
    let ef = 0;
    for (let k = 0; k < spec.bins; k++) {
      const p = spec.re[t * spec.bins + k] ** 2 + spec.im[t * spec.bins + k] ** 2;
      ef += (k === 0 || k === spec.bins - 1 ? 1 : 2) * p;
    }
    expect(ef / cfg.nFft).toBeCloseTo(et, 4);
  });
});
