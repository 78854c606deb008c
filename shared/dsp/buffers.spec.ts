import { concatFloat32 } from './buffers';
import { mulberry32 } from './random';

describe('concatFloat32', () => {
  it('joins blocks in order, including empty ones', () => {
    const out = concatFloat32([new Float32Array([1, 2]), new Float32Array(0), new Float32Array([3])]);
    expect(Array.from(out)).toEqual([1, 2, 3]);
    expect(concatFloat32([]).length).toBe(0);
  });
});

describe('mulberry32', () => {
  it('is deterministic per seed, differs across seeds, and stays in [0, 1)', () => {
    const a = mulberry32(7), b = mulberry32(7), c = mulberry32(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(c()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
