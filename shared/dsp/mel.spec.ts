import { describe, expect, it } from 'vitest';
import { compressionFn, decompressionFn, deemphasize, hzToMel, melFilterbank, melSpectrogram, melToHz, preemphasize, presetFilterbank } from './mel';
import { MEL_PRESETS } from './melPresets';

describe('mel scales', () => {
  it('Slaney: 200/3 Hz per mel below 1 kHz, 27 mels per factor 6.4 above; HTK: 2595·log10(1 + f/700)', () => {
    expect(hzToMel(500, 'slaney')).toBeCloseTo(7.5, 12);
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12);
    expect(hzToMel(6400, 'slaney')).toBeCloseTo(42, 12);
    expect(hzToMel(700, 'htk')).toBeCloseTo(2595 * Math.log10(2), 10);
    for (const f of [0, 55, 999, 1000, 4321, 7600, 8000, 11025]) {
      expect(melToHz(hzToMel(f, 'slaney'), 'slaney')).toBeCloseTo(f, 8);
      expect(melToHz(hzToMel(f, 'htk'), 'htk')).toBeCloseTo(f, 8);
    }
  });
});

describe('mel filterbank (librosa.filters.mel)', () => {
  const fb = presetFilterbank(MEL_PRESETS.nvidia);

  it('places the nvidia edges by hand: 82 points evenly spaced in Slaney mel from 0 to mel(8000)', () => {
    // mel(8000) = 15 + 27·ln(8)/ln(6.4) = 45.245640471924965; step = that / 81 mels
    const top = 15 + (27 * Math.log(8)) / Math.log(6.4);
    expect(top).toBeCloseTo(45.245640471924965, 12);
    const step = top / 81;
    expect(fb.edgesHz[0]).toBe(0);
    expect(fb.edgesHz[1]).toBeCloseTo((200 / 3) * step, 9); // 37.2392 Hz, linear region
    expect(fb.edgesHz[26]).toBeCloseTo((200 / 3) * 26 * step, 9); // 26·0.5586 = 14.52 mel < 15: still linear
    // edge 27 is at 15.08 mel: 1000·6.4^((27·step − 15)/27) Hz, log region
    expect(fb.edgesHz[27]).toBeCloseTo(1000 * Math.pow(6.4, (27 * step - 15) / 27), 8);
    expect(fb.edgesHz[81]).toBeCloseTo(8000, 9);
  });

  it('computes filter 0 weights by hand: bin k at k·22050/1024 Hz on the triangle 0 → 37.24 → 74.48 Hz, × 2/74.48', () => {
    const e1 = fb.edgesHz[1], e2 = fb.edgesHz[2];
    const binHz = 22050 / 1024; // 21.533 Hz
    expect(fb.weights[0]).toBe(0); // DC: the triangle starts at 0 Hz
    expect(fb.weights[1]).toBeCloseTo((binHz / e1) * (2 / e2), 12);
    expect(fb.weights[2]).toBeCloseTo(((e2 - 2 * binHz) / (e2 - e1)) * (2 / e2), 12);
    expect(fb.weights[3]).toBeCloseTo(((e2 - 3 * binHz) / (e2 - e1)) * (2 / e2), 12); // 64.6 Hz < 74.48
    expect(fb.weights[4]).toBe(0);
    expect([fb.start[0], fb.end[0]]).toEqual([1, 4]);
  });

  it('Slaney normalization gives every (wide enough) triangle unit area in Hz', () => {
    const binHz = 22050 / 1024;
    for (const m of [40, 60, 79]) {
      let area = 0;
      for (let k = 0; k < fb.bins; k++) area += fb.weights[m * fb.bins + k] * binHz;
      expect(area).toBeCloseTo(1, 2);
    }
    const htk = melFilterbank({ sampleRate: 16000, nFft: 512, nMels: 40, fmin: 0, fmax: 8000, scale: 'htk', norm: null });
    for (let m = 0; m < 40; m++) expect(Math.max(...htk.weights.subarray(m * 257, (m + 1) * 257))).toBeLessThanOrEqual(1);
  });

  it('seed filterbank spans 55–7600 Hz', () => {
    const s = presetFilterbank(MEL_PRESETS.seed);
    expect(s.edgesHz[0]).toBeCloseTo(55, 9);
    expect(s.edgesHz[81]).toBeCloseTo(7600, 9);
    expect(s.start[0]).toBe(Math.floor((55 * 2048) / 22050) + 1);
    expect(s.end[79]).toBe(Math.ceil((7600 * 2048) / 22050));
  });
});

