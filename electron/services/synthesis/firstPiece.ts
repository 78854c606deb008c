import type { Mel } from './acousticModel';

/**
 * Time to first audio: a first chunk longer than a couple of seconds is vocoded in pieces that grow
 * (about 1 s, then ×3 each: 1 s, 3 s, 9 s…), each released as soon as it is done, so the first second
 * plays while the rest is computed, and each piece is ready before the one before it has finished
 * playing as long as the vocoder runs faster than a third of real time (Griffin-Lim's cost grows
 * with the mel's length; the acoustic model's is small). Cuts go at the quietest frame of their
 * window (a pause between words where there is one); neighbouring pieces share `overlapFrames`
 * frames on each side of a cut, so the cross-fade there (AudioJoiner's, 10 ms) joins two
 * reconstructions that are each well inside their own mel.
 */
export interface PieceOptions {
  /** Window of the first cut, in seconds (default 0.5–1). */
  minSeconds?: number;
  maxSeconds?: number;
  /** Each piece at most this many times the one before (default 3). */
  growth?: number;
  /** Chunks shorter than this are vocoded whole (default 2 s). */
  minChunkSeconds?: number;
  overlapFrames?: number;
}

/** Frames at which the pieces meet (ascending; empty: vocode the chunk whole). */
export function pieceCuts(mel: Mel, framesPerSecond: number, opts: PieceOptions = {}): number[] {
  const k = opts.overlapFrames ?? 4;
  const growth = opts.growth ?? 3;
  if (mel.frames < (opts.minChunkSeconds ?? 2) * framesPerSecond) return [];
  const cuts: number[] = [];
  let prev = 0, lastLen = 0;
  let lo = Math.max(2 * k + 1, Math.round((opts.minSeconds ?? 0.5) * framesPerSecond));
  let hi = Math.round((opts.maxSeconds ?? 1) * framesPerSecond);
  for (;;) {
    hi = Math.min(hi, mel.frames - 2 * k - 1); // room for the overlap, and a piece after the cut
    if (hi < lo) break;
    if (cuts.length && mel.frames - prev <= growth * lastLen) break; // the rest fits in one piece
    const cut = quietestFrame(mel, lo, hi);
    cuts.push(cut);
    lastLen = cut - prev;
    prev = cut;
    lo = cut + Math.max(2 * k + 1, Math.round(0.75 * growth * lastLen));
    hi = cut + growth * lastLen;
  }
  return cuts;
}

/** The frame whose mel values are lowest on average (log-compressed: the same order for ln and dB presets). */
function quietestFrame(mel: Mel, lo: number, hi: number): number {
  let best = lo, bestLevel = Infinity;
  for (let t = lo; t <= hi; t++) {
    let s = 0;
    for (let m = 0; m < mel.nMels; m++) s += mel.data[m * mel.frames + t];
    if (s < bestLevel) {
      bestLevel = s;
      best = t;
    }
  }
  return best;
}

/** Frames [a, b) of a row-major [nMels][frames] mel. */
export function sliceMel(mel: Mel, a: number, b: number): Mel {
  const frames = b - a;
  const data = new Float32Array(mel.nMels * frames);
  for (let m = 0; m < mel.nMels; m++) data.set(mel.data.subarray(m * mel.frames + a, m * mel.frames + b), m * frames);
  return { nMels: mel.nMels, frames, data };
}
