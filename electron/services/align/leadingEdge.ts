import type { Span } from '../../../shared/dsp/pauses';
import { bandedDtw, type BandedDtwPath, type Frames } from './bandedDtw';

/**
 * Where the first unit of the text starts when the recording has speech before it (a sentence
 * the text lacks, a slate). The DTW's open begin pays a fixed price per real frame it leaves out,
 * so it can rather stretch the first unit over the end of the extra speech than skip all of it.
 * Here each speech-run start from the path's estimate up to the unit's end is tried: the unit's
 * synthetic frames are warped onto the real audio from that start to the unit's end (anchored at
 * both ends) and the start whose normalized cost is clearly lowest wins. Only called when speech
 * before the first unit was found (unmatched speech), so recordings that start with the text are
 * aligned exactly as before.
 */
export interface LeadingEdgeInput {
  synth: Frames;
  /** The first unit's synthetic speech frames [unitFrom, unitTo). */
  unitFrom: number;
  unitTo: number;
  real: Frames;
  /** Seconds per feature frame. */
  hop: number;
  runs: Span[];
  /** Index of the speech run the path's estimate starts the unit in. */
  firstRun: number;
  /** Where the unit's speech ends (s), per the path. */
  end: number;
}

export interface LeadingEdge {
  /** The speech run the unit starts with. */
  run: number;
  /** The warping of the unit from that start (absolute real frames), to replace the block's. */
  path: BandedDtwPath;
}

/** A later start must cost this much less (normalized) than the path's own to replace it. */
const BETTER = 0.9;
/** Shortest real speech (s) left to the unit by a candidate start. */
const MIN_UNIT_SECONDS = 0.3;
const MAX_CANDIDATES = 12;

export function refineLeadingEdge(inp: LeadingEdgeInput): LeadingEdge | null {
  const { synth, unitFrom, unitTo, real, hop, runs, firstRun, end } = inp;
  const n = unitTo - unitFrom;
  if (n < 2) return null;
  const r1 = Math.min(real.frames, Math.round(end / hop) + 1);
  const warp = (run: number): BandedDtwPath | null => {
    const r0 = Math.max(0, Math.round(runs[run]!.start / hop));
    const m = r1 - r0;
    if (m < 2) return null;
    const slope = m / n;
    // Wide enough for any warp within 2× of the straight line.
    const radius = Math.max(25, Math.ceil(0.5 * m));
    return bandedDtw({ synth, s0: unitFrom, s1: unitTo, real, r0, r1, slope, radius, closedEnd: true });
  };
  const own = warp(firstRun);
  if (!own) return null;
  let best: LeadingEdge | null = null;
  let bestCost = own.cost * BETTER;
  for (let i = firstRun + 1; i < runs.length && i <= firstRun + MAX_CANDIDATES; i++) {
    if (runs[i]!.start > end - MIN_UNIT_SECONDS) break;
    const p = warp(i);
    if (p && p.cost < bestCost) {
      bestCost = p.cost;
      best = { run: i, path: p };
    }
  }
  return best;
}
