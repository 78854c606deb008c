import { describe, expect, it } from 'vitest';
import { dct2, deltas, mfcc, mfccFromLogMel } from './mfcc';

describe('mfcc', () => {
  it('DCT-II is orthonormal: a constant maps to c0 = √N·value, an exact cosine basis vector to one coefficient', () => {
    const N = 8;
    expect(dct2(new Array(N).fill(2))[0]).toBeCloseTo(2 * Math.sqrt(N), 12);
    const v = Array.from({ length: N }, (_, n) => Math.sqrt(2 / N) * Math.cos((Math.PI * (2 * n + 1) * 3) / (2 * N)));
    const c = dct2(v);
    c.forEach((x, k) => expect(x).toBeCloseTo(k === 3 ? 1 : 0, 12));
    // energy preserved (orthonormal)
    const x = [0.3, -1, 2, 0.5, 0, 1, -0.7, 0.2];
    const e = (a: ArrayLike<number>) => Array.from(a).reduce((s, y) => s + y * y, 0);
    expect(e(dct2(x))).toBeCloseTo(e(x), 12);
  });

  it('mfccFromLogMel applies the DCT per frame', () => {
    const logMel = { nMels: 4, frames: 2, data: new Float32Array([1, 5, 2, 6, 3, 7, 4, 8]) };
    const m = mfccFromLogMel(logMel, 3);
    const f0 = dct2([1, 2, 3, 4], 3);
    expect(m.data[0]).toBeCloseTo(f0[0], 5);
    expect(m.data[1 * 2 + 0]).toBeCloseTo(f0[1], 5);
    expect(m.data[2 * 2 + 1]).toBeCloseTo(dct2([5, 6, 7, 8], 3)[2], 5);
  });

  it('mfcc: 10 ms frames, 13 coefficients; a louder copy only moves c0 (by 2·ln(gain)·√nMels)', () => {
    const sr = 16000;
    // tones over a noise floor, so every band is far above the log's 1e-10 guard
    let s = 9;
    const noise = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.02;
    const x = new Float32Array(sr / 2).map((_, i) => 0.1 * Math.sin((2 * Math.PI * 300 * i) / sr) + 0.05 * Math.sin((2 * Math.PI * 2100 * i) / sr) + noise());
    const a = mfcc(x, sr);
    expect([a.nMels, a.frames]).toEqual([13, 1 + Math.floor(x.length / 160)]);
    const b = mfcc(x.map((v) => v * 2), sr);
    const t = 20;
    expect(b.data[t] - a.data[t]).toBeCloseTo(2 * Math.log(2) * Math.sqrt(40), 2);
    for (let k = 1; k < 13; k++) expect(b.data[k * a.frames + t]).toBeCloseTo(a.data[k * a.frames + t], 2);
  });

  it('deltas of a ramp are its slope', () => {
    const d = deltas({ nMels: 1, frames: 10, data: new Float32Array(10).map((_, i) => 3 * i) });
    expect(d.data[5]).toBeCloseTo(3, 6);
  });
});
