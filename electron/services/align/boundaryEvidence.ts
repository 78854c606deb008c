import type { Span } from '../../../shared/dsp/pauses';
import type { Frames } from './bandedDtw';

/**
 * The second pass at each sentence boundary: which real pause does the *text* put it in?
 *
 * The blockwise DTW maps a synthetic silence (the junction between two units) onto the real audio,
 * but a short sentence pause (0.1 s in continuous reading) and a comma pause one word away look the
 * same to it, and the old choice then preferred the longer pause. Here the last words of the
 * sentence before, the junction, and the first words of the sentence after (≈ 2 s of espeak-ng
 * speech each side) are warped again onto the real audio around the boundary, once forward and
 * once backward, so that for every real frame j we know the cost of the best path that puts the
 * junction at j (forward cost to (junction, j) + backward cost from it). A hypothesis "the
 * boundary is in pause p" costs the lowest such value inside p. Moving a boundary by one word
 * forces that word's synthetic frames onto the wrong sentence's audio, which costs many frames of
 * mismatch; the margin between the best pause and the next best is what the confidence reads.
 *
 * Steps that hold one side still pay STEP_PENALTY, so moving the junction by a word cannot hide
 * that word by piling it onto a single frame.
 *
 * Both ends of the window are soft: the path may start or end up to `SOFT_FRAMES` real frames away
 * from where the first pass put them, at `SKIP_COST` per frame, so that a first-pass error at the
 * window's edge does not decide the boundary.
 */
export interface BoundaryWindow {
  /** Synthetic frames [s0, s1) and the junction frame inside (the middle of the synthetic gap). */
  s0: number;
  sj: number;
  s1: number;
  /** Real frames the first pass put at s0 and at s1 − 1. */
  r0: number;
  r1: number;
}

export interface BoundaryEvidence {
  /** First real frame of `through`. */
  from: number;
  /** Per real frame from `from`: cost of the best path with the junction there (Infinity where impossible). */
  through: Float64Array;
  /** Typical local distance of this window's path (cost units per frame), to express margins in frames. */
  perFrame: number;
}

const SOFT_FRAMES = 15;
const SKIP_COST = 2.5;
/**
 * Extra cost of a step that advances only one side (a synthetic frame held over several real ones or
 * the reverse). Without it a path could squeeze a whole word onto one frame of the other side for
 * the price of a few frames of mismatch, which is how a boundary one word off came within 1–2 frames
 * of the right one. Measured on bench:align (lj-continuous, lj-sox, espeak-voices): 0 → 5 boundaries
 * outside the true pause, 1 → 2, 2 → 0, 3 → 0 (margins of right boundaries: median 13.5 → 26 frames).
 */
const STEP_PENALTY = 2;

/** Frames `idx` of `f`, packed row-major. */
function pick(f: Frames, idx: number[]): Float32Array {
  const out = new Float32Array(idx.length * f.dim);
  idx.forEach((t, i) => out.set(f.data.subarray(t * f.dim, (t + 1) * f.dim), i * f.dim));
  return out;
}

/** Accumulated symmetric2 DTW cost of rows sd[0..n) against rd[0..m) (dim each), soft start; returns row `want`. */
function forwardRow(sd: Float32Array, n: number, rd: Float32Array, m: number, dim: number, want: number, soft: number): Float64Array {
  let prev = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m).fill(Infinity);
  let row = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const so = i * dim;
    for (let j = 0; j < m; j++) {
      const ro = j * dim;
      let d = 0;
      for (let k = 0; k < dim; k++) {
        const x = sd[so + k]! - rd[ro + k]!;
        d += x * x;
      }
      d = Math.sqrt(d);
      let best = Infinity;
      if (i === 0) {
        // Soft start: the path may begin at any of the first 2·soft frames, paying for the distance from the centre.
        if (j <= 2 * soft) best = SKIP_COST * Math.abs(j - soft) + d;
        if (j > 0 && cur[j - 1]! + d < best) best = cur[j - 1]! + d;
      } else {
        const diag = j > 0 ? prev[j - 1]! + 2 * d : Infinity;
        const up = prev[j]! + d + STEP_PENALTY;
        const left = j > 0 ? cur[j - 1]! + d + STEP_PENALTY : Infinity;
        best = Math.min(diag, up, left);
      }
      cur[j] = best;
    }
    if (i === want) row = cur.slice();
    const t = prev;
    prev = cur;
    cur = t;
  }
  return row;
}

/** Cost of the best path through (junction, j) for every real frame j of the window. */
export function boundaryEvidence(synth: Frames, real: Frames, w: BoundaryWindow): BoundaryEvidence | null {
  const from = Math.max(0, w.r0 - SOFT_FRAMES);
  const to = Math.min(real.frames, w.r1 + SOFT_FRAMES + 1);
  if (w.sj <= w.s0 || w.sj >= w.s1 - 1) return null;
  const rows: number[] = [];
  for (let s = w.s0; s < w.s1; s++) rows.push(s);
  const n = rows.length;
  const m = to - from;
  if (n < 3 || m < 3) return null;
  const jRow = rows.indexOf(w.sj);
  const softA = w.r0 - from;
  const softB = to - 1 - w.r1;
  const realIdx = Array.from({ length: m }, (_, j) => from + j);
  const dim = synth.dim;
  const fwdRow = forwardRow(pick(synth, rows), n, pick(real, realIdx), m, dim, jRow, softA);
  const bwdRow = forwardRow(pick(synth, [...rows].reverse()), n, pick(real, realIdx.reverse()), m, dim, n - 1 - jRow, softB);
  // Soft end of the forward pass is the backward pass's soft start, and vice versa: both are in the sum.
  const through = new Float64Array(m);
  let best = Infinity;
  for (let j = 0; j < m; j++) {
    through[j] = fwdRow[j]! + bwdRow[m - 1 - j]!;
    if (through[j]! < best) best = through[j]!;
  }
  return { from, through, perFrame: best / (n + m) };
}

/** The lowest through-cost inside [a, b] seconds (frames of `hop`), or Infinity when the span is outside the window. */
export function costIn(e: BoundaryEvidence, a: number, b: number, hop: number): number {
  const j0 = Math.max(e.from, Math.floor(a / hop));
  const j1 = Math.min(e.from + e.through.length - 1, Math.ceil(b / hop));
  let best = Infinity;
  for (let j = j0; j <= j1; j++) best = Math.min(best, e.through[j - e.from]!);
  return best;
}

/** Pauses between speech runs as candidates: at least `minSeconds` long. */
export function candidatePauses(runs: Span[], minSeconds: number): Span[] {
  const out: Span[] = [];
  for (let i = 1; i < runs.length; i++) if (runs[i]!.start - runs[i - 1]!.end >= minSeconds - 1e-9) out.push({ start: runs[i - 1]!.end, end: runs[i]!.start });
  return out;
}
