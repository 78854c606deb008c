// Number expansion: times, money, percentages, ordinals, decades, negatives, fractions, thousands
// separators, decimals and plain integers → words. Extends keithito/tacotron's numbers.py (same year
// rule, same "three dollars, fifty cents" money format) with the cases it gets wrong.
// Every pattern uses explicit ASCII classes and single-character lookbehinds (no \b, \d, \s, \w, '.', '$' or /i),
// whose meaning would otherwise depend on the regex engine's Unicode mode.
import { cardinalWords, digitWords, ordinalWords, pluralNumberWords, under100, yearWords } from './numberWords';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the type String.prototype.replace gives its replacer
type Replacer = (match: string, ...rest: any[]) => string;

/** Remove thousands separators. */
const bare = (digits: string): string => digits.replace(/,/g, '');

/** "12" + "05" → "twelve point zero five"; a missing fraction gives the cardinal alone. */
export function decimalWords(intDigits: string, frac: string | undefined): string {
  const whole = cardinalWords(bare(intDigits));
  return frac ? `${whole} point ${digitWords(frac)}` : whole;
}

// ---- times ----
const TIME_RE = /(?<![0-9:.,])([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|:[0-9])(?: ?([AaPp])\.? ?[Mm](\.?)(?![A-Za-z]))?/g;
const HOUR_AMPM_RE = /(?<![0-9:.,])([0-9]{1,2}) ?([AaPp])\.? ?[Mm](\.?)(?![A-Za-z])/g;

/** Keep a consumed "p.m." full stop when it also ends the sentence (end of text or a capital follows). */
function keepsFullStop(rest: string): boolean {
  return /^ *$/.test(rest) || /^ [A-Z]/.test(rest);
}

function ampmWords(letter: string, dot: string, rest: string): string {
  const words = letter === 'a' || letter === 'A' ? ' a m' : ' p m';
  return dot && keepsFullStop(rest) ? `${words}.` : words;
}

const expandTime: Replacer = (match, h: string, m: string, s: string | undefined, ap: string | undefined, dot: string | undefined, offset: number, whole: string) => {
  const hour = Number(h);
  if (hour > 24) return match;
  // An am/pm that cannot apply ("13:00 pm") stays as written after a 24-hour reading.
  const timeLength = h.length + 1 + m.length + (s ? s.length + 1 : 0);
  const tail = ap && (hour === 0 || hour > 12) ? match.slice(timeLength) : '';
  if (tail) ap = undefined;
  const minute = Number(m);
  let words = cardinalWords(h);
  if (minute === 0 && !s) {
    if (!ap) words += hour > 12 || hour === 0 ? ' hundred' : " o'clock";
  } else {
    words += minute < 10 ? ` oh ${digitWords(m.slice(1))}` : ` ${under100(minute)}`;
    if (s) words += ` and ${cardinalWords(s)} ${s === '01' ? 'second' : 'seconds'}`;
  }
  if (ap) words += ampmWords(ap, dot ?? '', whole.slice(offset + match.length));
  return words + tail;
};

const expandHourAmPm: Replacer = (match, h: string, ap: string, dot: string, offset: number, whole: string) => {
  const hour = Number(h);
  if (hour === 0 || hour > 12) return match;
  return cardinalWords(h) + ampmWords(ap, dot, whole.slice(offset + match.length));
};

// ---- money ----
interface Currency { one: string; many: string; subOne: string | null; subMany: string | null }
const CURRENCIES: Record<string, Currency> = {
  $: { one: 'dollar', many: 'dollars', subOne: 'cent', subMany: 'cents' },
  '£': { one: 'pound', many: 'pounds', subOne: 'penny', subMany: 'pence' },
  '€': { one: 'euro', many: 'euros', subOne: 'cent', subMany: 'cents' },
  '¥': { one: 'yen', many: 'yen', subOne: null, subMany: null },
};
const MONEY_RE = /([$£€¥])([0-9]+(?:,[0-9]{3})*)(?:\.([0-9]+))?(?: ([Hh]undred|[Tt]housand|[Mm]illion|[Bb]illion|[Tt]rillion)(?![A-Za-z]))?/g;
const CENTS_RE = /(?<![0-9.,])([0-9]+)¢/g;

const expandMoney: Replacer = (_m, sign: string, intDigits: string, frac: string | undefined, scale: string | undefined) => {
  const c = CURRENCIES[sign];
  if (scale) return `${decimalWords(intDigits, frac)} ${scale.toLowerCase()} ${c.many}`;
  const units = bare(intDigits);
  if (frac !== undefined && c.subOne !== null && frac.length <= 2) {
    const main = Number(units);
    const sub = Number(frac.length === 1 ? `${frac}0` : frac);
    const mainWords = `${cardinalWords(units)} ${main === 1 ? c.one : c.many}`;
    const subWords = `${cardinalWords(String(sub))} ${sub === 1 ? c.subOne : c.subMany}`;
    if (main && sub) return `${mainWords}, ${subWords}`;
    if (main) return mainWords;
    if (sub) return subWords;
    return `zero ${c.many}`;
  }
  if (frac !== undefined) return `${decimalWords(intDigits, frac)} ${c.many}`;
  return `${cardinalWords(units)} ${/^0*1$/.test(units) ? c.one : c.many}`;
};

// ---- percentages, ordinals, decades, negatives, fractions ----
const PERCENT_RE = /(?<![0-9.,])([0-9]+(?:,[0-9]{3})*)(?:\.([0-9]+))? ?%/g;
const ORDINAL_RE = /(?<![0-9.,])([0-9]+(?:,[0-9]{3})*)(st|nd|rd|th|ST|ND|RD|TH)(?![A-Za-z0-9])/g;
const DECADE_RE = /(?<![0-9.,A-Za-z])'?([0-9]{2}|[0-9]{4})s(?![A-Za-z0-9])/g;
const NEGATIVE_RE = /(?<![0-9A-Za-z.,)])[-−](?=[$£€¥]?[0-9])/g;
const FRACTION_RE = /(?<![0-9.,/])([0-9]{1,2})\/([0-9]{1,2})(?![0-9]|\/[0-9])/g;
const UNICODE_FRACTION_RE = /([0-9]?)([½⅓⅔¼¾⅛⅜⅝⅞])/g;
const UNICODE_FRACTIONS: Record<string, [string, string]> = {
  '½': ['1', '2'], '⅓': ['1', '3'], '⅔': ['2', '3'], '¼': ['1', '4'], '¾': ['3', '4'],
  '⅛': ['1', '8'], '⅜': ['3', '8'], '⅝': ['5', '8'], '⅞': ['7', '8'],
};

