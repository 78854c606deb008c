// English text normalization: everything a reader would say aloud is spelled out in words.
// Pipeline (order matters):
//   unify whitespace and typographic punctuation → abbreviations → Roman numerals → symbols that precede numbers ("#5")
//   → numbers (numbers.ts) → remaining symbols (&, +, @, °, …) → collapse spaces.
// Case and accents are kept: this is the text a person reads; englishCleaners lowercases and transliterates.
import { expandAbbreviations } from './abbreviations';
import { expandNumbers } from './numbers';
import { expandRomanNumerals } from './roman';

export type Language = 'en-us';

const WHITESPACE_RE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const ZERO_WIDTH_RE = /[\u200b-\u200d\u2060\ufeff]/g;
const SINGLE_QUOTES_RE = /[‘’‚‛′`´]/g;
const DOUBLE_QUOTES_RE = /[“”„‟″«»]/g;
const NUMBER_RANGE_DASH_RE = /([0-9]) ?[–‒] ?(?=[0-9])/g;
const EN_DASH_RE = /[–‒]/g;
const EM_DASH_RE = / ?[—―] ?/g;
const SPACED_DOUBLE_HYPHEN_RE = / ?-- ?/g;
const ELLIPSIS_RE = /…/g;
const NUMBER_SIGN_RE = /#(?= ?[0-9])/g;

/** Symbols spoken as words once the numbers are done; padded with spaces, collapsed afterwards. */
const SYMBOL_WORDS: [RegExp, string][] = [
  [/° ?C(?![A-Za-z])/g, ' degrees Celsius'],
  [/° ?F(?![A-Za-z])/g, ' degrees Fahrenheit'],
  [/°/g, ' degrees'],
  [/&/g, ' and '],
  [/@/g, ' at '],
  [/\+/g, ' plus '],
  [/=/g, ' equals '],
  [/%/g, ' percent'],
  [/×/g, ' times '],
  [/÷/g, ' divided by '],
  [/§/g, ' section '],
  [/\$/g, ' dollars '],
  [/£/g, ' pounds '],
  [/€/g, ' euros '],
  [/¥/g, ' yen '],
  [/¢/g, ' cents '],
  [/\//g, ' slash '],
  [/[[{]/g, '('],
  [/[\]}]/g, ')'],
  [/[#*_~^|\\<>]/g, ' '],
];

/** One space for every kind of whitespace, ASCII quotes and dashes (LJSpeech writes a dash as " -- "). */
export function unifyPunctuation(text: string): string {
  return text
    .normalize('NFC')
    .replace(ZERO_WIDTH_RE, '')
    .replace(WHITESPACE_RE, ' ')
    .replace(SINGLE_QUOTES_RE, "'")
    .replace(DOUBLE_QUOTES_RE, '"')
    .replace(NUMBER_RANGE_DASH_RE, '$1 to ')
    .replace(EN_DASH_RE, '-')
    .replace(EM_DASH_RE, ' -- ')
    .replace(SPACED_DOUBLE_HYPHEN_RE, ' -- ')
    .replace(ELLIPSIS_RE, '...');
}

export function expandSymbols(text: string): string {
  let out = text;
  for (const [re, words] of SYMBOL_WORDS) out = out.replace(re, words);
  return out;
}

/** Runs of spaces → one space, no space at either end. */
export function collapseSpaces(text: string): string {
  return text.replace(/ {2,}/g, ' ').replace(/^ /, '').replace(/ $/, '');
}

/**
 * Spell out numbers, money, times, percentages, abbreviations and symbols.
 * "Dr. Smith paid $3.50 at 3:45 pm" → "Doctor Smith paid three dollars, fifty cents at three forty-five p m".
 */
export function normalizeText(raw: string, lang: Language = 'en-us'): string {
  if (lang !== 'en-us') throw new Error(`normalizeText: unsupported language "${lang}" (supported: en-us)`);
  // Run to a fixed point, so normalizing twice changes nothing (the trainer may clean text that an
  // export already normalized). Real text is stable after one pass; odd glued input ("1290Esq.")
  // can expose a new word to the next pass.
  let text = normalizeOnce(raw);
  for (let pass = 0; pass < 3; pass++) {
    const again = normalizeOnce(text);
    if (again === text) break;
    text = again;
  }
  return text;
}

function normalizeOnce(raw: string): string {
  let text = unifyPunctuation(raw);
  text = collapseSpaces(text);
  text = expandAbbreviations(text);
  text = expandRomanNumerals(text);
  text = text.replace(NUMBER_SIGN_RE, ' number ');
  text = expandNumbers(text);
  text = expandSymbols(text);
  return collapseSpaces(text.replace(/ {2,}/g, ' '));
}
