import { describe, expect, it } from 'vitest';
import { type ClipQa, ProjectSettings } from '../../../shared/contract/manifest';
import { takeProblems, withSpeakingRate } from './takeQa';

const qa = (cps: number | null, flags: ClipQa['flags'] = []): ClipQa => ({
  durationSeconds: 4,
  peakDbfs: -3,
  clippingRatio: 0,
  rmsDbfs: -20,
  snrDb: 45,
  leadingSilenceSeconds: 0.6,
  trailingSilenceSeconds: 0.6,
  charsPerSecond: cps,
  flags,
});

describe('a take against the person’s other clips', () => {
  const others = [13.1, 13.8, 14.0, 14.2, 14.5, 14.9, 15.0, 15.3, 15.6, 14.4].map((c) => qa(c));

  it('reading much faster or slower than usual is flagged, with what to do; a usual pace is not', () => {
    const fast = withSpeakingRate(qa(24), others);
    expect(fast.flags).toEqual(['too-fast']);
    expect(takeProblems(fast, ProjectSettings.parse({}))).toEqual(['Faster than you usually speak (24 characters/s). Read it again at your normal pace.']);
    expect(withSpeakingRate(qa(7), others).flags).toEqual(['too-slow']);
    expect(withSpeakingRate(qa(14.6), others).flags).toEqual([]);
    // The other clips' own stored flags are neither read nor changed.
    expect(others.every((o) => o.flags.length === 0)).toBe(true);
  });

  it('with fewer than 8 clips there is no usual pace yet: no rate flag', () => {
    expect(withSpeakingRate(qa(40), others.slice(0, 5)).flags).toEqual([]);
  });
});
