import type { Span } from '../../../shared/dsp/pauses';

/**
 * Moves each boundary the warping path found into a real pause. DTW against a synthetic voice
 * is accurate to a few hundred milliseconds; the pause the reader took between two sentences is
 * exact. The path gives, for each junction, the span of real audio it matched to the synthetic
 * silence between the two units; the chosen pause is the one nearest that span, longer pauses
 * winning close calls (a sentence break is usually longer than a comma's breath).
 */
export type Boundary = Span;

export interface SnappedBoundary {
  /** The cut point (s): the middle of the chosen pause, or the path's estimate when no pause is near. */
  cut: number;
  inPause: boolean;
  pause: Span | null;
}

/** Farthest (s) a boundary may move to reach a pause. */
export const MAX_SNAP_SECONDS = 1.0;
/** Seconds of distance one second of pause length is worth. */
const LENGTH_BONUS = 0.3;

export function pausesBetween(runs: Span[]): Span[] {
  const out: Span[] = [];
  for (let i = 1; i < runs.length; i++) out.push({ start: runs[i - 1]!.end, end: runs[i]!.start });
  return out;
}

export function snapBoundaries(estimates: Boundary[], speechRuns: Span[], _duration: number): SnappedBoundary[] {
  const pauses = pausesBetween(speechRuns);
  const out: SnappedBoundary[] = [];
  let p = 0;
  let prevCut = 0;
  for (const est of estimates) {
    // Pauses are sorted; skip those that end well before this estimate.
    while (p < pauses.length && pauses[p]!.end < est.start - MAX_SNAP_SECONDS) p++;
    let best: Span | null = null;
    let bestScore = Infinity;
    for (let q = p; q < pauses.length && pauses[q]!.start <= est.end + MAX_SNAP_SECONDS; q++) {
      const c = pauses[q]!;
      const dist = Math.max(0, c.start - est.end, est.start - c.end);
      if (dist > MAX_SNAP_SECONDS) continue;
      const score = dist - LENGTH_BONUS * Math.min(1, c.end - c.start);
      if (score < bestScore) {
        bestScore = score;
        best = c;
      }
    }
    let cut = best ? (best.start + best.end) / 2 : (est.start + est.end) / 2;
    // Boundaries never cross; two on the same spot leave an empty unit (text not in the audio).
    cut = Math.max(cut, prevCut);
    prevCut = cut;
    out.push({ cut, inPause: best != null, pause: best });
  }
  return out;
}
