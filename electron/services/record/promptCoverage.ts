/**
 * Phoneme and diphone coverage, and the greedy prompt picker. Pure: phoneme strings in (espeak-ng IPA,
 * as shared/text/phonemize.ts makes them), units and picks out.
 *
 * A voice learns each sound in the company of its neighbours, so what a dataset lacks is measured in
 * diphones (pairs of neighbouring phonemes inside a phrase) as well as phonemes. The picker is the
 * classic greedy set cover: take the prompt that adds the most unseen units, count its units as seen,
 * repeat. Unseen phonemes weigh more than unseen diphones (a missing sound is worse than a missing pair).
 */
export interface Units {
  phonemes: Set<string>;
  diphones: Set<string>;
}

/** Stress marks carry no sound of their own; a syllable or word break is not a phoneme. */
const IGNORED = new Set(['ˈ', 'ˌ', '‿']);
/** Belongs to the phoneme before it: length, combining diacritics, aspiration, r-colouring… */
const isModifier = (c: string) => /[\u0300-\u036fːˑʰʲʷˠˤ˞]/u.test(c);
const isBreak = (c: string) => /[.,;:!?()"\-—–\n]/.test(c);

/** IPA → phonemes per phrase (punctuation ends a phrase; spaces between words do not: speech runs on). */
export function phonemePhrases(ipa: string): string[][] {
  const phrases: string[][] = [];
  let cur: string[] = [];
  let tie = false;
  const chars = [...ipa.normalize('NFD')];
  for (const c of chars) {
    if (c === '\u0361' || c === '\u035c') {
      tie = true; // t͡ʃ: the next letter belongs to this phoneme
      if (cur.length) cur[cur.length - 1] += c;
      continue;
    }
    if (isBreak(c)) {
      if (cur.length) phrases.push(cur);
      cur = [];
      tie = false;
      continue;
    }
    if (IGNORED.has(c) || c === ' ' || c === '\t') continue;
    if (isModifier(c) && cur.length) {
      cur[cur.length - 1] += c;
      continue;
    }
    if (tie && cur.length) {
      cur[cur.length - 1] += c;
      tie = false;
      continue;
    }
    cur.push(c);
  }
  if (cur.length) phrases.push(cur);
  return phrases;
}

export function unitsOf(ipa: string, into: Units = { phonemes: new Set(), diphones: new Set() }): Units {
  for (const phrase of phonemePhrases(ipa)) {
    for (let i = 0; i < phrase.length; i++) {
      into.phonemes.add(phrase[i]!);
      if (i > 0) into.diphones.add(`${phrase[i - 1]}_${phrase[i]}`);
    }
  }
  return into;
}

export interface Candidate {
  line: number;
  text: string;
  units: Units;
}

export interface Pick {
  line: number;
  text: string;
  newPhonemes: number;
  newDiphones: number;
}

/** Weight of an unseen phoneme against an unseen diphone. */
export const PHONEME_WEIGHT = 4;

/**
 * The next `count` prompts, greedily: each pick adds the most unseen units given `seen` and the picks
 * before it; ties go to the shorter prompt (less to read for the same gain), then to file order.
 * Once nothing new is left the rest follow in file order.
 */
export function pickPrompts(candidates: Candidate[], seen: Units, count: number): Pick[] {
  const phonemes = new Set(seen.phonemes);
  const diphones = new Set(seen.diphones);
  const left = [...candidates];
  const picks: Pick[] = [];
  while (picks.length < count && left.length) {
    let best = -1;
    let bestScore = -1;
    let bestNew = { p: 0, d: 0 };
    for (let i = 0; i < left.length; i++) {
      const c = left[i]!;
      let p = 0;
      let d = 0;
      for (const u of c.units.phonemes) if (!phonemes.has(u)) p++;
      for (const u of c.units.diphones) if (!diphones.has(u)) d++;
      const score = PHONEME_WEIGHT * p + d;
      if (score > bestScore || (score === bestScore && c.text.length < left[best]!.text.length)) {
        best = i;
        bestScore = score;
        bestNew = { p, d };
      }
    }
    const [c] = left.splice(best, 1);
    for (const u of c!.units.phonemes) phonemes.add(u);
    for (const u of c!.units.diphones) diphones.add(u);
    picks.push({ line: c!.line, text: c!.text, newPhonemes: bestNew.p, newDiphones: bestNew.d });
  }
  return picks;
}

/** Units of several phoneme strings together. */
export function unionUnits(all: Iterable<Units>): Units {
  const out: Units = { phonemes: new Set(), diphones: new Set() };
  for (const u of all) {
    for (const p of u.phonemes) out.phonemes.add(p);
    for (const d of u.diphones) out.diphones.add(d);
  }
  return out;
}
