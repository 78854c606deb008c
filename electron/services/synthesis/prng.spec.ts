import { describe, expect, it } from 'vitest';
import { SeededRandom, deriveSeed } from './prng';

describe('SeededRandom', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const xa = Array.from({ length: 16 }, () => a.nextUint32());
    const xb = Array.from({ length: 16 }, () => b.nextUint32());
    const xc = Array.from({ length: 16 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('gives uniform numbers in [0,1) with the right mean and variance', () => {
    const r = new SeededRandom(7);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      s += x;
      s2 += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('gives standard normal samples', () => {
    const r = new SeededRandom(1);
    const out = r.fillNormal(new Float32Array(100_000));
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const variance = out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance).toBeGreaterThan(0.97);
    expect(variance).toBeLessThan(1.03);
  });

  it('draws inverted-dropout masks: 0 with probability p, else 1/(1-p)', () => {
    const r = new SeededRandom(3);
    const m = r.fillDropoutMask(new Float32Array(50_000), 0.5);
    const zeros = m.filter((v) => v === 0).length;
    expect(new Set(m)).toEqual(new Set([0, 2]));
    expect(zeros / m.length).toBeGreaterThan(0.48);
    expect(zeros / m.length).toBeLessThan(0.52);
    expect(() => r.fillDropoutMask(new Float32Array(1), 1)).toThrow(/dropout probability/);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(/seed/);
  });
});

describe('deriveSeed', () => {
  it('gives distinct, stable streams per path', () => {
    expect(deriveSeed(1, 0)).toBe(deriveSeed(1, 0));
    const seen = new Set<number>();
    for (let s = 0; s < 4; s++) for (let i = 0; i < 50; i++) for (let j = 0; j < 2; j++) seen.add(deriveSeed(s, i, j));
    expect(seen.size).toBe(400);
  });
});
