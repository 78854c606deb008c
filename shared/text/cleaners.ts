// Cleaners in the sense of keithito/tacotron: the text transformations run identically at training
// and synthesis time. The trainer runs none: it reads the english cleaners' output (cleaned.csv, electron/services/training/cleanedCsv.ts).
// Differences from keithito, on purpose: normalization is richer (normalize.ts), the result is trimmed,
// and englishCleaners removes double quotes (not in the symbol table; keithito drops them later, silently).
import { normalizeText, unifyPunctuation, collapseSpaces } from './normalize';
import { convertToAscii } from './transliterate';

export type CleanerName = 'english' | 'basic' | 'transliteration';
export const CLEANER_NAMES: readonly CleanerName[] = ['english', 'basic', 'transliteration'];

/** Lowercase and one space for any whitespace; nothing else (for symbol sets that are not English). */
export function basicCleaners(text: string): string {
  return collapseSpaces(text.replace(/[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g, ' ').toLowerCase());
}

/** ASCII transliteration, lowercase, whitespace. */
export function transliterationCleaners(text: string): string {
  return collapseSpaces(unifyPunctuation(convertToAscii(text)).toLowerCase());
}

/** The English pipeline: ASCII, numbers/abbreviations/symbols spelled out, lowercase, no double quotes. */
export function englishCleaners(text: string): string {
  return collapseSpaces(normalizeText(convertToAscii(text)).toLowerCase().replace(/"/g, '').replace(/ {2,}/g, ' '));
}

export function cleanText(text: string, cleaners: CleanerName): string {
  switch (cleaners) {
    case 'english':
      return englishCleaners(text);
    case 'basic':
      return basicCleaners(text);
    case 'transliteration':
      return transliterationCleaners(text);
    default:
      throw new Error(`unknown cleaners "${cleaners as string}" (known: ${CLEANER_NAMES.join(', ')})`);
  }
}
