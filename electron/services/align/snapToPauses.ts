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
  /**
   * With word-level evidence (boundaryEvidence.ts): how many frames of mismatch the chosen place costs
   * more than the best place in the window (0 when it is the best), and how many more the best other
   * pause costs than the chosen one (small: the boundary could as well be a word away). Infinity: no other pause.
   */
  excess?: number;
  margin?: number;
  /** The best other pause (the alternative a person should listen to). */
  alternative?: Span | null;
}

/**
 * Word-level evidence per junction k: `cost(k, a, b)` is the extra mismatch (in frames) of putting
 * boundary k anywhere in [a, b] s against the best place in its window (Infinity outside it);
 * `best(k)` is that best place (s) or null when the window could not be built.
 */
export interface JunctionEvidence {
  cost: (k: number, a: number, b: number) => number;
  best: (k: number) => number | null;
}

/** Farthest (s) a boundary may move to reach a pause. */
export const MAX_SNAP_SECONDS = 1.0;
/** Seconds of distance one second of pause length is worth. */
const LENGTH_BONUS = 0.3;

/**
 * Where to cut inside a pause: its quietest stretch (levels of `hop` s, smoothed over 50 ms), the
 * point of it nearest the pause's middle. A pause found by the recording-wide threshold can begin
 * in the fading tail of the last word (the threshold sits above it), so its middle can fall before
 * the word has ended; the quietest stretch is the gap itself. In flat room noise this is the middle.
 */
export function quietestPoint(levelDb: Float32Array, hop: number, pause: Span): number {
  const a = Math.max(0, Math.ceil(pause.start / hop));
  const b = Math.min(levelDb.length, Math.floor(pause.end / hop));
  const mid = (pause.start + pause.end) / 2;
  if (b - a < 3) return mid;
  const smooth = new Float64Array(b - a);
  for (let j = a; j < b; j++) {
    let s = 0;
    let n = 0;
    for (let q = Math.max(a, j - 2); q <= Math.min(b - 1, j + 2); q++, n++) s += levelDb[q]!;
    smooth[j - a] = s / n;
  }
  let min = Infinity;
  for (const x of smooth) min = Math.min(min, x);
  let best = NaN;
  for (let j = a; j < b; j++) {
    const t = (j + 0.5) * hop;
    if (smooth[j - a]! <= min + QUIET_DB && !(Math.abs(t - mid) >= Math.abs(best - mid))) best = t;
  }
  return Number.isNaN(best) ? mid : best;
}
/** Levels within this of a pause's quietest (dB) count as its quiet part. */
const QUIET_DB = 3;

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

/**
 * Chooses all boundaries together (Viterbi over candidate pauses), so that the durations agree
 * with the text as well as the warping path does. Per junction the candidates are the pauses
 * within SEARCH_SECONDS of the path's estimate, plus the estimate itself (no pause). Cost:
 *  - distance from the path's estimate (s), minus a bonus for longer pauses;
 *  - for each unit, (log of real speech duration / expected duration)², capped, so a sentence
 *    that the reader clearly said differently (an ad-lib inside it) cannot pull every other
 *    boundary along;
 *  - a fixed price for a boundary outside any pause, and a higher one for an empty unit.
 * `expected[k]`: the expected speech duration of unit k (s); `first`/`last`: the speech start
 * of unit 0 and the speech end of the last unit.
 */
export const SEARCH_SECONDS = 3;
const DURATION_WEIGHT = 6;
const DURATION_CAP = 1.0;
/** Cost per second of distance from the path's estimate. */
const DIST_WEIGHT = 0.5;
const NO_PAUSE_COST = 1.5;
const EMPTY_UNIT_COST = 4;
/** With word-level evidence: cost per frame of extra mismatch (a word put in the wrong sentence costs ~10–40 frames). */
const EVIDENCE_WEIGHT = 0.3;
/** With word-level evidence the estimate's distance and a pause's length matter little. */
const EVIDENCE_DIST_WEIGHT = 0.1;
const EVIDENCE_LENGTH_BONUS = 0.05;

