import { ServiceError } from '../../../shared/contract/rpc';
import { splitClauses, splitSentences } from '../../../shared/text/sentences';

/**
 * The transcript as the aligner sees it: a list of units (sentences, or phrases of a sentence
 * too long for one clip), each with its character offsets into the transcript so the UI can
 * show, merge and split them in place.
 */
export interface TextUnit {
  text: string;
  /** Offsets into the transcript: transcript.slice(charStart, charEnd) === text. */
  charStart: number;
  charEnd: number;
  /** Index of the sentence it comes from (phrases of one sentence share it). */
  sentence: number;
}

const HAS_WORD = /[\p{L}\p{N}]/u;

export interface TranscriptUnitOptions {
  /** One unit per non-empty line (a recording script with one sentence or phrase per line). */
  byLine?: boolean;
}

export function transcriptUnits(transcript: string, opts: TranscriptUnitOptions = {}): TextUnit[] {
  if (!transcript.trim()) throw new ServiceError('empty-transcript', 'The transcript is empty: give the text that is read in the recording.');
  const spans = opts.byLine ? lineSpans(transcript) : splitSentences(transcript);
  const units = spans
    .filter((s) => HAS_WORD.test(s.text))
    .map((s, i) => ({ text: s.text, charStart: s.start, charEnd: s.end, sentence: i }));
  if (!units.length) throw new ServiceError('empty-transcript', 'The transcript has no words to align (only punctuation or symbols).');
  return units;
}

/** Splits a unit into phrases of at most `maxChars` (at clause punctuation when it can). */
export function splitUnit(u: TextUnit, maxChars: number): TextUnit[] {
  const parts = splitClauses(u.text, Math.max(8, Math.floor(maxChars)))
    .filter((p) => HAS_WORD.test(p.text))
    .map((p) => ({ text: p.text, charStart: u.charStart + p.start, charEnd: u.charStart + p.end, sentence: u.sentence }));
  return parts.length ? parts : [u];
}

function lineSpans(text: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const re = /[^\r\n]+/g;
  for (const m of text.matchAll(re)) {
    const lead = m[0].length - m[0].trimStart().length;
    const t = m[0].trim();
    if (t) out.push({ text: t, start: m.index! + lead, end: m.index! + lead + t.length });
  }
  return out;
}