describe('melSpectrogram', () => {
  const sr = 22050;
  const tone = (hz: number, amp: number, seconds = 1) => new Float32Array(sr * seconds).map((_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sr));

  it('nvidia: a bin-centred tone gives ln(Σ w·|X|) with |X| = A·N/4 at its bin and A·N/8 at the neighbours', () => {
    const p = MEL_PRESETS.nvidia;
    const k = 93; // 2002.6 Hz
    const A = 0.5;
    const mel = melSpectrogram(tone((k * sr) / 1024, A), p);
    expect(mel.nMels).toBe(80);
    expect(mel.frames).toBe(1 + Math.floor(sr / 256));
    const fb = presetFilterbank(p);
    const t = 40;
    const col = Array.from({ length: 80 }, (_, m) => mel.data[m * mel.frames + t]);
    const loudest = col.indexOf(Math.max(...col));
    // the band whose triangle covers bin k most
    let best = -1, bestW = 0;
    for (let m = 0; m < 80; m++) if (fb.weights[m * fb.bins + k] > bestW) (bestW = fb.weights[m * fb.bins + k]), (best = m);
    expect(loudest).toBe(best);
    const w = (m: number, b: number) => fb.weights[m * fb.bins + b];
    const expected = Math.log(w(best, k) * A * 256 + (w(best, k - 1) + w(best, k + 1)) * A * 128);
    expect(col[best]).toBeCloseTo(expected, 4);
    // bands far away hit the 1e-5 floor: ln(1e-5)
    expect(col[5]).toBeCloseTo(Math.log(1e-5), 6);
  });

  it('seed: silence is −4, a loud tone reaches the top of [−4, 4], frames = 1 + floor(L/275)', () => {
    const p = MEL_PRESETS.seed;
    const silent = melSpectrogram(new Float32Array(5000), p);
    expect(silent.frames).toBe(1 + Math.floor(5000 / 275));
    expect(silent.data.every((v) => v === -4)).toBe(true);
    const loud = melSpectrogram(tone(1000, 0.9), p);
    expect(Math.max(...loud.data)).toBeGreaterThan(3);
    expect(Math.max(...loud.data)).toBeLessThanOrEqual(4);
    expect(Math.min(...loud.data)).toBeGreaterThanOrEqual(-4);
    // white noise at full scale saturates at +4 (clipping of the symmetric normalization)
    let s = 1;
    const noise = new Float32Array(sr).map(() => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 31 - 1) * 4);
    expect(Math.max(...melSpectrogram(noise, p).data)).toBe(4);
  });

  it('compression and decompression invert each other inside the clip range', () => {
    for (const p of [MEL_PRESETS.nvidia, MEL_PRESETS.seed]) {
      const c = compressionFn(p), d = decompressionFn(p);
      for (const x of [1e-4, 0.01, 0.5, 3, 9.9]) expect(d(c(x)) / x).toBeCloseTo(1, 9);
    }
    // seed by hand: 20·log10(1) − 20 = −20 dB → 8·(−20 + 100)/100 − 4 = 2.4
    expect(compressionFn(MEL_PRESETS.seed)(1)).toBeCloseTo(2.4, 12);
  });

  it('pre-emphasis and de-emphasis are inverse filters', () => {
    const x = tone(300, 0.3, 0.1);
    const y = deemphasize(preemphasize(x, 0.97), 0.97);
    for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo(x[i], 5);
    expect(preemphasize([1, 1, 1], 0.97)[1]).toBeCloseTo(0.03, 6);
  });
});
