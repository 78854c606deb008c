import { describe, expect, it } from 'vitest';
import { formatLength } from '../../components/format';
import { datasetTotals, durationHistogram } from './totals';
import { syntheticClips } from './syntheticClips';

describe('datasetTotals', () => {
  it('counts speech minutes without pads or rejected clips, against the 30-minute guidance', () => {
    const [a, b, c] = syntheticClips(3);
    const clips = [
      { ...a, sourceStart: 0, sourceEnd: 600, durationSeconds: 601, status: 'reviewed' as const },
      { ...b, sourceStart: 0, sourceEnd: 300, durationSeconds: 301, status: 'transcribed' as const },
      { ...c, sourceStart: 0, sourceEnd: 900, durationSeconds: 901, status: 'rejected' as const },
    ];
    const t = datasetTotals(clips);
    expect(t).toMatchObject({ clips: 3, usable: 2, reviewed: 1, speechMinutes: 15, reviewedMinutes: 10, guidanceFraction: 0.5 });
    expect(datasetTotals([]).guidanceFraction).toBe(0);
  });
});

describe('durationHistogram', () => {
  it('bins every clip once, covers the longest clip', () => {
    const clips = syntheticClips(500);
    const h = durationHistogram(clips, 1);
    expect(h.counts.reduce((s, n) => s + n, 0)).toBe(500);
    expect(h.edges.length).toBe(h.counts.length + 1);
    expect(h.edges.at(-1)!).toBeGreaterThanOrEqual(Math.max(...clips.map((c) => c.durationSeconds)));
    expect(h.max).toBe(Math.max(...h.counts));
    const one = durationHistogram([{ ...clips[0], durationSeconds: 3.5 }], 1);
    expect(one.counts[3]).toBe(1);
  });
  it('speaks of lengths in one set of units: s, min, h', () => {
    expect([formatLength(34.4), formatLength(90), formatLength(75 * 60), formatLength(95 * 60)]).toEqual(['34 s', '1.5 min', '75.0 min', '1.6 h']);
  });
});
