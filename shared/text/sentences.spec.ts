import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitClauses, splitSentences } from './sentences';

// Hand-written expectations (testdata/sentence_splits.json); splitting is TypeScript's alone (the trainer never splits).
const splits: {
  sentences: { input: string; expected: string[] }[];
  clauses: { sentence: string; maxChars: number; expected: string[] }[];
} = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'sentence_splits.json'), 'utf8'));

describe('splitSentences', () => {
  it.each(splits.sentences.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_n, c) => {
    const spans = splitSentences(c.input);
    expect(spans.map((s) => s.text)).toEqual(c.expected);
    for (const s of spans) expect(c.input.slice(s.start, s.end)).toBe(s.text);
  });

  it('keeps offsets exact with leading whitespace and paragraphs', () => {
    const input = '  Mr. Smith paid $3.50.  Then he left!\n\n"Stop!" he said. ';
    const spans = splitSentences(input);
    expect(spans.map((s) => [s.start, s.end])).toEqual([[2, 23], [25, 38], [40, 56]]);
  });

  it("newlines: 'never' joins lines, 'always' splits wrapped ones", () => {
    expect(splitSentences('a\nb', { newlines: 'never' }).map((s) => s.text)).toEqual(['a\nb']);
    const wrapped = ['x'.repeat(50), 'y'.repeat(50), 'z'.repeat(50), 'end.'].join('\n');
    expect(splitSentences(wrapped)).toHaveLength(1);
    expect(splitSentences(wrapped, { newlines: 'always' })).toHaveLength(4);
  });

  it('splits a long text quickly', () => {
    const text = 'Mr. Smith went to Washington. He paid $3.50, e.g. for coffee! Did he? Yes... '.repeat(2000);
    const t0 = performance.now();
    expect(splitSentences(text)).toHaveLength(8000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('splitClauses', () => {
  it.each(splits.clauses.map((c) => [`${c.maxChars}: ${c.sentence.slice(0, 40)}`, c] as const))('%s', (_n, c) => {
    const pieces = splitClauses(c.sentence, c.maxChars);
    expect(pieces.map((p) => p.text)).toEqual(c.expected);
    for (const p of pieces) {
      expect(c.sentence.slice(p.start, p.end)).toBe(p.text);
      // never inside a word
      expect(p.start === 0 || /\s/.test(c.sentence[p.start - 1])).toBe(true);
      expect(p.end === c.sentence.length || /\s/.test(c.sentence[p.end])).toBe(true);
      if (!/^\S+$/.test(p.text)) expect(p.text.length).toBeLessThanOrEqual(c.maxChars);
    }
  });

  it('rejects a bad maxChars', () => {
    expect(() => splitClauses('x', 0)).toThrow(RangeError);
    expect(() => splitClauses('x', Number.NaN)).toThrow(RangeError);
  });
});
