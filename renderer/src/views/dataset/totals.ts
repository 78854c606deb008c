import type { ClipRecord } from '../../../../shared/contract/manifest';

/**
 * The totals bar and the duration histogram.
 * "Minutes" count speech (each clip's source region, without the rendered silence pads), because
 * that is what the seed's guidance — at least 30 minutes of a voice — is about. Rejected clips don't count.
 */
export const GUIDANCE_MINUTES = 30;

export interface DatasetTotals {
  clips: number;
  /** Clips that will be exported (not rejected). */
  usable: number;
  reviewed: number;
  speechMinutes: number;
  /** Of the speech minutes, those in reviewed clips. */
  reviewedMinutes: number;
  /** speechMinutes / GUIDANCE_MINUTES, capped at 1. */
  guidanceFraction: number;
}

export function speechSeconds(c: ClipRecord): number {
  return Math.max(0, c.sourceEnd - c.sourceStart);
}

export function datasetTotals(clips: readonly ClipRecord[]): DatasetTotals {
  let usable = 0;
  let reviewed = 0;
  let speech = 0;
  let reviewedSpeech = 0;
  for (const c of clips) {
    if (c.status === 'rejected') continue;
    usable++;
    const s = speechSeconds(c);
    speech += s;
    if (c.status === 'reviewed') {
      reviewed++;
      reviewedSpeech += s;
    }
  }
  const speechMinutes = speech / 60;
  return {
    clips: clips.length,
    usable,
    reviewed,
    speechMinutes,
    reviewedMinutes: reviewedSpeech / 60,
    guidanceFraction: Math.min(1, speechMinutes / GUIDANCE_MINUTES),
  };
}

export interface Histogram {
  /** Bin edges in seconds, length bins+1. */
  edges: number[];
  counts: number[];
  max: number;
}

/**
 * Histogram of rendered clip durations with `binSeconds`-wide bins from 0 to the longest clip
 * (at least `minRange` seconds, so a typical 1–12 s dataset reads the same across projects).
 */
export function durationHistogram(clips: readonly ClipRecord[], binSeconds = 1, minRange = 15): Histogram {
  if (!(binSeconds > 0)) throw new RangeError(`binSeconds must be > 0 (got ${binSeconds})`);
  let longest = 0;
  for (const c of clips) longest = Math.max(longest, c.durationSeconds);
  const bins = Math.max(1, Math.ceil(Math.max(minRange, longest + 1e-9) / binSeconds));
  const counts = new Array<number>(bins).fill(0);
  for (const c of clips) counts[Math.min(bins - 1, Math.floor(c.durationSeconds / binSeconds))]++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * binSeconds);
  return { edges, counts, max: Math.max(0, ...counts) };
}

