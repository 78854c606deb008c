import { describe, expect, it } from 'vitest';
import { irfft, rfft, RealFFT } from './fft';

// Reference: the DFT straight from its definition, in float64 (O(n²), small n only).
function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const bins = Math.floor(n / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      re[k] += x[t] * Math.cos(a);
      im[k] += x[t] * Math.sin(a);
    }
  }
  return { re, im };
}

function noise(n: number, seed = 1): Float64Array {
  let s = seed >>> 0;
  return new Float64Array(n).map(() => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

describe('RealFFT', () => {
  for (const n of [2, 4, 8, 16, 64, 512, 1024, 2048]) {
    it(`matches the DFT definition and inverts exactly (n=${n})`, () => {
      const x = noise(n, n);
      const got = rfft(x);
      const want = naiveDft(x);
      const tol = 1e-9 * n;
      for (let k = 0; k < got.re.length; k++) {
        expect(Math.abs(got.re[k] - want.re[k])).toBeLessThan(tol);
        expect(Math.abs(got.im[k] - want.im[k])).toBeLessThan(tol);
      }
      const back = irfft(got.re, got.im, n);
      for (let t = 0; t < n; t++) expect(Math.abs(back[t] - x[t])).toBeLessThan(1e-12 * n);
    });
  }

  it("obeys Parseval: Σx² = (|X0|² + 2Σ|Xk|² + |X_{n/2}|²)/n", () => {
    for (const n of [1024, 2048]) {
      const x = noise(n, 7);
      const { re, im } = rfft(x);
      let et = 0;
      for (const v of x) et += v * v;
      let ef = 0;
      for (let k = 0; k < re.length; k++) {
        const w = k === 0 || 2 * k === n ? 1 : 2;
        ef += w * (re[k] * re[k] + im[k] * im[k]);
      }
      expect(ef / n).toBeCloseTo(et, 9);
    }
  });

  it('puts a cosine of k cycles in bin k with amplitude n/2', () => {
    const n = 2048;
    const x = new Float64Array(n).map((_, t) => Math.cos((2 * Math.PI * 37 * t) / n + 0.3));
    const { re, im } = rfft(x);
    const mag = Array.from(re, (r, k) => Math.hypot(r, im[k]));
    expect(mag.indexOf(Math.max(...mag))).toBe(37);
    expect(mag[37]).toBeCloseTo(n / 2, 6);
    expect(Math.atan2(im[37], re[37])).toBeCloseTo(0.3, 9);
  });

  it('interleaved hot-loop variants agree with forward/inverse', () => {
    for (const n of [2, 1024, 2048]) {
      const x = noise(n, 11);
      const plan = new RealFFT(n);
      const spec = new Float64Array(2 * n);
      plan.forwardInterleaved(x, spec);
      const { re, im } = rfft(x);
      for (let k = 0; k < re.length; k++) {
        expect(spec[2 * k]).toBeCloseTo(re[k], 9);
        expect(spec[2 * k + 1]).toBeCloseTo(im[k], 9);
      }
      const padded = new Float64Array(8 + 2 * n);
      padded.set(spec.subarray(0, 2 * plan.bins), 8);
      const back = new Float64Array(n);
      plan.inverseInterleaved(padded, 8, back);
      for (let t = 0; t < n; t++) expect(back[t]).toBeCloseTo(x[t], 12);
    }
  });

  it('rejects nonsense sizes, and sizes that are not a power of two', () => {
    expect(() => new RealFFT(1)).toThrow(/bad size/);
    expect(() => new RealFFT(2.5)).toThrow(/bad size/);
    expect(() => new RealFFT(1000)).toThrow(/power of two \(got 1000\)/);
  });
});