/** "3", "4" → "three quarters"; "1", "2" → "one half". */
export function fractionWords(num: string, den: string): string {
  const n = Number(num);
  const d = Number(den);
  const one = n === 1;
  const denWords = d === 2 ? (one ? 'half' : 'halves') : d === 4 ? (one ? 'quarter' : 'quarters') : ordinalWords(den) + (one ? '' : 's');
  return `${cardinalWords(num)} ${denWords}`;
}

const expandFraction: Replacer = (match, num: string, den: string) => {
  const n = Number(num);
  const d = Number(den);
  // Only proper fractions with small denominators: "12/25" is more likely a date than a fraction.
  if (n === 0 || d < 2 || d > 10 || n >= d) return match;
  return fractionWords(num, den);
};

const expandUnicodeFraction: Replacer = (_m, whole: string, frac: string) => {
  const [n, d] = UNICODE_FRACTIONS[frac];
  return whole ? `${whole} and ${fractionWords(n, d)}` : ` ${fractionWords(n, d)}`;
};

const expandDecade: Replacer = (match, digits: string) => {
  if (!digits.endsWith('0')) return match;
  if (digits.length === 2) return digits === '00' ? 'two thousands' : pluralNumberWords(under100(Number(digits)));
  return pluralNumberWords(yearWords(Number(digits)));
};

// ---- dates ----
const MONTH_DAY_RE = /(?<![A-Za-z])(January|February|March|April|May|June|July|August|September|October|November|December) ([0-9]{1,2})(?![0-9]|[.,:][0-9]|[A-Za-z])/g;

