// Number → English words, from digit strings (not JS numbers) so that 30-digit amounts stay exact.
// Style follows inflect as keithito/tacotron uses it (andword='', hyphenated tens) but without
// inflect's commas between groups ("one thousand two hundred", not "one thousand, two hundred").

const ONES = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = [
  '', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion',
  'sextillion', 'septillion', 'octillion', 'nonillion', 'decillion',
];
/** Longest integer read as a cardinal; longer digit runs are read digit by digit. */
export const MAX_CARDINAL_DIGITS = SCALES.length * 3;

/** 0..99 → words ("forty-two"). */
export function under100(n: number): string {
  if (n < 20) return ONES[n];
  const t = Math.floor(n / 10);
  const u = n % 10;
  return u ? `${TENS[t]}-${ONES[u]}` : TENS[t];
}

/** 1..999 → words ("three hundred seven"); 0 → ''. */
function under1000(n: number): string {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (h) parts.push(`${ONES[h]} hundred`);
  if (rest) parts.push(under100(rest));
  return parts.join(' ');
}

/** "7" → "seven", "007" → "zero zero seven". */
export function digitWords(digits: string): string {
  return digits.split('').map((d) => ONES[Number(d)]).join(' ');
}

/**
 * Cardinal words for a run of ASCII digits, punctuated as inflect (and so LJSpeech's transcripts) does:
 * a comma after each scale group ("six thousand, four hundred thirty-nine"), except before a final
 * one-word group ("seven thousand twenty").
 */
export function cardinalWords(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  if (stripped === '') return 'zero';
  if (stripped.length > MAX_CARDINAL_DIGITS) return digitWords(digits);
  const groups: number[] = [];
  for (let end = stripped.length; end > 0; end -= 3) {
    groups.unshift(Number(stripped.slice(Math.max(0, end - 3), end)));
  }
  const parts: string[] = [];
  groups.forEach((g, i) => {
    if (!g) return;
    const scale = SCALES[groups.length - 1 - i];
    parts.push(scale ? `${under1000(g)} ${scale}` : under1000(g));
  });
  const last = parts.length - 1;
  const unitsGroupIsOneWord = groups[groups.length - 1] !== 0 && !parts[last].includes(' ');
  return parts.map((p, i) => (i === 0 ? p : i === last && unitsGroupIsOneWord ? ` ${p}` : `, ${p}`)).join('');
}

const IRREGULAR_ORDINALS: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** The ordinal of a single number word ("twenty" → "twentieth", "one" → "first"). */
function ordinalOfWord(word: string): string {
  if (IRREGULAR_ORDINALS[word]) return IRREGULAR_ORDINALS[word];
  if (word.endsWith('y')) return `${word.slice(0, -1)}ieth`;
  return `${word}th`;
}

/** Replace the last word (after the last space or hyphen) of a phrase. */
function mapLastWord(phrase: string, fn: (w: string) => string): string {
  const cut = Math.max(phrase.lastIndexOf(' '), phrase.lastIndexOf('-'));
  return phrase.slice(0, cut + 1) + fn(phrase.slice(cut + 1));
}

/** "22" → "twenty-second", "100" → "one hundredth". */
export function ordinalWords(digits: string): string {
  return mapLastWord(cardinalWords(digits), ordinalOfWord);
}

/** Plural of a number phrase's last word: "nineteen ninety" → "nineteen nineties", "two thousand" → "two thousands". */
export function pluralNumberWords(phrase: string): string {
  return mapLastWord(phrase, (w) => (w.endsWith('y') ? `${w.slice(0, -1)}ies` : `${w}s`));
}

/**
 * Year-style reading of 1001..2999, exactly as keithito/tacotron's _expand_number:
 * 2000 → "two thousand", 2001..2009 → "two thousand one", 1900 → "nineteen hundred",
 * otherwise pairs of digits with "oh" for a zero tens digit: 1984 → "nineteen eighty-four", 1905 → "nineteen oh five",
 * 2010 → "twenty ten". Outside that range: the cardinal.
 */
export function yearWords(n: number): string {
  if (!(n > 1000 && n < 3000)) return cardinalWords(String(n));
  if (n === 2000) return 'two thousand';
  if (n > 2000 && n < 2010) return `two thousand ${ONES[n % 100]}`;
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (lo === 0) return `${under100(hi)} hundred`;
  return `${under100(hi)} ${lo < 10 ? `oh ${ONES[lo]}` : under100(lo)}`;
}
