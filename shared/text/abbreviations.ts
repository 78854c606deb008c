// Abbreviation expansion: keithito/tacotron's list (Mr., Mrs., Dr., St., Co., Jr., Maj., Gen., Drs., Rev.,
// Lt., Hon., Sgt., Capt., Esq., Ltd., Col., Ft.) plus a few common ones, with two refinements:
//  - "St." and "Dr." after a capitalised word and not before one are "Street"/"Drive" ("Baker St." vs "St. Paul");
//  - abbreviations that can end a sentence (Jr., Co., etc.) keep their full stop when the sentence ends there,
//    and any abbreviation keeps it at the very end of the text.
// Case-sensitive explicit classes only (see numbers.ts for why).

/** Titles stand before a name and never end a sentence. */
export const TITLE_ABBREVIATIONS: Record<string, string> = {
  mrs: 'misess', mr: 'mister', ms: 'miz', dr: 'doctor', drs: 'doctors', st: 'saint', prof: 'professor',
  rev: 'reverend', gen: 'general', maj: 'major', capt: 'captain', lt: 'lieutenant', col: 'colonel',
  sgt: 'sergeant', hon: 'honorable', messrs: 'messieurs', mt: 'mount', ft: 'fort', vs: 'versus', no: 'number',
};
/** Month abbreviations, expanded only before a day number ("Jan. 5"): "Jan." alone may be a name. */
export const MONTH_ABBREVIATIONS: Record<string, string> = {
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', jun: 'June', jul: 'July', aug: 'August',
  sep: 'September', sept: 'September', oct: 'October', nov: 'November', dec: 'December',
};
/** Suffixes can end a sentence: their full stop survives before a capital or at the end. */
export const SUFFIX_ABBREVIATIONS: Record<string, string> = {
  jr: 'junior', sr: 'senior', esq: 'esquire', co: 'company', ltd: 'limited', inc: 'incorporated',
  etc: 'et cetera', dept: 'department',
};

/** "mrs" → "[Mm][Rr][Ss]": case-insensitive without a regex flag (identical in JS and Python). */
function anyCase(word: string): string {
  return word.split('').map((c) => `[${c.toUpperCase()}${c}]`).join('');
}

const ALL = [...Object.keys(TITLE_ABBREVIATIONS), ...Object.keys(SUFFIX_ABBREVIATIONS), ...Object.keys(MONTH_ABBREVIATIONS)]
  .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
const ABBREVIATION_RE = new RegExp(`(?<![A-Za-z0-9_.'])(${ALL.map(anyCase).join('|')})\\.`, 'g');
const EG_RE = /(?<![A-Za-z0-9_.'])([Ee])\. ?[Gg]\./g;
const IE_RE = /(?<![A-Za-z0-9_.'])([Ii])\. ?[Ee]\./g;

const CAPITALISED_WORD_BEFORE_RE = /(?:^|[^A-Za-z'])[A-Z][A-Za-z']* $/;

/**
 * Does the text after an abbreviation start a new sentence: end of text, or a capitalised word after a
 * space that is not itself an abbreviation ("Smith & Co. Ltd." runs on)?
 */
export function sentenceEndsAfter(rest: string): boolean {
  return /^ *$/.test(rest) || (/^ [A-Z]/.test(rest) && !/^ [A-Za-z]+\./.test(rest));
}

function matchCase(expansion: string, original: string): string {
  return original[0] >= 'A' && original[0] <= 'Z' ? expansion[0].toUpperCase() + expansion.slice(1) : expansion;
}

function expandOne(match: string, abbr: string, offset: number, whole: string): string {
  const key = abbr.toLowerCase();
  const rest = whole.slice(offset + match.length);
  const before = whole.slice(0, offset);
  if (key === 'no' && !/^ ?[0-9]/.test(rest)) return match; // "No. 5" but not "said no."
  if (key in MONTH_ABBREVIATIONS) return /^ [0-9]/.test(rest) ? MONTH_ABBREVIATIONS[key] : match;
  let expansion = TITLE_ABBREVIATIONS[key] ?? SUFFIX_ABBREVIATIONS[key];
  let canEnd = key in SUFFIX_ABBREVIATIONS;
  if ((key === 'st' || key === 'dr') && !/^ [A-Z]/.test(rest) && CAPITALISED_WORD_BEFORE_RE.test(before)) {
    expansion = key === 'st' ? 'street' : 'drive';
    canEnd = true;
  }
  const word = matchCase(expansion, abbr);
  // At the very end of the text any abbreviation's full stop is also the sentence's.
  return (canEnd && sentenceEndsAfter(rest)) || /^ *$/.test(rest) ? `${word}.` : word;
}

export function expandAbbreviations(text: string): string {
  return text
    .replace(EG_RE, (_m, e: string) => matchCase('for example', e))
    .replace(IE_RE, (_m, i: string) => matchCase('that is', i))
    .replace(ABBREVIATION_RE, expandOne);
}
