import { describe, expect, it } from 'vitest';
import { detectPauses } from '../../../shared/dsp/pauses';
import { alignSpeech } from './alignEngine';
import { LOW_CONFIDENCE, reviewReasons, segmentConfidence, type BoundaryDoubt } from './confidence';
import { generatedRecording } from './generatedRecording';
import type { TextUnit } from './transcriptUnits';

const units = (texts: string[]): TextUnit[] => texts.map((text, i) => ({ text, charStart: 0, charEnd: text.length, sentence: i }));

// The case in miniature: the second sentence starts with "Now," and a comma pause, one word
// after the sentence pause. A boundary put in that comma pause is off by one word.
const SENTENCES = [
  'The keeper climbed two hundred steps to light the lamp.',
  'Now, the storm was close and the sea was rising fast.',
  'He rang the bell until his arms ached.',
];

describe('a boundary off by one word is flagged', () => {
  it('leaves the right boundary unflagged, and flags the same boundary moved into the pause after the next word', async () => {
    const rec = await generatedRecording(SENTENCES, 3);
    const own = await alignSpeech(rec.samples, rec.sampleRate, units(SENTENCES));
    const truth = rec.pauses[0]!;
    expect(own.segments[0]!.cutEnd).toBeGreaterThanOrEqual(truth.start);
    expect(own.segments[0]!.cutEnd).toBeLessThanOrEqual(truth.end);
    for (const s of own.segments) expect(s.flags.filter((f) => f.startsWith('uncertain')), s.text).toEqual([]);

    // The comma pause after "Now,": the first pause inside the second sentence's speech.
    const sp = rec.utterances[1]!.speech;
    const inner = detectPauses(rec.samples, rec.sampleRate, { silenceThresholdDb: -40, minPauseSeconds: 0.06, minClipSeconds: 0, maxClipSeconds: Infinity }).filter(
      (p) => p.start > sp.start + 0.05 && p.end < sp.end,
    );
    expect(inner.length).toBeGreaterThan(0);
    const comma = inner[0]!;
    expect(comma.start - sp.start).toBeLessThan(0.6); // one word ("Now,") after the sentence start

    const moved = await alignSpeech(rec.samples, rec.sampleRate, units(SENTENCES), { fixedCuts: [(comma.start + comma.end) / 2, null] });
    const [a, b] = moved.segments;
    expect(a!.flags).toContain('uncertain-end');
    expect(b!.flags).toContain('uncertain-start');
    expect(a!.confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(b!.confidence).toBeLessThan(LOW_CONFIDENCE);
    // The reason says it in plain words and points at the better place (the true pause, earlier).
    expect(a!.reasons.join(' ')).toMatch(/could be off by a word: the pause [\d.]+ s earlier .* fits the text better/);
  }, 60_000);
});

describe('a boundary the words put outside its pause is flagged', () => {
  // A sentence pause of 0.03 s is too short to be a candidate: the cut lands in a gap a word away,
  // and the words around it fit 0.3 s later, where no pause was found (bench:align --pauses 0.04-0.12).
  const seg = (d: BoundaryDoubt) => ({ start: 5, end: 10, _cost: 2, _expected: 5, _inPauseStart: true, _inPauseEnd: true, _endDoubt: d });
  const far = { start: 12, end: 12.2 };
  it('flags it and says where the words fit', () => {
    const s = seg({ excess: 3, margin: 20, alternative: far, cut: 10, bestAt: 10.3 });
    const { confidence, flags } = segmentConfidence(s, 2);
    expect(flags).toEqual(['uncertain-end']);
    expect(confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(reviewReasons(flags, s).join(' ')).toBe('The end could be off by a word: the words around it fit best 0.3 s later (at 10.3 s), where no pause was found. Listen to the last word.');
  });
  it('leaves a boundary alone whose pause holds the best place (excess as inside true pauses: ≤ 0.7 frames)', () => {
    const { confidence, flags } = segmentConfidence(seg({ excess: 0.7, margin: 20, alternative: far, cut: 10, bestAt: 10.05 }), 2);
    expect(flags).toEqual([]);
    expect(confidence).toBeGreaterThan(0.9);
  });
});
