/**
 * How much to trust one aligned segment, 0..1, and why not. Three independent signs of trouble:
 *  - duration: the real speech is much longer or shorter than espeak's for the same text scaled by
 *    the speaker's overall tempo (an ad-lib or a repeated take inside it, or text that is not there);
 *  - mismatch: the mean spectral distance along the warping path is well above the recording's median;
 *  - no pause: a boundary had to be placed where the reader did not pause;
 *  - could be off by a word: at a boundary, the second pass (boundaryEvidence.ts) found another
 *    pause that fits the words around it almost as well as the chosen one, or better. The margin is
 *    in frames (20 ms) of extra spectral mismatch; moving a boundary by one word costs ~10–40.
 *    CLEAR_FRAMES is where a boundary's term is 0.5, calibrated on the joined recordings of
 *    `npm run bench:align` (truth known): every boundary found off by a word there had a margin
 *    below it. Also when the words fit a place outside the chosen pause better (EXCESS_FRAMES).
 */
export interface BoundaryDoubt {
  /** Extra mismatch (frames) of the chosen place against the best place in the window (0: it is the best). */
  excess: number;
  /** Extra mismatch (frames) of the best other pause against the chosen place (negative: it fits better). */
  margin: number;
  /** That other pause (s), null when there is none within reach. */
  alternative: { start: number; end: number } | null;
  /** The cut (s). */
  cut: number;
  /** Where the words around the boundary fit best (s), in a pause or not. */
  bestAt?: number | null;
}
export interface ScoredInput {
  start: number;
  end: number;
  /** Mean local DTW distance over the unit's synthetic frames. */
  _cost: number;
  /** Expected real duration (s): synthetic duration × tempo. */
  _expected: number;
  _inPauseStart: boolean;
  _inPauseEnd: boolean;
  /** Second-pass evidence at the start / end boundary (absent at the recording's outer edges). */
  _startDoubt?: BoundaryDoubt | null;
  _endDoubt?: BoundaryDoubt | null;
}

/** Segments below this are listed first and marked for review. */
export const LOW_CONFIDENCE = 0.5;
/**
 * At or below this the aligner found nothing in the audio that fits the text (0.0–0.05: a wrong
 * transcript, music, another speaker): the clip is kept but marked untranscribed, so it is reviewed
 * before its text can reach an export.
 */
export const UNTRUSTED_CONFIDENCE = 0.05;
/** Spread of log(real/expected duration) among well-aligned sentences. */
const DURATION_SIGMA = 0.35;
/** Margin (frames) at which a boundary's term is 0.5; below it the segment is flagged as possibly off by a word. */
export const CLEAR_FRAMES = 3;
const CLEAR_SCALE = 1;
/**
 * Excess (frames) at which a boundary's term is 0.5: the words around it fit a place outside the
 * chosen pause this much better (a sentence pause too short to be found, 0.03–0.05 s, with the cut
 * in a gap next to it). Calibrated on bench:align: boundaries inside the true pause had an excess
 * of at most 0.7 (almost all 0), those a word off up to 4.9.
 */
export const EXCESS_FRAMES = 1.5;
const EXCESS_SCALE = 0.25;

/** 0..1 from a boundary's margin and excess: 0.5 at CLEAR_FRAMES (or EXCESS_FRAMES), → 1 for a clear boundary. */
export function boundaryTerm(d: BoundaryDoubt | null | undefined): number {
  if (!d) return 1;
  const byMargin = Number.isFinite(d.margin) ? 1 / (1 + Math.exp(-(d.margin - CLEAR_FRAMES) / CLEAR_SCALE)) : 1;
  const byExcess = 1 / (1 + Math.exp((d.excess - EXCESS_FRAMES) / EXCESS_SCALE));
  return byMargin * byExcess;
}

/** `medianCost`: the median of `_cost` over all segments of the recording. */
export function segmentConfidence(s: ScoredInput, medianCost: number): { confidence: number; flags: string[] } {
  const flags: string[] = [];
  const speech = s.end - s.start;
  if (speech < 0.05) return { confidence: 0, flags: ['not-in-audio'] };
  const r = speech / Math.max(0.05, s._expected);
  const cDur = Math.exp(-(Math.log(r) ** 2) / (2 * DURATION_SIGMA ** 2));
  if (cDur < LOW_CONFIDENCE) flags.push('duration');
  const med = medianCost || 1;
  const q = s._cost / med;
  const cCost = q <= 1.25 ? 1 : Math.max(0, 1 - (q - 1.25) / 0.75);
  if (cCost < LOW_CONFIDENCE) flags.push('mismatch');
  let cPause = 1;
  if (!s._inPauseStart) {
    cPause *= 0.6;
    flags.push('no-pause-start');
  }
  if (!s._inPauseEnd) {
    cPause *= 0.6;
    flags.push('no-pause-end');
  }
  const cStart = boundaryTerm(s._startDoubt);
  const cEnd = boundaryTerm(s._endDoubt);
  if (cStart < LOW_CONFIDENCE) flags.push('uncertain-start');
  if (cEnd < LOW_CONFIDENCE) flags.push('uncertain-end');
  const confidence = Math.max(0, Math.min(1, cDur * cCost * cPause * cStart * cEnd));
  return { confidence: Math.round(confidence * 1000) / 1000, flags };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
}

/** One plain-language sentence per reason a segment is flagged, for the Align view and `formant align`. */
export function reviewReasons(flags: string[], s: { _startDoubt?: BoundaryDoubt | null; _endDoubt?: BoundaryDoubt | null; start: number; end: number; _expected: number }): string[] {
  const out: string[] = [];
  const where = (d: BoundaryDoubt) => {
    // The words fit best outside the chosen pause (and no other pause comes close): say where.
    if (d.excess >= EXCESS_FRAMES && d.bestAt != null && (!d.alternative || d.margin >= CLEAR_FRAMES)) {
      const dt = d.bestAt - d.cut;
      return ` the words around it fit best ${Math.abs(dt).toFixed(1)} s ${dt < 0 ? 'earlier' : 'later'} (at ${d.bestAt.toFixed(1)} s), where no pause was found`;
    }
    if (!d.alternative) return '';
    const at = (d.alternative.start + d.alternative.end) / 2;
    const dt = at - d.cut;
    return ` the pause ${Math.abs(dt).toFixed(1)} s ${dt < 0 ? 'earlier' : 'later'} (at ${at.toFixed(1)} s) ${d.margin < 0 ? 'fits the text better' : 'fits the text almost as well'}`;
  };
  for (const f of flags) {
    if (f === 'not-in-audio') out.push('The text was not found in the recording (no speech between its cuts).');
    if (f === 'duration') out.push(`The speech lasts ${(s.end - s.start).toFixed(1)} s where the text reads in about ${s._expected.toFixed(1)} s: words may be missing, repeated or added.`);
    if (f === 'mismatch') out.push('The audio sounds unlike the text (the spectral match is far below the rest of the recording).');
    if (f === 'no-pause-start') out.push('The start is cut where the reader did not pause.');
    if (f === 'no-pause-end') out.push('The end is cut where the reader did not pause.');
    if (f === 'uncertain-start' && s._startDoubt) out.push(`The start could be off by a word:${where(s._startDoubt)}. Listen to the first word.`);
    if (f === 'uncertain-end' && s._endDoubt) out.push(`The end could be off by a word:${where(s._endDoubt)}. Listen to the last word.`);
  }
  return out;
}
