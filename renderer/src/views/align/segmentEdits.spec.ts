import { describe, expect, it } from 'vitest';
import type { AlignSegment } from '../../../../shared/contract/align';
import { mergeWithNext, reviewOrder, segmentExplanation, setEdges, splitSegment } from './segmentEdits';

const transcript = 'One two three. Four five. Six seven eight nine.';
const seg = (text: string, start: number, end: number, confidence = 0.9, charStart = transcript.indexOf(text)): AlignSegment => ({
  text,
  start,
  end,
  cutStart: start - 0.2,
  cutEnd: end + 0.2,
  confidence,
  flags: confidence < 0.5 ? ['duration'] : [],
  charStart,
  charEnd: charStart + text.length,
  sentence: 0,
});
const segs = () => [seg('One two three.', 1, 3), seg('Four five.', 3.5, 5, 0.2), seg('Six seven eight nine.', 5.6, 9, 0.4)];

describe('align segment edits', () => {
  it('lists low-confidence segments first, least confident first, then the rest in order', () => {
    expect(reviewOrder(segs())).toEqual([1, 2, 0]);
  });

  it('clamps dragged edges between the neighbours and keeps cuts out of neighbouring speech', () => {
    const out = setEdges(segs(), 1, 2.0, 6.0, 10);
    expect(out[1]!.start).toBe(3);
    expect(out[1]!.end).toBe(5.6);
    expect(out[1]!.confidence).toBe(1);
    expect(out[0]!.cutEnd).toBeLessThanOrEqual(out[1]!.start);
    expect(out[2]!.cutStart).toBeGreaterThanOrEqual(out[1]!.end);
  });

  it('merges with the next segment using the transcript between them', () => {
    const out = mergeWithNext(segs(), 0, transcript);
    expect(out).toHaveLength(2);
    expect(out[0]!.text).toBe('One two three. Four five.');
    expect(out[0]!.start).toBe(1);
    expect(out[0]!.end).toBe(5);
    expect(transcript.slice(out[0]!.charStart, out[0]!.charEnd)).toBe('One two three. Four five.');
  });

  it('splits text and time, keeping transcript offsets', () => {
    const out = splitSegment(segs(), 2, 7, 2);
    expect(out.map((s) => s.text)).toEqual(['One two three.', 'Four five.', 'Six seven', 'eight nine.']);
    expect(out[2]!.end).toBe(7);
    expect(out[3]!.start).toBe(7);
    expect(transcript.slice(out[3]!.charStart, out[3]!.charEnd)).toBe('eight nine.');
    expect(() => splitSegment(segs(), 2, 5.61, 2)).toThrow(/inside/);
  });
});

describe('why a segment is flagged', () => {
  it("shows the service's plain-language reason, and the flags' labels for runs stored before reasons existed", () => {
    const reason = 'The end could be off by a word: the pause 0.7 s later (at 10.5 s) fits the text almost as well. Listen to the last word.';
    expect(segmentExplanation({ flags: ['uncertain-end'], reasons: [reason] })).toBe(reason);
    expect(segmentExplanation({ flags: ['uncertain-end', 'no-pause-start'] })).toBe('end could be off by a word; no pause at the start');
  });
  it('lists a segment flagged as possibly off by a word before the unflagged ones', () => {
    const s = segs();
    s[0] = { ...s[0]!, confidence: 0.3, flags: ['uncertain-end'] };
    s[1] = { ...s[1]!, confidence: 0.9, flags: [] };
    s[2] = { ...s[2]!, confidence: 0.95, flags: [] };
    expect(reviewOrder(s)[0]).toBe(0);
  });
});
