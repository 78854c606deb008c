import type { Span } from '../../../shared/dsp/pauses';

/**
 * Speech outside the aligned span: talk before the transcript's first sentence (a slate, a
 * false start, a sentence the text lacks) or after its last one (a sign-off). The DTW's open
 * begin and end leave such audio out of every clip, which is right, but the person must hear
 * about it: it may be a sentence missing from the text. Reported when the speech runs (from the
 * 10 ms levels) there add up to more than `MIN_UNMATCHED_SPEECH_SECONDS`; shorter bits are
 * breaths and clicks.
 */
export type UnmatchedReason = 'before-transcript' | 'after-transcript';

export interface UnmatchedSpeech {
  /** From the first to the last speech edge of the region (s in the source recording). */
  start: number;
  end: number;
  /** Seconds of speech-like energy inside it (pauses excluded). */
  speechSeconds: number;
  reason: UnmatchedReason;
}

export const MIN_UNMATCHED_SPEECH_SECONDS = 0.5;

interface AlignedSpan {
  start: number;
  end: number;
  cutStart: number;
  cutEnd: number;
}

/** `segments` in time order; those with no audio (start === end) do not count as aligned. */
export function unmatchedSpeech(runs: Span[], segments: AlignedSpan[], duration: number, minSpeech = MIN_UNMATCHED_SPEECH_SECONDS): UnmatchedSpeech[] {
  const found = segments.filter((s) => s.end > s.start);
  if (!found.length) return [];
  const from = Math.min(found[0]!.cutStart, found[0]!.start);
  const to = Math.max(found[found.length - 1]!.cutEnd, found[found.length - 1]!.end);
  const out: UnmatchedSpeech[] = [];
  const region = (a: number, b: number, reason: UnmatchedReason) => {
    let start = Infinity;
    let end = -Infinity;
    let speech = 0;
    for (const r of runs) {
      const s = Math.max(a, r.start);
      const e = Math.min(b, r.end);
      if (e <= s) continue;
      start = Math.min(start, s);
      end = Math.max(end, e);
      speech += e - s;
    }
    if (speech > minSpeech) out.push({ start: round(start), end: round(end), speechSeconds: round(speech), reason });
  };
  region(0, from, 'before-transcript');
  region(to, duration, 'after-transcript');
  return out;
}

/** Seconds of speech (runs) inside [a, b]. */
export function speechSecondsIn(runs: Span[], a: number, b: number): number {
  let sum = 0;
  for (const r of runs) sum += Math.max(0, Math.min(b, r.end) - Math.max(a, r.start));
  return sum;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
