import { describe, expect, it } from 'vitest';
import { corpusWer, werWords, wordEdits } from './voice.wer';

describe('bench:voice word error rate', () => {
  it('scores words after the English cleaners, without punctuation', () => {
    expect(werWords('In 1468, Mr. Jenson printed "books".')).toEqual(['in', 'fourteen', 'sixty', 'eight', 'mister', 'jenson', 'printed', 'books']);
  });
  it('counts substitutions, deletions and insertions', () => {
    expect(wordEdits(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(0);
    expect(wordEdits(['a', 'b', 'c'], ['a', 'x', 'c'])).toBe(1);
    expect(wordEdits(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(wordEdits(['a', 'b'], ['a', 'b', 'c', 'd'])).toBe(2);
    expect(wordEdits(['a', 'b'], [])).toBe(2);
  });
  it('pools edits over the corpus', () => {
    const r = corpusWer([{ ref: 'one two three four', hyp: 'one two three four' }, { ref: 'five six', hyp: '' }]);
    expect(r).toEqual({ wer: 2 / 6, edits: 2, words: 6 });
  });
});
