import { describe, expect, it } from 'vitest';
import { integratedLoudness, loudnessGain, truePeak, truePeakDb } from './loudness';
import { levels } from './levels';

const sine = (rate: number, seconds: number, f: number, amp: number, phase = 0) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin(2 * Math.PI * f * (i / rate) + phase));

describe('integratedLoudness (BS.1770-4)', () => {
  it('reads a 997 Hz sine at -20 dBFS peak as -23.0 LUFS (mono) at any sample rate', () => {
    for (const rate of [16000, 22050, 44100, 48000]) {
      const l = integratedLoudness(sine(rate, 5, 997, 0.1), rate);
      expect(l).toBeGreaterThan(-23.15);
      expect(l).toBeLessThan(-22.85);
    }
  });

  it('gates silence: a tone followed by as much silence measures as the tone alone', () => {
    const rate = 22050;
    const tone = sine(rate, 4, 997, 0.1);
    const withSilence = new Float32Array(tone.length * 2);
    withSilence.set(tone);
    expect(Math.abs(integratedLoudness(withSilence, rate) - integratedLoudness(tone, rate))).toBeLessThan(0.2);
    expect(integratedLoudness(new Float32Array(rate * 2), rate)).toBe(-Infinity);
  });

  it('weights high frequencies up and very low ones down (K-weighting)', () => {
    const rate = 48000;
    const l100 = integratedLoudness(sine(rate, 3, 100, 0.1), rate);
    const l1k = integratedLoudness(sine(rate, 3, 1000, 0.1), rate);
    const l4k = integratedLoudness(sine(rate, 3, 4000, 0.1), rate);
    const l20 = integratedLoudness(sine(rate, 3, 20, 0.1), rate);
    expect(l4k - l1k).toBeGreaterThan(3);
    expect(l4k - l1k).toBeLessThan(4.5);
    expect(l1k - l100).toBeGreaterThan(0.5); // RLB high-pass and shelf: about -1.8 dB at 100 Hz
    expect(l1k - l100).toBeLessThan(2.5);
    expect(l1k - l20).toBeGreaterThan(10);
  });
});

describe('truePeak', () => {
  it('finds the peak between samples (sine at fs/4, sampled 45° off its crest)', () => {
    const x = sine(48000, 0.5, 12000, 0.9, Math.PI / 4);
    expect(levels(x).peakDbfs).toBeLessThan(20 * Math.log10(0.9) - 2.9); // samples sit 3 dB below the crest
    expect(truePeak(x)).toBeGreaterThan(0.88);
    expect(truePeak(x)).toBeLessThan(0.93);
  });

  it('equals the sample peak for a slow signal, and -120 dB for silence', () => {
    const x = sine(22050, 1, 100, 0.5);
    expect(Math.abs(truePeakDb(x) - 20 * Math.log10(0.5))).toBeLessThan(0.05);
    expect(truePeakDb(new Float32Array(100))).toBe(-120);
  });
});

describe('loudnessGain', () => {
  it('brings a quiet tone to the target, and lets the true-peak ceiling win when it must', () => {
    const rate = 22050;
    const quiet = sine(rate, 3, 440, 0.01);
    const g = loudnessGain(quiet, rate, -23, -1);
    const after = quiet.map((v) => v * g.gain);
    expect(Math.abs(integratedLoudness(after, rate) - -23)).toBeLessThan(0.05);
    expect(g.limitedByPeak).toBe(false);
    // A crest-heavy signal: one loud click in quiet tone; reaching -10 LUFS would push the click past -1 dBTP.
    const spiky = sine(rate, 3, 440, 0.05);
    spiky[1000] = 0.9;
    const h = loudnessGain(spiky, rate, -10, -1);
    expect(h.limitedByPeak).toBe(true);
    expect(truePeakDb(spiky.map((v) => v * h.gain))).toBeLessThanOrEqual(-0.99);
  });
});
