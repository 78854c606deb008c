/**
 * Long-text planning: a text of any length becomes an ordered list of chunks the voice can say
 * comfortably — paragraphs → sentences → (when a sentence is too long) clauses — each with the
 * pause that its punctuation asks for when the audio is joined (joinAudio.ts).
 * Tacotron-2 attention degrades on inputs much longer than the training clips, hence the split.
 */
export interface TextSpan {
  text: string;
  start: number;
  end: number;
}

export type PauseKind = 'none' | 'word' | 'clause' | 'sentence' | 'paragraph' | 'end';

export const DEFAULT_PAUSES: Record<PauseKind, number> = {
  none: 0,
  /** A clause split forced inside a run without punctuation: just a breath. */
  word: 0.05,
  clause: 0.15,
  sentence: 0.35,
  paragraph: 0.6,
  end: 0,
};

export interface PlannedChunk extends TextSpan {
  index: number;
  /** Which paragraph / sentence of the input this chunk belongs to (0-based). */
  paragraph: number;
  sentence: number;
  pauseAfter: PauseKind;
  pauseSeconds: number;
}

export interface Splitters {
  splitSentences(text: string): TextSpan[];
  /** Splits one sentence into pieces of at most maxChars (measured by `measure`), preferring punctuation. */
  splitClauses(sentence: string, maxChars: number): (TextSpan | string)[];
}

export interface PlanOptions {
  /** The voice's comfortable length, in characters of the text it will actually read (see measure). */
  maxChars: number;
  /** Length of a span as the model sees it (normalized + cleaned); default: its raw length. */
  measure?: (text: string) => number;
  pauses?: Partial<Record<PauseKind, number>>;
  /**
   * Time to first audio: when the first sentence is longer than this and has a clause break
   * (, ; : —) early enough, its first clause becomes a chunk of its own, so playback starts sooner.
   */
  firstChunkMaxChars?: number;
}

const PARAGRAPH_BREAK = /\n[ \t]*\n\s*/g;

export function planLongText(text: string, splitters: Splitters, opts: PlanOptions): PlannedChunk[] {
  const measure = opts.measure ?? ((s: string) => s.length);
  const pauses = { ...DEFAULT_PAUSES, ...opts.pauses };
  const chunks: PlannedChunk[] = [];
  let sentenceNo = 0;
  const paragraphs = spansBetween(text, PARAGRAPH_BREAK);
  paragraphs.forEach((para, p) => {
    const sentences = splitters.splitSentences(para.text).filter((s) => s.text.trim().length > 0);
    sentences.forEach((s, si) => {
      const abs: TextSpan = { text: s.text, start: para.start + s.start, end: para.start + s.end };
      let pieces = measure(abs.text) > opts.maxChars ? locate(abs, splitters.splitClauses(abs.text, opts.maxChars)) : [abs];
      if (chunks.length === 0 && opts.firstChunkMaxChars && measure(pieces[0].text) > opts.firstChunkMaxChars) {
        pieces = [...splitFirstClause(pieces[0], splitters, opts.firstChunkMaxChars), ...pieces.slice(1)];
      }
      pieces.forEach((piece, ci) => {
        const lastInSentence = ci === pieces.length - 1;
        const lastInParagraph = lastInSentence && si === sentences.length - 1;
        const kind: PauseKind = !lastInSentence
          ? pauseForPunctuation(piece.text, 'word')
          : lastInParagraph
            ? p === paragraphs.length - 1
              ? 'end'
              : 'paragraph'
            : pauseForPunctuation(piece.text, 'sentence');
        chunks.push({ ...piece, index: chunks.length, paragraph: p, sentence: sentenceNo, pauseAfter: kind, pauseSeconds: pauses[kind] });
      });
      sentenceNo++;
    });
  });
  return chunks;
}

/** Splits off the first clause when it ends at clause punctuation (never mid-phrase); else keeps the span whole. */
function splitFirstClause(span: TextSpan, splitters: Splitters, maxChars: number): TextSpan[] {
  const [first] = locate(span, splitters.splitClauses(span.text, maxChars));
  if (!first || first.end >= span.end || pauseForPunctuation(first.text, 'none') !== 'clause') return [span];
  const restRaw = span.text.slice(first.end - span.start);
  const lead = restRaw.length - restRaw.trimStart().length;
  const rest = restRaw.trim();
  return [first, { text: rest, start: first.end + lead, end: first.end + lead + rest.length }];
}

/** The pause a chunk's final punctuation asks for; `fallback` when it ends without any. */
export function pauseForPunctuation(text: string, fallback: PauseKind): PauseKind {
  const t = text.replace(/["'”’)\]\s]+$/u, '');
  const last = t.at(-1) ?? '';
  if (/[.!?…]/u.test(last)) return 'sentence';
  if (/[,;:\u2013\u2014-]/u.test(last)) return 'clause';
  return fallback;
}

/** Splits `text` at every match of `sep` into trimmed, non-empty spans with offsets. */
function spansBetween(text: string, sep: RegExp): TextSpan[] {
  const out: TextSpan[] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    const raw = text.slice(a, b);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) out.push({ text: body, start: a + lead, end: a + lead + body.length });
  };
  for (const m of text.matchAll(sep)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return out;
}

/** Gives clause pieces absolute offsets (splitters may return plain strings). */
function locate(sentence: TextSpan, pieces: (TextSpan | string)[]): TextSpan[] {
  let cursor = 0;
  const out: TextSpan[] = [];
  for (const piece of pieces) {
    const t = typeof piece === 'string' ? piece : piece.text;
    if (!t.trim()) continue;
    let at = typeof piece === 'string' ? sentence.text.indexOf(t, cursor) : piece.start;
    if (at < 0) at = cursor;
    out.push({ text: t, start: sentence.start + at, end: sentence.start + at + t.length });
    cursor = at + t.length;
  }
  return out.length ? out : [sentence];
}
