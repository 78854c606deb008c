// Sentence and clause splitting with character offsets into the input (UTF-16 code units, as JS strings
// index), for long-text synthesis and the aligner. Runs on raw text, before normalization.
// Rules: a sentence ends at . ! ? … (with closing quotes/brackets) followed by whitespace and a plausible
// sentence start; titles ("Mr.", "Dr.", "St."), initials and acronyms ("J. R. R.", "U.S.") unless a
// typical sentence opener follows, decimals ("3.5") and lowercase continuations ("e.g. the",
// "Stop!" he said) do not end one; blank lines always do.
import { MONTH_ABBREVIATIONS, SUFFIX_ABBREVIATIONS, TITLE_ABBREVIATIONS } from './abbreviations';

export interface TextSpan {
  text: string;
  /** Offset of the first character in the input. */
  start: number;
  /** Offset just past the last character (input.slice(start, end) === text). */
  end: number;
}

export interface SplitSentencesOptions {
  /**
   * What a single line break means. 'auto' (default): a sentence boundary, unless the paragraph looks
   * hard-wrapped (several lines of similar, long length), where it is a space. 'always' / 'never'.
   */
  newlines?: 'auto' | 'always' | 'never';
}

/** Abbreviations that, with their full stop, do not end a sentence. */
const NON_TERMINAL = new Set([...Object.keys(TITLE_ABBREVIATIONS), ...Object.keys(MONTH_ABBREVIATIONS), 'e.g', 'i.e', 'cf', 'fig', 'approx', 'vol', 'pp', 'ch']);
/** Words that usually begin a sentence: after an initial or acronym they make its full stop final. */
const SENTENCE_STARTERS = new Set([
  'A', 'After', 'All', 'An', 'And', 'As', 'At', 'Before', 'But', 'Each', 'For', 'He', 'Her', 'His', 'How', 'However', 'I',
  'If', 'In', 'It', 'Its', 'Many', 'Most', 'My', 'No', 'Not', 'Now', 'On', 'One', 'Our', 'She', 'So', 'Some', 'That',
  'The', 'Their', 'Then', 'There', 'These', 'They', 'This', 'Those', 'We', 'What', 'When', 'Where', 'Who', 'Why', 'Yes', 'You',
]);
const TERMINAL_RUN_RE = /[.!?…]+["')\]”’»]*/g;
const WS = /[\t\n\v\f\r \u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const PARAGRAPH_RE = /\r?\n[\t\v\f\r \u00a0]*\r?\n[\t\n\v\f\r \u00a0]*/g;
// eslint-disable-next-line no-control-regex -- [^\x00-\x7f] is "any non-ASCII character", a range, not a control character
const UPPER_OR_OPENER_RE = /[A-Z0-9"'([“‘«¿¡]|[^\x00-\x7f]/;

const ENUMERATOR_RE = /^\(?(?:[0-9]{1,3}|[A-Za-z])$/;
const EDGE_WS_RE = /^[\t\n\v\f\r \u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Trim exactly the whitespace this module knows (String.trim's set differs from Python's str.strip). */
function trimWs(s: string): string {
  return s.replace(EDGE_WS_RE, '');
}

function isLower(c: string): boolean {
  return c.toLowerCase() === c && c.toUpperCase() !== c;
}

/** The word right before `end` (back to whitespace), without leading quotes/brackets. */
function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && !WS.test(text[i - 1])) i--;
  return text.slice(i, end).replace(/^["'([“‘«]+/, '');
}

function isBoundary(text: string, runStart: number, runEnd: number): boolean {
  let next = runEnd;
  if (next >= text.length) return true;
  if (!WS.test(text[next])) return false; // "3.5", "U.S.A", "e.g.,"
  while (next < text.length && WS.test(text[next])) next++;
  if (next >= text.length) return true;
  const c = text[next];
  const run = text.slice(runStart, runEnd);
  if (/[!?]/.test(run)) return !isLower(c);
  if (/\.\.|…/.test(run)) return !isLower(c) && UPPER_OR_OPENER_RE.test(c);
  // A single full stop.
  if (isLower(c)) return false;
  const word = wordBefore(text, runStart);
  const key = word.toLowerCase();
  if (key === 'no') return !/[0-9]/.test(c);
  if (NON_TERMINAL.has(key)) return false;
  // A chain of suffixes runs on: "Smith & Co. Ltd.", "Jones Jr. Esq."
  const following = /^([A-Za-z]+)\./.exec(text.slice(next));
  if (Object.hasOwn(SUFFIX_ABBREVIATIONS, key) && following && Object.hasOwn(SUFFIX_ABBREVIATIONS, following[1].toLowerCase())) return false;
  // Initials and dotted acronyms ("J. R. R. Tolkien", "the U.S. Army") end a sentence only before a
  // word that usually starts one ("plan B. Then", "in the U.S. The").
  if (/^(?:[A-Za-z]\.)*[A-Za-z]$/.test(word) && /[A-Z]/.test(c)) return SENTENCE_STARTERS.has(/^[A-Za-z]*/.exec(text.slice(next))![0]);
  return UPPER_OR_OPENER_RE.test(c);
}

/** Paragraph lines look hard-wrapped: at least 3 lines, most of them long and of similar length. */
function looksWrapped(lines: string[]): boolean {
  if (lines.length < 3) return false;
  const lengths = lines.slice(0, -1).map((l) => trimWs(l).length);
  const max = Math.max(...lengths);
  return max >= 40 && lengths.filter((n) => n >= 0.7 * max).length >= 0.8 * lengths.length;
}

/** Ranges [start, end) that no sentence may cross: paragraphs, and lines where newlines are boundaries. */
function hardBlocks(text: string, newlines: 'auto' | 'always' | 'never'): [number, number][] {
  const paragraphs: [number, number][] = [];
  let last = 0;
  for (const m of text.matchAll(PARAGRAPH_RE)) {
    paragraphs.push([last, m.index!]);
    last = m.index! + m[0].length;
  }
  paragraphs.push([last, text.length]);
  const blocks: [number, number][] = [];
  for (const [s, e] of paragraphs) {
    const para = text.slice(s, e);
    const splitLines = newlines === 'always' || (newlines === 'auto' && !looksWrapped(para.split('\n')));
    if (!splitLines) {
      blocks.push([s, e]);
      continue;
    }
    let ls = s;
    for (let i = s; i < e; i++) {
      if (text[i] === '\n') {
        blocks.push([ls, i]);
        ls = i + 1;
      }
    }
    blocks.push([ls, e]);
  }
  return blocks;
}

function trimmedSpan(text: string, start: number, end: number): TextSpan | null {
  while (start < end && WS.test(text[start])) start++;
  while (end > start && WS.test(text[end - 1])) end--;
  return start < end ? { text: text.slice(start, end), start, end } : null;
}

const HAS_WORD_RE = /[A-Za-z0-9\u00c0-\uffff]/;

/** Split text into sentences with offsets into `text`. */
export function splitSentences(text: string, opts: SplitSentencesOptions = {}): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const [bs, be] of hardBlocks(text, opts.newlines ?? 'auto')) {
    const block = text.slice(bs, be);
    let start = 0;
    for (const m of block.matchAll(TERMINAL_RUN_RE)) {
      const runEnd = m.index! + m[0].length;
      if (!isBoundary(block, m.index!, runEnd)) continue;
      // "1. Buy milk", "a. First": a list enumerator is not a sentence.
      if (m[0] === '.' && ENUMERATOR_RE.test(trimWs(block.slice(start, m.index!)))) continue;
      const span = trimmedSpan(text, bs + start, bs + runEnd);
      if (span) spans.push(span);
      start = runEnd;
    }
    const tail = trimmedSpan(text, bs + start, be);
    if (tail) spans.push(tail);
  }
  // A piece without any word (a stray quote, "—") belongs to the sentence before it (or after it).
  const merged: TextSpan[] = [];
  let pendingStart: number | null = null;
  for (const s of spans) {
    if (HAS_WORD_RE.test(s.text)) {
      const start = pendingStart ?? s.start;
      merged.push({ text: text.slice(start, s.end), start, end: s.end });
      pendingStart = null;
    } else if (merged.length && !/\n[\t\v\f\r \u00a0]*\n/.test(text.slice(merged[merged.length - 1].end, s.start))) {
      const prev = merged[merged.length - 1];
      merged[merged.length - 1] = { text: text.slice(prev.start, s.end), start: prev.start, end: s.end };
    } else {
      pendingStart = pendingStart ?? s.start;
    }
  }
  return merged;
}

/** Characters after which a clause may end (the break is at the whitespace that follows); strong ones first. */
const STRONG_CLAUSE_END_RE = /[;:—–)]/;
const WEAK_CLAUSE_END_RE = /,/;

/**
 * Split one sentence into pieces of at most `maxChars` characters: at clause punctuation that leaves a
 * piece of a reasonable size (the last ; : — -- ) if any, else the last comma), else at the space that
 * shares the words out evenly; never inside a word
 * (a single word longer than maxChars becomes its own piece). Offsets are into `sentence`.
 */
export function splitClauses(sentence: string, maxChars: number): TextSpan[] {
  if (!(maxChars >= 1)) throw new RangeError(`splitClauses: maxChars must be ≥ 1, got ${maxChars}`);
  const out: TextSpan[] = [];
  const minPiece = Math.max(1, Math.floor(maxChars / 3));
  let pos = 0;
  const n = sentence.length;
  for (;;) {
    while (pos < n && WS.test(sentence[pos])) pos++;
    if (pos >= n) break;
    let end = n;
    while (end > pos && WS.test(sentence[end - 1])) end--;
    if (end - pos <= maxChars) {
      out.push({ text: sentence.slice(pos, end), start: pos, end });
      break;
    }
    // Candidate cuts j: sentence[j] is whitespace, piece = [pos, j).
    // Without clause punctuation, cut at the space nearest an even share, so no piece is a stub.
    const target = pos + Math.ceil((end - pos) / Math.ceil((end - pos) / maxChars));
    let strongCut = -1;
    let weakCut = -1;
    let spaceCut = -1;
    for (let j = pos + 1; j <= pos + maxChars && j < end; j++) {
      if (!WS.test(sentence[j]) || WS.test(sentence[j - 1])) continue;
      if (spaceCut < 0 || Math.abs(j - target) <= Math.abs(spaceCut - target)) spaceCut = j;
      if (j - pos < minPiece) continue;
      const tail = sentence.slice(Math.max(pos, j - 2), j);
      if (STRONG_CLAUSE_END_RE.test(tail[tail.length - 1]) || tail === '--') strongCut = j;
      else if (WEAK_CLAUSE_END_RE.test(tail[tail.length - 1])) weakCut = j;
    }
    let cut = strongCut > 0 ? strongCut : weakCut > 0 ? weakCut : spaceCut;
    if (cut < 0) {
      // One word longer than maxChars: keep it whole.
      cut = pos + maxChars;
      while (cut < end && !WS.test(sentence[cut])) cut++;
    }
    const span = trimmedSpan(sentence, pos, cut)!;
    out.push(span);
    pos = cut;
  }
  return out;
}
