import { describe, expect, it } from 'vitest';
import { attentionHealth, compareHealth } from './attentionHealth';

/** Builds an alignment whose peak at step t is peakAt(t), with a little spread to the neighbours. */
function alignment(steps: number, symbols: number, peakAt: (t: number) => number): Float32Array {
  const a = new Float32Array(steps * symbols);
  for (let t = 0; t < steps; t++) {
    const p = Math.max(0, Math.min(symbols - 1, Math.round(peakAt(t))));
    a[t * symbols + p] = 0.8;
    if (p > 0) a[t * symbols + p - 1] = 0.1;
    if (p < symbols - 1) a[t * symbols + p + 1] = 0.1;
  }
  return a;
}

describe('attentionHealth', () => {
  it('passes a clean diagonal alignment that ends on the last symbol', () => {
    const h = attentionHealth(alignment(120, 30, (t) => (t / 119) * 29), 120, 30, 'gate');
    expect(h.ok).toBe(true);
    expect(h.issues).toEqual([]);
    expect(h.metrics.monotonicity).toBe(1);
    expect(h.metrics.coverage).toBe(1);
    expect(h.metrics.furthestPeak).toBe(29);
    expect(h.metrics.meanFocus).toBeCloseTo(0.8, 5);
    expect(h.metrics.stepsPerSymbol).toBe(4);
  });

  it('flags runaway decoding when the step limit was hit', () => {
    const h = attentionHealth(alignment(200, 20, (t) => Math.min(19, t / 5)), 200, 20, 'max-steps');
    expect(h.issues).toContain('runaway');
    expect(h.ok).toBe(false);
    expect(h.notes.join()).toMatch(/stop token never fired/);
  });

  it('flags an early stop before the last symbols were attended', () => {
    const h = attentionHealth(alignment(60, 40, (t) => t / 3), 60, 40, 'gate');
    expect(h.issues).toEqual(['early-stop']);
    expect(h.notes[0]).toMatch(/ended at symbol 21 of 40/);
  });

  it('flags attention that jumps back and forth', () => {
    const h = attentionHealth(alignment(100, 30, (t) => (t % 20 < 10 ? t % 20 : 29 - (t % 20))), 100, 30, 'gate');
    expect(h.issues).toContain('no-monotonic-progress');
    expect(h.metrics.maxBackwardJump).toBeGreaterThan(2);
  });

  it('flags attention stuck on one symbol (no coverage)', () => {
    const h = attentionHealth(alignment(100, 30, () => 29), 100, 30, 'gate');
    expect(h.issues).toEqual(['no-monotonic-progress']);
    expect(h.metrics.coverage).toBeLessThan(0.1);
  });

  it('tolerates small wobbles of the peak', () => {
    const h = attentionHealth(alignment(100, 25, (t) => t / 4 - (t % 7 === 0 ? 1 : 0)), 100, 25, 'gate');
    expect(h.ok).toBe(true);
  });

  it('rejects an alignment of the wrong size', () => {
    expect(() => attentionHealth(new Float32Array(10), 3, 4, 'gate')).toThrow(/expected 3×4/);
  });

  it('ranks attempts by issues, then coverage', () => {
    const good = attentionHealth(alignment(120, 30, (t) => (t / 119) * 29), 120, 30, 'gate');
    const early = attentionHealth(alignment(60, 40, (t) => t / 3), 60, 40, 'gate');
    expect(compareHealth(good, early)).toBeLessThan(0);
    expect([early, good].sort(compareHealth)[0]).toBe(good);
  });
});