// ---- phone numbers and units ----
const PHONE_RE = /(?<![0-9.,-])(?:\(([0-9]{3})\) ?|([0-9]{3})-)?([0-9]{3})-([0-9]{4})(?![0-9]|-[0-9])/g;
const UNIT_RE = /(?<![0-9.,])([0-9]+(?:,[0-9]{3})*)(?:\.([0-9]+))? ?(km\/h|km|kg|cm|mm|mg|ml|mph|kph|lbs|lb|oz|kHz|Hz|KB|MB|GB|TB)(?![A-Za-z0-9])/g;
const UNITS: Record<string, [string, string]> = {
  'km/h': ['kilometer per hour', 'kilometers per hour'], km: ['kilometer', 'kilometers'], kg: ['kilogram', 'kilograms'],
  cm: ['centimeter', 'centimeters'], mm: ['millimeter', 'millimeters'], mg: ['milligram', 'milligrams'],
  ml: ['milliliter', 'milliliters'], mph: ['mile per hour', 'miles per hour'], kph: ['kilometer per hour', 'kilometers per hour'],
  lbs: ['pound', 'pounds'], lb: ['pound', 'pounds'], oz: ['ounce', 'ounces'], kHz: ['kilohertz', 'kilohertz'], Hz: ['hertz', 'hertz'],
  KB: ['kilobyte', 'kilobytes'], MB: ['megabyte', 'megabytes'], GB: ['gigabyte', 'gigabytes'], TB: ['terabyte', 'terabytes'],
};

/** "(555) 123-4567" / "555-123-4567" / "123-4567": digit by digit, a pause between groups. */
const expandPhone: Replacer = (_m, area1: string | undefined, area2: string | undefined, a: string, b: string) => {
  const area = area1 ?? area2;
  return [area, a, b].filter((g): g is string => g !== undefined).map(digitWords).join(', ');
};

const expandUnit: Replacer = (_m, i: string, f: string | undefined, unit: string) => {
  const [one, many] = UNITS[unit];
  return `${decimalWords(i, f)} ${!f && /^0*1$/.test(i) ? one : many}`;
};

// ---- separators, decimals, integers ----
const SEPARATED_RE = /(?<![0-9.,])([0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]+))?(?![0-9]|,[0-9])/g;
const DECIMAL_RE = /(?<![0-9.,])([0-9]+)\.([0-9]+)(?![0-9]|\.[0-9])/g;
const LEADING_POINT_RE = /(?<![0-9A-Za-z.,])\.([0-9]+)(?![0-9]|\.[0-9])/g;
const YEAR_RANGE_RE = /(?<![0-9.,-])([12][0-9]{3})-([12][0-9]{3})(?![0-9]|-[0-9])/g;
const LETTER_DIGIT_RE = /([A-Za-z])(?=[0-9])/g;
const DIGIT_LETTER_RE = /([0-9])(?=[A-Za-z])/g;
const INTEGER_RE = /[0-9]+/g;

/** A bare run of digits: "007" digit by digit, 1001..2999 as a year (keithito), otherwise the cardinal. */
export function integerWords(digits: string): string {
  if (digits.length > 1 && digits.startsWith('0')) return digitWords(digits);
  if (digits.length === 4) return yearWords(Number(digits));
  return cardinalWords(digits);
}

/** Expand every number in `text` into words. The order matters: the most specific shapes go first. */
export function expandNumbers(text: string): string {
  return text
    .replace(NEGATIVE_RE, 'minus ')
    .replace(TIME_RE, expandTime)
    .replace(HOUR_AMPM_RE, expandHourAmPm)
    .replace(MONTH_DAY_RE, (m, month: string, day: string) => (Number(day) >= 1 && Number(day) <= 31 ? `${month} ${ordinalWords(day)}` : m))
    .replace(MONEY_RE, expandMoney)
    .replace(CENTS_RE, (_m, d: string) => `${cardinalWords(d)} ${/^0*1$/.test(d) ? 'cent' : 'cents'}`)
    .replace(PERCENT_RE, (_m, i: string, f: string | undefined) => `${decimalWords(i, f)} percent`)
    .replace(ORDINAL_RE, (_m, d: string) => ordinalWords(bare(d)))
    .replace(DECADE_RE, expandDecade)
    .replace(UNICODE_FRACTION_RE, expandUnicodeFraction)
    .replace(FRACTION_RE, expandFraction)
    .replace(YEAR_RANGE_RE, (m, a: string, b: string) => (Number(b) > Number(a) ? `${a} to ${b}` : m))
    .replace(PHONE_RE, expandPhone)
    .replace(UNIT_RE, expandUnit)
    .replace(SEPARATED_RE, (_m, i: string, f: string | undefined) => decimalWords(i, f))
    .replace(DECIMAL_RE, (_m, i: string, f: string) => decimalWords(i, f))
    .replace(LEADING_POINT_RE, (_m, f: string) => `point ${digitWords(f)}`)
    .replace(LETTER_DIGIT_RE, '$1 ')
    .replace(DIGIT_LETTER_RE, '$1 ')
    .replace(INTEGER_RE, integerWords);
}
