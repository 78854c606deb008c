/**
 * How much to trust one aligned segment, 0..1, and why not. Three independent signs of trouble:
 *  - duration: the real speech is much longer or shorter than espeak's for the same text scaled by
 *    the speaker's overall tempo (an ad-lib or a repeated take inside it, or text that is not there);
 *  - mismatch: the mean spectral distance along the warping path is well above the recording's median;
 *  - no pause: a boundary had to be placed where the reader did not pause.
 */
export interface ScoredInput {
  start: number;
  end: number;
  /** Mean local DTW distance over the unit's synthetic frames. */
  _cost: number;
  /** Expected real duration (s): synthetic duration × tempo. */
  _expected: number;
  _inPauseStart: boolean;
  _inPauseEnd: boolean;
}

/** Segments below this are listed first and marked for review. */
export const LOW_CONFIDENCE = 0.5;
/** Spread of log(real/expected duration) among well-aligned sentences. */
const DURATION_SIGMA = 0.35;

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
  const confidence = Math.max(0, Math.min(1, cDur * cCost * cPause));
  return { confidence: Math.round(confidence * 1000) / 1000, flags };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
}
