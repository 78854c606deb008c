import { describe, expect, it } from 'vitest';
import { DEFAULT_PAUSES, pauseForPunctuation, planLongText, type Splitters, type TextSpan } from './longText';

// A minimal splitter pair so the planner's own logic is tested without the text frontend
// (textPlan.spec.ts covers the planner with shared/text's real splitters).
const simple: Splitters = {
  splitSentences(text) {
    const out: TextSpan[] = [];
    for (const m of text.matchAll(/[^.!?]+[.!?]*/g)) {
      const lead = m[0].length - m[0].trimStart().length;
      const t = m[0].trim();
      if (t) out.push({ text: t, start: m.index + lead, end: m.index + lead + t.length });
    }
    return out;
  },
  splitClauses(sentence, maxChars) {
    const parts = sentence.split(/(?<=,)\s+/);
    const out: string[] = [];
    for (const p of parts) {
      if (p.length <= maxChars) out.push(p);
      else for (let i = 0; i < p.length; i += maxChars) out.push(p.slice(i, i + maxChars).trim());
    }
    return out;
  },
};

describe('planLongText', () => {
  it('keeps sentences in order with offsets into the input and punctuation pauses', () => {
    const text = 'Hello there. How are you?\n\nA new paragraph! The end.';
    const plan = planLongText(text, simple, { maxChars: 100 });
    expect(plan.map((c) => c.text)).toEqual(['Hello there.', 'How are you?', 'A new paragraph!', 'The end.']);
    for (const c of plan) expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(plan.map((c) => c.pauseAfter)).toEqual(['sentence', 'paragraph', 'sentence', 'end']);
    expect(plan.map((c) => c.pauseSeconds)).toEqual([0.35, 0.6, 0.35, 0]);
    expect(plan.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(plan.map((c) => c.paragraph)).toEqual([0, 0, 1, 1]);
  });

  it('splits a sentence longer than the comfortable length into clauses with short pauses', () => {
    const long = 'When the sun went down over the hills, the farmers came home from the fields, and the village grew quiet.';
    const plan = planLongText(long, simple, { maxChars: 45 });
    expect(plan.length).toBe(3);
    expect(plan.every((c) => c.text.length <= 45)).toBe(true);
    expect(plan.map((c) => c.pauseAfter)).toEqual(['clause', 'clause', 'end']);
    expect(plan.every((c) => c.sentence === 0)).toBe(true);
    for (const c of plan) expect(long.slice(c.start, c.end)).toBe(c.text);
  });

  it('measures length the way the model reads it', () => {
    const s = 'It cost $5, then $10.';
    // "five dollars" is longer than "$5": a measure that expands symbols makes the sentence too long.
    expect(planLongText(s, simple, { maxChars: 15 }).length).toBe(2);
    expect(planLongText(s, simple, { maxChars: 25 }).length).toBe(1);
    expect(planLongText(s, simple, { maxChars: 25, measure: (t) => t.length * 2 }).length).toBe(2);
  });

  it('accepts custom pause lengths and skips empty input', () => {
    expect(planLongText('  \n\n ', simple, { maxChars: 50 })).toEqual([]);
    const plan = planLongText('One. Two.', simple, { maxChars: 50, pauses: { sentence: 0.5 } });
    expect(plan[0].pauseSeconds).toBe(0.5);
    expect(DEFAULT_PAUSES.clause).toBe(0.15);
  });

  it('covers a 2 000-character text completely and in order', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} talks about item ${i}, and then it ends.`);
    const text = sentences.join(' ');
    expect(text.length).toBeGreaterThan(2000);
    const plan = planLongText(text, simple, { maxChars: 40 });
    const rebuilt = plan.map((c) => c.text).join(' ');
    expect(rebuilt).toBe(text);
    for (let i = 1; i < plan.length; i++) expect(plan[i].start).toBeGreaterThan(plan[i - 1].start);
  });
});

describe('first chunk (time to first audio)', () => {
  it('splits off the first clause of a long first sentence, only at clause punctuation', () => {
    const text = 'When the sun went down over the hills, the farmers came home from the fields. Then night fell.';
    const plan = planLongText(text, simple, { maxChars: 200, firstChunkMaxChars: 45 });
    expect(plan.map((c) => c.text)).toEqual(['When the sun went down over the hills,', 'the farmers came home from the fields.', 'Then night fell.']);
    expect(plan.map((c) => c.pauseAfter)).toEqual(['clause', 'sentence', 'end']);
    for (const c of plan) expect(text.slice(c.start, c.end)).toBe(c.text);
    // No clause punctuation within reach: the sentence stays whole.
    const plain = 'A long first sentence without any commas that goes on and on. Next.';
    expect(planLongText(plain, simple, { maxChars: 200, firstChunkMaxChars: 20 })[0].text).toBe('A long first sentence without any commas that goes on and on.');
    // Only the first sentence is affected.
    expect(planLongText('Short. ' + text, simple, { maxChars: 200, firstChunkMaxChars: 45 }).length).toBe(3);
  });
});

describe('pauseForPunctuation', () => {
  it('reads the final punctuation, ignoring closing quotes', () => {
    expect(pauseForPunctuation('He said "stop."', 'word')).toBe('sentence');
    expect(pauseForPunctuation('first,', 'word')).toBe('clause');
    expect(pauseForPunctuation('first;', 'word')).toBe('clause');
    expect(pauseForPunctuation('no punctuation', 'word')).toBe('word');
  });
});
