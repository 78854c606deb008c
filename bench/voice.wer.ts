import { englishCleaners } from '../shared/text/cleaners';

/** Words for scoring: the text frontend's English cleaning (numbers, abbreviations spelled out), no punctuation. */
export function werWords(text: string): string[] {
  return englishCleaners(text)
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Word-level Levenshtein distance (substitutions + deletions + insertions). */
export function wordEdits(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[hyp.length];
}

/** Corpus WER: total edits over total reference words (not a mean of per-sentence rates). */
export function corpusWer(pairs: { ref: string; hyp: string }[]): { wer: number; edits: number; words: number } {
  let edits = 0;
  let words = 0;
  for (const { ref, hyp } of pairs) {
    const r = werWords(ref);
    edits += wordEdits(r, werWords(hyp));
    words += r.length;
  }
  return { wer: words ? edits / words : 0, edits, words };
}
