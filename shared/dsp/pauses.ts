/**
 * Speech/silence segmentation of a recording from its per-frame RMS levels (pure TypeScript).
 *
 *  - `silenceThresholdDb`: adaptive threshold (recordings differ by tens of dB in level and noise).
 *  - `speechRuns`: frames above the threshold, gaps shorter than a pause filled, isolated clicks dropped.
 *  - `detectPauses` / `speechBounds`: the pauses between speech and the span of all speech.
 *  - `planSegments`: cuts a long recording at pauses into clips between min and max length,
 *    preferring long pauses and clips near the middle of the range (dynamic programming). Where
 *    speech runs longer than the maximum without any pause, it cuts at the quietest frame and says so.
 * Everything here works on frames (10 ms by default), so a 2-hour recording is ~720k numbers.
 */
import { DB_FLOOR, frameHopSeconds, frameRmsDb, quantile } from './levels';

export interface SegmentationOptions {
  /** Upper bound for the silence threshold (dBFS); the adaptive threshold never exceeds it. */
  silenceThresholdDb: number;
  minPauseSeconds: number;
  minClipSeconds: number;
  maxClipSeconds: number;
  /** Audio kept before the first and after the last speech frame of a clip (soft onsets, breath). */
  marginSeconds?: number;
  /** Speech runs shorter than this with silence around them are clicks, not speech. */
  minSpeechSeconds?: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface PlannedSegment extends Span {
  /** True when the segment ends at a cut inside speech (no pause within the maximum length). */
  forcedCut: boolean;
}

/**
 * Silence threshold for one recording: 25 dB below its speech level (95th percentile of frame
 * levels, digital silence ignored), but at least 6 dB above its noise floor (5th percentile,
 * digital silence included) and never above `ceilingDb` (the project's silenceThresholdDb)
 * unless the noise floor itself is above it; and always at least 15 dB below the speech level.
 */
export function silenceThresholdDb(frameDb: ArrayLike<number>, ceilingDb: number): number {
  const speech = quantile(frameDb, 0.95, DB_FLOOR);
  const noise = quantile(frameDb, 0.05);
  if (speech == null || noise == null) return ceilingDb;
  // Never closer than 15 dB to the speech level: a recording with almost no silence (its 5th
  // percentile is quiet speech, not noise) must not lose its speech to the noise estimate.
  return Math.min(speech - 15, Math.max(noise + 6, Math.min(ceilingDb, speech - 25)));
}

/** Speech runs in frame indices [start, end) after gap filling and click removal. */
export function speechRuns(frameDb: ArrayLike<number>, hopSeconds: number, opts: SegmentationOptions, thresholdDb?: number): Span[] {
  const thr = thresholdDb ?? silenceThresholdDb(frameDb, opts.silenceThresholdDb);
  const runs: Span[] = [];
  let start = -1;
  for (let i = 0; i < frameDb.length; i++) {
    const speech = frameDb[i] > thr;
    if (speech && start < 0) start = i;
    else if (!speech && start >= 0) {
      runs.push({ start, end: i });
      start = -1;
    }
  }
  if (start >= 0) runs.push({ start, end: frameDb.length });
  // Fill gaps too short to be pauses (stop closures, short dips inside words).
  const minGap = Math.max(1, Math.round(opts.minPauseSeconds / hopSeconds));
  const filled: Span[] = [];
  for (const r of runs) {
    const last = filled[filled.length - 1];
    if (last && r.start - last.end < minGap) last.end = r.end;
    else filled.push({ ...r });
  }
  const minSpeech = Math.max(1, Math.round((opts.minSpeechSeconds ?? 0.05) / hopSeconds));
  return filled.filter((r) => r.end - r.start >= minSpeech);
}

/** Pauses (seconds) between speech runs of a signal. */
export function detectPauses(samples: Float32Array, sampleRate: number, opts: SegmentationOptions, requestedHop = 0.01): Span[] {
  const hopSeconds = frameHopSeconds(sampleRate, requestedHop);
  const runs = speechRuns(frameRmsDb(samples, sampleRate, requestedHop), hopSeconds, opts);
  const pauses: Span[] = [];
  for (let i = 1; i < runs.length; i++) pauses.push({ start: runs[i - 1].end * hopSeconds, end: runs[i].start * hopSeconds });
  return pauses;
}

/** First and last speech (seconds) of a signal, or null when it holds no speech. */
export function speechBounds(samples: Float32Array, sampleRate: number, opts: SegmentationOptions, requestedHop = 0.01): Span | null {
  const hopSeconds = frameHopSeconds(sampleRate, requestedHop);
  const runs = speechRuns(frameRmsDb(samples, sampleRate, requestedHop), hopSeconds, opts);
  if (!runs.length) return null;
  return { start: runs[0].start * hopSeconds, end: Math.min(samples.length / sampleRate, runs[runs.length - 1].end * hopSeconds) };
}

/**
 * Splits runs longer than `maxFrames` at their quietest frame (searched in the middle part so
 * both pieces stay reasonable) until every run fits. Returns the runs and the forced cut frames.
 */
function splitOverlongRuns(runs: Span[], frameDb: ArrayLike<number>, maxFrames: number): { runs: Span[]; forced: Set<number> } {
  const out: Span[] = [];
  const forced = new Set<number>();
  const stack = [...runs].reverse();
  while (stack.length) {
    const r = stack.pop()!;
    const len = r.end - r.start;
    if (len <= maxFrames) {
      out.push(r);
      continue;
    }
    // Look for the quietest frame in the window that leaves the left piece between 1/3 and 1 of max.
    const lo = r.start + Math.max(1, Math.floor(Math.min(maxFrames / 3, len / 2)));
    const hi = Math.min(r.end - 1, r.start + maxFrames);
    let cut = lo;
    for (let i = lo; i <= hi; i++) if (frameDb[i] < frameDb[cut]) cut = i;
    forced.add(cut);
    stack.push({ start: cut, end: r.end }, { start: r.start, end: cut }); // left piece on top: processed first
  }
  return { runs: out, forced };
}

/**
 * Plans the clips of a recording: returns regions (seconds) covering its speech, each clip
 * trimmed to its speech plus a margin (never reaching past the middle of the neighbouring pause).
 * `totalFrames` × `hopSeconds` is the recording's length.
 */
export function planSegments(frameDb: ArrayLike<number>, hopSeconds: number, durationSeconds: number, opts: SegmentationOptions): PlannedSegment[] {
  const margin = opts.marginSeconds ?? 0.08;
  const marginFrames = Math.round(margin / hopSeconds);
  const maxFrames = Math.floor(opts.maxClipSeconds / hopSeconds) - 2 * marginFrames;
  const minFrames = Math.ceil(opts.minClipSeconds / hopSeconds);
  const initial = speechRuns(frameDb, hopSeconds, opts);
  if (!initial.length) return [];
  const { runs, forced } = splitOverlongRuns(initial, frameDb, Math.max(1, maxFrames));
  const R = runs.length;

  // Segment = runs[i..j]; its speech span is runs[i].start .. runs[j].end.
  const target = Math.min(opts.maxClipSeconds, Math.max(opts.minClipSeconds, (opts.minClipSeconds + opts.maxClipSeconds) / 2)) / hopSeconds;
  const segCost = (i: number, j: number): number => {
    const len = runs[j].end - runs[i].start + 2 * marginFrames;
    const d = (len - target) / target;
    let c = 0.5 * d * d;
    if (len < minFrames) c += 100; // allowed only when nothing else is possible
    return c;
  };
  // Cutting after run j: cheap at long pauses, expensive at short ones, very expensive at forced cuts.
  const cutCost = (j: number): number => {
    if (j === R - 1) return 0;
    const gap = (runs[j + 1].start - runs[j].end) * hopSeconds;
    if (forced.has(runs[j].end) && gap === 0) return 20;
    return 0.3 / (gap + 0.05);
  };
  // best[j] = minimal cost of segmenting runs[0..j] with a cut after j.
  const best = new Float64Array(R).fill(Infinity);
  const from = new Int32Array(R).fill(-1);
  for (let j = 0; j < R; j++) {
    for (let i = j; i >= 0; i--) {
      if (runs[j].end - runs[i].start > maxFrames && i < j) break;
      const prev = i === 0 ? 0 : best[i - 1];
      if (!Number.isFinite(prev)) continue;
      const c = prev + segCost(i, j) + cutCost(j);
      if (c < best[j]) {
        best[j] = c;
        from[j] = i;
      }
    }
  }
  const groups: Span[] = [];
  for (let j = R - 1; j >= 0; ) {
    const i = from[j];
    groups.push({ start: i, end: j });
    j = i - 1;
  }
  groups.reverse();

  const totalFrames = Math.round(durationSeconds / hopSeconds);
  return groups.map(({ start: i, end: j }) => {
    const prevEnd = i > 0 ? runs[i - 1].end : 0;
    const nextStart = j < R - 1 ? runs[j + 1].start : totalFrames;
    const startLimit = i > 0 ? (prevEnd + runs[i].start) / 2 : 0;
    const endLimit = j < R - 1 ? (runs[j].end + nextStart) / 2 : totalFrames;
    const s = Math.max(startLimit, runs[i].start - marginFrames);
    const e = Math.min(endLimit, runs[j].end + marginFrames);
    const forcedCut = (j < R - 1 && forced.has(runs[j].end) && runs[j + 1].start === runs[j].end) || (i > 0 && forced.has(runs[i].start) && runs[i - 1].end === runs[i].start);
    return { start: s * hopSeconds, end: Math.min(durationSeconds, e * hopSeconds), forcedCut };
  });
}
