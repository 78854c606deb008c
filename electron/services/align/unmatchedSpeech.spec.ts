import { describe, expect, it } from 'vitest';
import { unmatchedSpeech } from './unmatchedSpeech';

const seg = (start: number, end: number, cutStart = start - 0.2, cutEnd = end + 0.2) => ({ start, end, cutStart, cutEnd });

describe('unmatchedSpeech', () => {
  it('reports speech before the first and after the last aligned segment, with its extent and amount', () => {
    const runs = [
      { start: 0.5, end: 1.0 },
      { start: 1.3, end: 2.1 }, // 1.3 s of speech before the text, with a pause inside
      { start: 3.0, end: 5.0 },
      { start: 5.5, end: 8.0 },
      { start: 9.0, end: 10.2 },
    ];
    const out = unmatchedSpeech(runs, [seg(3.0, 5.0), seg(5.5, 8.0)], 11);
    expect(out).toEqual([
      { start: 0.5, end: 2.1, speechSeconds: 1.3, reason: 'before-transcript' },
      { start: 9.0, end: 10.2, speechSeconds: 1.2, reason: 'after-transcript' },
    ]);
  });

  it('ignores breaths and clicks (0.5 s of speech or less) and text not found in the audio', () => {
    const runs = [
      { start: 0.2, end: 0.45 },
      { start: 3.0, end: 5.0 },
      { start: 6.0, end: 6.3 },
    ];
    // The last segment was not found (start === end): the aligned span ends with the first one.
    expect(unmatchedSpeech(runs, [seg(3.0, 5.0), { start: 5.6, end: 5.6, cutStart: 5.6, cutEnd: 5.6 }], 7)).toEqual([]);
    expect(unmatchedSpeech(runs, [], 7)).toEqual([]);
  });
});