export function chooseBoundaries(
  estimates: Boundary[],
  speechRuns: Span[],
  expected: number[],
  first: number,
  last: number,
  evidence?: JunctionEvidence,
  candidatePauses?: Span[],
  /** Boundaries a person placed (s), kept where they are and only scored; null: choose. */
  fixed?: (number | null)[],
): SnappedBoundary[] {
  const K = estimates.length;
  if (!K) return [];
  const pauses = candidatePauses ?? pausesBetween(speechRuns);
  interface Cand {
    pause: Span | null;
    /** Speech ends / starts here. */
    end: number;
    start: number;
    cost: number;
    ev: number;
  }
  const cands: Cand[][] = [];
  /** Every candidate per junction (`cands` narrows a placed boundary to itself): the alternatives. */
  const allCands: Cand[][] = [];
  let p = 0;
  for (const [k, est] of estimates.entries()) {
    const list: Cand[] = [];
    while (p < pauses.length && pauses[p]!.end < est.start - SEARCH_SECONDS) p++;
    for (let q = p; q < pauses.length && pauses[q]!.start <= est.end + SEARCH_SECONDS; q++) {
      const c = pauses[q]!;
      const dist = Math.max(0, c.start - est.end, est.start - c.end);
      if (dist > SEARCH_SECONDS) continue;
      const len = Math.min(1, c.end - c.start);
      if (evidence) {
        const ev = evidence.cost(k, c.start, c.end);
        if (Number.isFinite(ev)) list.push({ pause: c, end: c.start, start: c.end, ev, cost: EVIDENCE_WEIGHT * ev + EVIDENCE_DIST_WEIGHT * dist - EVIDENCE_LENGTH_BONUS * len });
      } else list.push({ pause: c, end: c.start, start: c.end, ev: 0, cost: DIST_WEIGHT * dist - LENGTH_BONUS * len });
    }
    const mid = (evidence && evidence.best(k)) ?? (est.start + est.end) / 2;
    list.push({ pause: null, end: mid, start: mid, ev: 0, cost: NO_PAUSE_COST });
    allCands.push(list);
    const f = fixed?.[k];
    if (f == null) {
      cands.push(list);
      continue;
    }
    // A boundary a person placed: the pause it is in, or that very point; scored like any other.
    const pause = pauses.find((c) => c.start <= f && f <= c.end) ?? null;
    const ev = evidence ? evidence.cost(k, pause ? pause.start : f, pause ? pause.end : f) : 0;
    const at: Cand = pause ? { pause, end: pause.start, start: pause.end, ev, cost: 0 } : { pause: null, end: f, start: f, ev, cost: NO_PAUSE_COST };
    cands.push([at]);
  }
  const durCost = (real: number, exp: number) => {
    if (real <= 0.05) return EMPTY_UNIT_COST;
    const x = Math.log((real + 0.1) / (exp + 0.1));
    return Math.min(DURATION_CAP, DURATION_WEIGHT * x * x);
  };
  // best[k][i]: cost of units 0..k with junction k at candidate i.
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let k = 0; k < K; k++) {
    const cur = cands[k]!;
    const b = new Float64Array(cur.length).fill(Infinity);
    const f = new Int32Array(cur.length).fill(-1);
    for (let j = 0; j < cur.length; j++) {
      const cj = cur[j]!;
      if (k === 0) {
        b[j] = cj.cost + durCost(cj.end - first, expected[0]!);
        continue;
      }
      const prev = cands[k - 1]!;
      for (let i = 0; i < prev.length; i++) {
        const ci = prev[i]!;
        if (ci.start > cj.end + 1e-9 && !(ci.pause && ci.pause === cj.pause)) continue; // boundaries never cross
        const real = ci.pause && ci.pause === cj.pause ? 0 : cj.end - ci.start;
        const c = best[k - 1]![i]! + cj.cost + durCost(real, expected[k]!);
        if (c < b[j]!) {
          b[j] = c;
          f[j] = i;
        }
      }
    }
    best.push(b);
    from.push(f);
  }
  // Close with the last unit's duration.
  const lastC = cands[K - 1]!;
  let j = 0;
  let bestTotal = Infinity;
  for (let i = 0; i < lastC.length; i++) {
    const t = best[K - 1]![i]! + durCost(last - lastC[i]!.start, expected[K]!);
    if (t < bestTotal) {
      bestTotal = t;
      j = i;
    }
  }
  const chosen = new Array<Cand>(K);
  for (let k = K - 1; k >= 0; k--) {
    chosen[k] = cands[k]![j]!;
    j = from[k]![j]!;
    if (j < 0 && k > 0) {
      // No consistent path (should not happen: the estimate candidates are ordered); fall back.
      return snapBoundaries(estimates, speechRuns, 0);
    }
  }
  let prevCut = 0;
  return chosen.map((c, k) => {
    const f = fixed?.[k];
    const cut = Math.max(prevCut, f != null ? f : c.pause ? (c.pause.start + c.pause.end) / 2 : c.end);
    prevCut = cut;
    if (!evidence) return { cut, inPause: c.pause != null, pause: c.pause };
    // The best other pause in reach, and what it costs against the chosen place.
    let alt: Cand | null = null;
    for (const o of allCands[k]!) if (o.pause && o.pause !== c.pause && Number.isFinite(o.ev) && (!alt || o.ev < alt.ev)) alt = o;
    return { cut, inPause: c.pause != null, pause: c.pause, excess: c.ev, margin: alt ? alt.ev - c.ev : Infinity, alternative: alt?.pause ?? null };
  });
}
