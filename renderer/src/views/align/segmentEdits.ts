import type { AlignSegment } from '../../../../shared/contract/align';

/**
 * Edits of aligned segments in the Align view, as pure functions (each returns a new array).
 * Invariants kept by every edit: segments stay in time order and never overlap
 * (seg[k].end <= seg[k+1].start), each has start < end (≥ MIN_SEGMENT), and the speech edges
 * stay inside the cut points (cutStart <= start, end <= cutEnd). A segment a person edited gets
 * confidence 1 and no flags: it has been checked by ear.
 */
export const MIN_SEGMENT = 0.05;
export const LOW_CONFIDENCE = 0.5;

function reviewed(s: AlignSegment): AlignSegment {
  return { ...s, confidence: 1, flags: [] };
}

/** Sets the speech edges of segment k (from dragging its region), clamped between its neighbours. */
export function setEdges(segs: AlignSegment[], k: number, start: number, end: number, duration: number): AlignSegment[] {
  const s = segs[k];
  if (!s) return segs;
  const lo = k > 0 ? segs[k - 1]!.end : 0;
  const hi = k < segs.length - 1 ? segs[k + 1]!.start : duration;
  let a = Math.max(lo, Math.min(start, hi - MIN_SEGMENT));
  let b = Math.min(hi, Math.max(end, a + MIN_SEGMENT));
  if (b - a < MIN_SEGMENT) {
    a = lo;
    b = Math.min(hi, lo + MIN_SEGMENT);
  }
  const out = segs.slice();
  out[k] = reviewed({ ...s, start: a, end: b, cutStart: Math.min(a, Math.max(lo, s.cutStart)), cutEnd: Math.max(b, Math.min(hi, s.cutEnd)) });
  // The neighbours' cut points may not reach into this segment's speech.
  if (k > 0 && out[k - 1]!.cutEnd > a) out[k - 1] = { ...out[k - 1]!, cutEnd: a };
  if (k < out.length - 1 && out[k + 1]!.cutStart < b) out[k + 1] = { ...out[k + 1]!, cutStart: b };
  return out;
}

/** Joins segment k with k+1: one clip, texts joined (from the transcript when the offsets allow). */
export function mergeWithNext(segs: AlignSegment[], k: number, transcript?: string): AlignSegment[] {
  const a = segs[k];
  const b = segs[k + 1];
  if (!a || !b) return segs;
  const contiguous = transcript != null && a.charEnd <= b.charStart && b.charEnd <= transcript.length;
  const text = contiguous ? transcript.slice(a.charStart, b.charEnd).replace(/\s+/g, ' ').trim() : `${a.text} ${b.text}`;
  const merged = reviewed({
    ...a,
    text,
    end: b.end,
    cutEnd: b.cutEnd,
    charEnd: b.charEnd,
  });
  return [...segs.slice(0, k), merged, ...segs.slice(k + 2)];
}

/**
 * Splits segment k at time `at` (seconds) and its text after word `words` (1..n-1 words go left).
 * Offsets into the transcript follow the split when the text is the transcript's.
 */
export function splitSegment(segs: AlignSegment[], k: number, at: number, words: number): AlignSegment[] {
  const s = segs[k];
  if (!s) return segs;
  const tokens = s.text.split(/\s+/).filter(Boolean);
  if (tokens.length < 2) throw new Error('A segment of one word cannot be split.');
  const w = Math.max(1, Math.min(tokens.length - 1, Math.round(words)));
  if (!(at > s.start + MIN_SEGMENT && at < s.end - MIN_SEGMENT)) throw new Error('Split inside the segment, away from its edges.');
  const leftText = tokens.slice(0, w).join(' ');
  const rightText = tokens.slice(w).join(' ');
  // Offset of the right part: after the w-th word of the original text.
  let idx = 0;
  for (let i = 0; i < w; i++) {
    idx = s.text.indexOf(tokens[i]!, idx) + tokens[i]!.length;
  }
  const rightStart = s.text.indexOf(tokens[w]!, idx);
  const left = reviewed({ ...s, text: leftText, end: at, cutEnd: at, charEnd: s.charStart + idx });
  const right = reviewed({ ...s, text: rightText, start: at, cutStart: at, charStart: s.charStart + rightStart });
  return [...segs.slice(0, k), left, right, ...segs.slice(k + 1)];
}

/** Replaces the text of segment k (a typo in the transcript, a word said differently). */
export function setText(segs: AlignSegment[], k: number, text: string): AlignSegment[] {
  const s = segs[k];
  if (!s) return segs;
  const out = segs.slice();
  out[k] = reviewed({ ...s, text });
  return out;
}

/** Drops segment k (an ad-lib, a false start): it will not become a clip. */
export function removeSegment(segs: AlignSegment[], k: number): AlignSegment[] {
  return segs.filter((_, i) => i !== k);
}

/** Indices in review order: low-confidence segments first (least confident first), then the rest in time order. */
export function reviewOrder(segs: AlignSegment[]): number[] {
  const idx = segs.map((_, i) => i);
  const low = idx.filter((i) => segs[i]!.confidence < LOW_CONFIDENCE).sort((a, b) => segs[a]!.confidence - segs[b]!.confidence || a - b);
  const ok = idx.filter((i) => segs[i]!.confidence >= LOW_CONFIDENCE);
  return [...low, ...ok];
}

/** Where unmatched speech (speech the transcript does not cover) lies, in words. */
export const UNMATCHED_LABELS: Record<string, string> = {
  'before-transcript': "before the transcript's first sentence",
  'after-transcript': "after the transcript's last sentence",
};

/** Human words for the flags the aligner raises. */
export const FLAG_LABELS: Record<string, string> = {
  'not-in-audio': 'text not found in the recording',
  duration: 'length does not fit the text (extra or missing speech?)',
  mismatch: 'audio sounds unlike the text',
  'no-pause-start': 'no pause at the start',
  'no-pause-end': 'no pause at the end',
  'uncertain-start': 'start could be off by a word',
  'uncertain-end': 'end could be off by a word',
};

/** What the confidence number means, in the words the Align view shows. */
export const CONFIDENCE_MEANING =
  'Confidence: how sure the aligner is that this clip holds exactly its own words: duration against the text, how well the audio matches the text, ' +
  'a pause at each cut, and whether another pause fits the words around each cut almost as well. Below 50 %: listen before accepting (listed first).';

/** Why a segment is flagged, in plain sentences: the service's reasons, else the flags' labels (runs stored before reasons existed). */
export function segmentExplanation(s: Pick<AlignSegment, 'flags' | 'reasons'>): string {
  if (s.reasons?.length) return s.reasons.join(' ');
  return s.flags.map((f) => FLAG_LABELS[f] ?? f).join('; ');
}
