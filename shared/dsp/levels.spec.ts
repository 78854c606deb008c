import { describe, expect, it } from 'vitest';
import { clippedRatio, estimateSnrDb, frameHopSeconds, frameRmsDb, levels } from './levels';

describe('levels', () => {
  it('measures peak, RMS and full-scale clipping', () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => 0.5 * Math.sin(i / 5));
    const l = levels(x);
    expect(l.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(l.rmsDbfs).toBeCloseTo(-9.03, 0);
    expect(l.clippingRatio).toBe(0);
    x[10] = 1;
    expect(levels(x).clippingRatio).toBeCloseTo(0.001, 6);
  });

  it('finds flat tops even after the clipped signal was turned down', () => {
    const clean = Float32Array.from({ length: 22050 }, (_, i) => 0.9 * Math.sin((2 * Math.PI * 200 * i) / 22050));
    expect(clippedRatio(clean)).toBe(0);
    const clipped = clean.map((v) => Math.max(-0.5, Math.min(0.5, v)) * 0.2); // hard-clipped, then -14 dB
    expect(clippedRatio(clipped)).toBeGreaterThan(0.1);
  });

  it('does not call quantized near-silence clipping (−90 dBFS dither in 16 bits is ±1 LSB, full of equal runs)', () => {
    let seed = 7;
    const lsb = 1 / 32768;
    const dither = Float32Array.from({ length: 22050 }, () => (((seed = (seed * 1103515245 + 12345) >>> 0) % 3) - 1) * lsb);
    expect(levels(dither).peakDbfs).toBeCloseTo(-90.3, 1);
    expect(clippedRatio(dither)).toBe(0);
    // while a clipped take turned down to -30 dBFS still shows
    const clipped = Float32Array.from({ length: 22050 }, (_, i) => Math.max(-0.5, Math.min(0.5, Math.sin((2 * Math.PI * 200 * i) / 22050))) * 0.063);
    expect(clippedRatio(clipped)).toBeGreaterThan(0.1);
  });

  it('estimates SNR from the quiet end of the frame levels', () => {
    const rate = 16000;
    let seed = 1;
    const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const x = Float32Array.from({ length: rate * 3 }, (_, i) => (i % rate < rate * 0.8 ? 0.3 * Math.sin(i / 3) : 0) + 0.003 * noise());
    const snr = estimateSnrDb(frameRmsDb(x, rate))!;
    expect(snr).toBeGreaterThan(30); // speech ≈ -13 dB RMS, noise ≈ -55 dB RMS
    expect(snr).toBeLessThan(50);
    expect(estimateSnrDb(new Float32Array(50).fill(-120))).toBeNull(); // all digital silence
  });

  it('uses a whole number of samples per frame', () => {
    expect(frameHopSeconds(22050, 0.01)).toBeCloseTo(221 / 22050, 12);
    expect(frameRmsDb(new Float32Array(22050), 22050)).toHaveLength(100);
  });
});
