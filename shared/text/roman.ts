// Roman numerals, only where they are unambiguous: after a capitalised word, two or more of I/V/X
// ("George II" → "George the second", "Chapter IV" → "Chapter four", "World War II" → "World War two").
// A lone "I", "V" or "X" is left alone (the pronoun, a letter).
import { cardinalWords, ordinalWords } from './numberWords';

/** Words after which a numeral is a number ("Chapter IV"), not a regnal ordinal ("Henry IV"). */
const CARDINAL_CONTEXT = new Set([
  'act', 'appendix', 'article', 'book', 'canto', 'chapter', 'class', 'figure', 'grade', 'level', 'mark', 'part',
  'phase', 'plate', 'psalm', 'round', 'scene', 'section', 'series', 'stage', 'table', 'title', 'type', 'volume', 'war',
]);
const ROMAN_RE = /(?<![A-Za-z0-9_'])([A-Z][a-z]+) ([IVX]{2,7})(?![A-Za-z0-9'])/g;
const ROMAN_DIGITS: [number, string][] = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];

/** The value of a canonical numeral made of I, V and X (1..39), or null ("IIII", "VX" are not canonical). */
export function romanValue(numeral: string): number | null {
  const values: Record<string, number> = { I: 1, V: 5, X: 10 };
  let total = 0;
  for (let i = 0; i < numeral.length; i++) {
    const v = values[numeral[i]];
    const next = i + 1 < numeral.length ? values[numeral[i + 1]] : 0;
    total += v < next ? -v : v;
  }
  let canonical = '';
  let rest = total;
  for (const [v, s] of ROMAN_DIGITS) {
    while (rest >= v) {
      canonical += s;
      rest -= v;
    }
  }
  return total > 0 && canonical === numeral ? total : null;
}

export function expandRomanNumerals(text: string): string {
  return text.replace(ROMAN_RE, (match, word: string, numeral: string) => {
    const value = romanValue(numeral);
    if (value === null) return match;
    return CARDINAL_CONTEXT.has(word.toLowerCase())
      ? `${word} ${cardinalWords(String(value))}`
      : `${word} the ${ordinalWords(String(value))}`;
  });
}
