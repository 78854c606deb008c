import { describe, expect, it } from 'vitest';
import { splitClauses, splitSentences } from './sentences';

const texts = (s: string) => splitSentences(s).map((x) => x.text);

describe('splitSentences', () => {
  it('keeps offsets exact', () => {
    const input = '  Mr. Smith paid $3.50.  Then he left!\n\n"Stop!" he said. Wait... What?! ';
    const spans = splitSentences(input);
    for (const s of spans) expect(input.slice(s.start, s.end)).toBe(s.text);
    expect(spans.map((s) => s.text)).toEqual(['Mr. Smith paid $3.50.', 'Then he left!', '"Stop!" he said.', 'Wait...', 'What?!']);
  });

  it('does not split at titles, initials, decimals or lowercase continuations', () => {
    expect(texts('Dr. Watson met St. John at No. 5 Baker St. today. J. R. R. Tolkien wrote it, e.g. the Hobbit. Pi is 3.14 exactly.')).toEqual([
      'Dr. Watson met St. John at No. 5 Baker St. today.',
      'J. R. R. Tolkien wrote it, e.g. the Hobbit.',
      'Pi is 3.14 exactly.',
    ]);
  });

  it('splits after closing quotes and brackets, and at ?! runs', () => {
    expect(texts('He said "Go home." She did. (It was late.) Why?! Because.')).toEqual([
      'He said "Go home."', 'She did.', '(It was late.)', 'Why?!', 'Because.',
    ]);
  });

  it('treats blank lines as boundaries, single newlines by layout', () => {
    expect(texts('Title line\nSecond line without stop\n\nNew paragraph.')).toEqual([
      'Title line', 'Second line without stop', 'New paragraph.',
    ]);
    const wrapped = [
      'This paragraph was hard-wrapped by an editor at about sixty',
      'characters per line, so its single newlines are only spaces',
      'and the sentence continues across them until the full stop.',
      'Short last line.',
    ].join('\n');
    expect(texts(wrapped)).toHaveLength(2);
    expect(splitSentences('a\nb', { newlines: 'never' }).map((s) => s.text)).toEqual(['a\nb']);
  });

  it('attaches a stray closing quote to its sentence, and handles empty text', () => {
    expect(texts('It ended. "')).toEqual(['It ended. "']);
    expect(splitSentences('   ')).toEqual([]);
  });
});

describe('splitClauses', () => {
  const sentence =
    'For although the Chinese took impressions from wood blocks engraved in relief for centuries before the woodcutters of the Netherlands, by a similar process, produced the block books; which were the immediate predecessors of the true printed book.';

  it('returns the sentence whole when it fits', () => {
    expect(splitClauses('Short one.', 50)).toEqual([{ text: 'Short one.', start: 0, end: 10 }]);
  });

  it('cuts under maxChars, at clause punctuation when it can, never inside a word', () => {
    const pieces = splitClauses(sentence, 60);
    for (const p of pieces) {
      expect(p.text.length).toBeLessThanOrEqual(60);
      expect(sentence.slice(p.start, p.end)).toBe(p.text);
      expect(p.start === 0 || sentence[p.start - 1] === ' ').toBe(true);
      expect(p.end === sentence.length || sentence[p.end] === ' ').toBe(true);
    }
    expect(pieces.map((p) => p.text).join(' ')).toBe(sentence);
    expect(pieces.some((p) => p.text.endsWith('process,'))).toBe(true);
    expect(pieces.some((p) => p.text.endsWith('books;'))).toBe(true);
  });

  it('keeps a word longer than maxChars whole and rejects a bad maxChars', () => {
    expect(splitClauses('Supercalifragilistic is long', 10).map((p) => p.text)).toEqual(['Supercalifragilistic', 'is long']);
    expect(() => splitClauses('x', 0)).toThrow(RangeError);
  });

  it('does not cut inside "1,000"', () => {
    expect(splitClauses('We counted 1,000,000 grains of sand on the beach', 20).map((p) => p.text)).not.toContain('We counted 1,');
  });
});
