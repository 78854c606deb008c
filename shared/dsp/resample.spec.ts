import { describe, expect, it } from 'vitest';
import { resample } from './resample';

const tone = (hz: number, rate: number, seconds: number) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Float32Array, a = 0, b = x.length) => Math.sqrt(x.subarray(a, b).reduce((s, v) => s + v * v, 0) / (b - a));

describe('resample', () => {
  it('keeps a tone below the new Nyquist (level and frequency) from 48 and 44.1 kHz to 22050 Hz', () => {
    for (const from of [48000, 44100]) {
      const y = resample(tone(1000, from, 1), from, 22050);
      expect(y.length).toBe(22050);
      const ref = tone(1000, 22050, 1);
      const mid = y.subarray(2000, 20000);
      let err = 0;
      for (let i = 0; i < mid.length; i++) err = Math.max(err, Math.abs(mid[i]! - ref[2000 + i]!));
      expect(err).toBeLessThan(2e-3);
    }
  });

  it('removes what is above the new Nyquist instead of folding it back (15 kHz tone: no 7 kHz alias)', () => {
    const y = resample(tone(15000, 48000, 1), 48000, 22050);
    expect(rms(y, 1000, 21000)).toBeLessThan(1e-3); // -57 dB under the tone's 0.707
  });
});
