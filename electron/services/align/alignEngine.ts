import { ServiceError } from '../../../shared/contract/rpc';
import { speechRuns, type Span } from '../../../shared/dsp/pauses';
import { bandedDtw, type Frames } from './bandedDtw';
import { median, reviewReasons, segmentConfidence, type BoundaryDoubt } from './confidence';
import { ESPEAK_SAMPLE_RATE, synthesizeTexts, type EspeakOptions } from './espeakSynth';
import { FEATURE_HOP_SECONDS, cepstra, concatFrames, normalizeFrames } from './features';
import { featuresOfSamples, type RecordingFeatures } from './recordingFeatures';
import { chooseBoundaries, quietestPoint, snapBoundaries, type Boundary, type JunctionEvidence } from './snapToPauses';
import { boundaryEvidence, candidatePauses, costIn, type BoundaryEvidence } from './boundaryEvidence';
import { splitUnit, type TextUnit } from './transcriptUnits';
import { refineLeadingEdge } from './leadingEdge';
import { MIN_UNMATCHED_SPEECH_SECONDS, speechSecondsIn, unmatchedSpeech, type UnmatchedSpeech } from './unmatchedSpeech';

/**
 * The aligner: synthesize every text unit with espeak-ng, turn both the synthetic and the real
 * audio into MFCC frames, warp one onto the other with DTW in overlapping blocks (memory bounded
 * by the block, not the recording), read each unit's boundary off the warping path, snap it into
 * the nearest real pause and score every segment.
 */
export interface AlignEngineOptions extends EspeakOptions {
  /** Frames quieter than this (dBFS ceiling of the adaptive threshold) are silence. */
  silenceThresholdDb?: number;
  /** Shortest pause (s) considered a boundary candidate. */
  minPauseSeconds?: number;
  /** Seconds of synthetic audio per DTW block (the first half of each block is committed). */
  blockSeconds?: number;
  /** How far (s) the real audio may run ahead of or behind the expected position inside a block. */
  bandSeconds?: number;
  /** Units expected to run longer than this (s) are split into phrases (the project's maxClipSeconds). */
  maxUnitSeconds?: number;
  /** Boundaries placed by a person (s, one per junction; null: let the aligner choose): kept, and scored like its own. */
  fixedCuts?: (number | null)[];
  /** 'joint' (default): all boundaries chosen together, durations included; 'nearest': each snapped to its nearest pause. */
  pauseChoice?: 'joint' | 'nearest';
  onProgress?: (fraction: number, message: string) => void;
  signal?: AbortSignal;
}

export interface EngineSegment extends TextUnit {
  index: number;
  /** Speech edges (s) in the recording; equal when the text was not found in the audio. */
  start: number;
  end: number;
  /** The cut points (s) in the pauses around the segment: the clip's region before trimming. */
  cutStart: number;
  cutEnd: number;
  confidence: number;
  /** Why the confidence is low: 'not-in-audio', 'duration', 'mismatch', 'no-pause-start', 'no-pause-end', 'uncertain-start', 'uncertain-end'. */
  flags: string[];
  /** The flags in plain words (what to listen for). */
  reasons: string[];
  /** Second-pass evidence at the segment's end boundary (none for the last segment). */
  endDoubt?: BoundaryDoubt | null;
}

export interface EngineResult {
  durationSeconds: number;
  segments: EngineSegment[];
  /** Speech before the first or after the last aligned segment: in no clip, listed for review. */
  unmatchedSpeech: UnmatchedSpeech[];
  /** Real seconds per synthetic second, the speaker's tempo against espeak's. */
  tempo: number;
  timings: { synthesisSeconds: number; featuresSeconds: number; dtwSeconds: number };
}

/** Synthetic silence put between units (s): DTW maps it onto the real pause. */
const GAP_SECONDS = 0.3;
/** Cost per real frame left out before the first unit (open begin); a good match costs ~2–3 per frame. */
const SKIP_COST = 4;
/** Cost per real frame of speech left out after the path's end (last block): the open end's price. */
const END_SKIP_COST = 4;
/** A first unit this many times longer than expected may have swallowed speech before the text (its duration flag fires at ~1.6). */
const FIRST_UNIT_TOO_LONG = 1.6;
/**
 * Shortest gap (s) that can be a sentence boundary: continuous reading leaves 0.1 s between
 * sentences, some readers less. The second pass tells a sentence gap from a stop or a comma, so
 * short gaps cost little (bench:align, 0.04–0.12 s pauses: 0.06 → 0.03 s put 82 % → 90 % of
 * boundaries in the true pause; the other conditions stayed at 100 %).
 */
const BOUNDARY_PAUSE_SECONDS = 0.03;
/** Synthetic speech (s) on each side of a junction that the second pass re-aligns. */
const EVIDENCE_CONTEXT_SECONDS = 2;

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Aligns samples held in memory (tests, benchmarks); the service streams features instead (`alignFeatures`). */
export async function alignSpeech(samples: Float32Array, sampleRate: number, unitsIn: TextUnit[], opts: AlignEngineOptions = {}): Promise<EngineResult> {
  if (!unitsIn.length) throw new ServiceError('empty-transcript', 'The transcript has no sentences to align.');
  const t0 = performance.now();
  const features = await featuresOfSamples(samples, sampleRate, opts.signal);
  const r = await alignFeatures(features, unitsIn, opts);
  r.timings.featuresSeconds += (performance.now() - t0) / 1000;
  return r;
}

/** Aligns a recording given by its features (levels + MFCC frames; see recordingFeatures.ts); its cepstra are normalized in place. */
export async function alignFeatures(features: RecordingFeatures, unitsIn: TextUnit[], opts: AlignEngineOptions = {}): Promise<EngineResult> {
  if (!unitsIn.length) throw new ServiceError('empty-transcript', 'The transcript has no sentences to align.');
  const duration = features.durationSeconds;
  const progress = opts.onProgress ?? (() => undefined);
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new ServiceError('cancelled', 'alignment cancelled');
  };
  const segOpts = {
    silenceThresholdDb: opts.silenceThresholdDb ?? -40,
    minPauseSeconds: opts.minPauseSeconds ?? 0.15,
    minClipSeconds: 0,
    maxClipSeconds: Infinity,
  };

  // 1. Real audio: speech runs (10 ms levels) and MFCC frames, both computed as the audio streamed past.
  const t0 = performance.now();
  const hopLevel = features.levelHopSeconds; // whole samples per frame (221 at 22050 Hz), not 0.01 s
  const toSeconds = (r: Span) => ({ start: r.start * hopLevel, end: Math.min(duration, r.end * hopLevel) });
  const runs = speechRuns(features.levelDb, hopLevel, segOpts).map(toSeconds);
  // Finer runs for where sentences meet: a 0.1 s gap between sentences is a boundary candidate (and
  // speech edges are read from these), while the coarse runs above keep their job (tempo, unmatched speech).
  const fineRuns = speechRuns(features.levelDb, hopLevel, { ...segOpts, minPauseSeconds: Math.min(segOpts.minPauseSeconds, BOUNDARY_PAUSE_SECONDS) }).map(toSeconds);
  if (!runs.length) throw new ServiceError('no-speech', 'The recording holds no speech (it is silent or far below the silence threshold).');
  // Normalized in place (no second copy of a long recording's frames): the features are used up.
  const real = normalizeFrames(features.cepstra);
  checkCancel();
  const tFeat = performance.now() - t0;
  progress(0.1, 'analysed the recording');
  await tick();

  // 2. Synthetic audio, one piece per unit, joined by short silences.
  const t1 = performance.now();
  const espeak = { voice: opts.voice, wordsPerMinute: opts.wordsPerMinute, signal: opts.signal };
  let units = unitsIn;
  // Each batch of synthetic audio becomes frames at once and is dropped: a 2-hour transcript's
  // synthetic audio (~500 MB as floats) is never held, only its frames (~20 MB).
  const gapSamples = Math.round((GAP_SECONDS / 2) * ESPEAK_SAMPLE_RATE);
  const dither = lcg(1);
  const frameUnit = (piece: Float32Array): Frames => {
    const audio = new Float32Array(gapSamples * 2 + piece.length);
    audio.set(piece, gapSamples);
    // Tiny noise keeps espeak's digital silence from being an outlier the real audio never matches.
    for (let i = 0; i < audio.length; i++) audio[i] = audio[i]! + (dither() - 0.5) * 2e-4;
    return cepstra(audio, ESPEAK_SAMPLE_RATE);
  };
  const synthesizeUnits = async (list: TextUnit[], report: boolean) => {
    const frames: Frames[] = new Array(list.length);
    const seconds: number[] = new Array(list.length);
    await synthesizeTexts(
      list.map((u) => u.text),
      {
        ...espeak,
        onPieces: (ps, at) =>
          ps.forEach((pc, i) => {
            frames[at + i] = frameUnit(pc);
            seconds[at + i] = pc.length / ESPEAK_SAMPLE_RATE;
          }),
        onProgress: report ? (done) => progress(0.1 + (0.4 * done) / list.length, `synthesized ${done}/${list.length} sentences`) : undefined,
      },
    );
    return { frames, seconds };
  };
  let { frames: unitFrames, seconds: synthSeconds } = await synthesizeUnits(units, true);
  // Speaking tempo against espeak: real speech time over synthetic speech time (pauses excluded).
  const synthTotal = synthSeconds.reduce((x, y) => x + y, 0);
  const realSpeechSeconds = runs.reduce((x, r) => x + r.end - r.start, 0);
  const rawTempo = realSpeechSeconds / Math.max(0.1, synthTotal);
  // People read at 0.6–1.8× espeak's pace; far outside that, text and audio do not belong together.
  if (rawTempo > 3 || rawTempo < 1 / 3)
    throw new ServiceError(
      'mismatch',
      `The recording holds ${realSpeechSeconds.toFixed(0)} s of speech but the transcript reads in about ${synthTotal.toFixed(0)} s: ` +
        `${rawTempo > 3 ? 'most of the recording is not in the transcript' : 'most of the transcript is not in the recording'}. Check that they belong together.`,
    );
  const speechTempo = Math.max(0.25, Math.min(4, rawTempo));
  // Sentences the speaker will take longer than a clip may be to say: split into phrases, synthesize those.
  const maxUnit = opts.maxUnitSeconds ?? Infinity;
  const tooLong = units.map((_, k) => synthSeconds[k]! * speechTempo > maxUnit * 0.9);
  if (tooLong.some(Boolean)) {
    const nextUnits: TextUnit[] = [];
    const keep: (number | null)[] = [];
    units.forEach((u, k) => {
      const parts = tooLong[k] ? splitUnit(u, (u.text.length * maxUnit * 0.75) / (synthSeconds[k]! * speechTempo)) : [u];
      for (const p of parts) {
        nextUnits.push(p);
        keep.push(parts.length === 1 ? k : null);
      }
    });
    const todo = nextUnits.filter((_, i) => keep[i] == null);
    const made = await synthesizeUnits(todo, false);
    let m = 0;
    const nf: Frames[] = [];
    const ns: number[] = [];
    keep.forEach((k) => {
      if (k != null) {
        nf.push(unitFrames[k]!);
        ns.push(synthSeconds[k]!);
      } else {
        nf.push(made.frames[m]!);
        ns.push(made.seconds[m++]!);
      }
    });
    unitFrames = nf;
    synthSeconds = ns;
    units = nextUnits;
  }
  const tSynth = performance.now() - t1;
  const t2 = performance.now();
  /** Synthetic frame ranges: unit k's speech is [unitFrom[k], unitTo[k]). */
  const unitFrom: number[] = [];
  const unitTo: number[] = [];
  let at = 0;
  const lead = Math.round(gapSamples / ESPEAK_SAMPLE_RATE / FEATURE_HOP_SECONDS);
  for (const f of unitFrames) {
    unitFrom.push(at + lead);
    unitTo.push(at + Math.max(lead, f.frames - lead));
    at += f.frames;
  }
  const parts = unitFrames;
  const synth = normalizeFrames(concatFrames(parts, parts[0]!.dim));
  const tFeat2 = performance.now() - t2;
  progress(0.55, 'synthesized the transcript');
  await tick();

  // 3. Blockwise DTW from the first speech to the end.
  const t3 = performance.now();
  const hop = FEATURE_HOP_SECONDS;
  const speechStart = runs[0]!.start;
  const speechEnd = runs[runs.length - 1]!.end;
  const synthSpeechFrames = unitTo[unitTo.length - 1]! - unitFrom[0]!;
  const tempo = Math.max(0.25, Math.min(4, (speechEnd - speechStart) / hop / Math.max(1, synthSpeechFrames)));
  const realFrom = new Int32Array(synth.frames).fill(-1);
  const realTo = new Int32Array(synth.frames).fill(-1);
  const rowCost = new Float32Array(synth.frames);
  const blockFrames = Math.round((opts.blockSeconds ?? 60) / hop);
  const radius = Math.round((opts.bandSeconds ?? 15) / hop);
  let s0 = 0;
  let r0 = Math.max(0, Math.floor((speechStart - GAP_SECONDS / 2) / hop));
  // Junction frames: the middle of the synthetic gap between unit k-1 and k.
  const junctions = unitFrom.slice(1).map((f, k) => Math.round((unitTo[k]! + f) / 2));
  let nextJunction = 0;
  while (s0 < synth.frames) {
    checkCancel();
    // A block spans at least two junctions past its start, so every block commits one.
    let s1 = Math.min(synth.frames, s0 + blockFrames);
    if (nextJunction + 1 < junctions.length) s1 = Math.max(s1, Math.min(synth.frames, junctions[nextJunction + 1]! + 1));
    const last = s1 === synth.frames;
    const r1 = Math.min(real.frames, r0 + Math.ceil((s1 - s0) * tempo + radius) + 1);
    if (r1 <= r0) break;
    // Open end even in the last block: trailing audio after the last sentence (applause, a sign-off) is left out,
    // but each frame of speech left out there costs END_SKIP_COST (an early end used to cut a sentence off).
    const p = bandedDtw({ synth, s0, s1, real, r0, r1, slope: tempo, radius, skipCost: s0 === 0 ? SKIP_COST : undefined, ...(last ? { endSpeech: speechMask(runs, r0, r1, hop), endSkipCost: END_SKIP_COST } : {}) });
    // Commit the first half (all of it in the last block); the next block restarts at the last committed junction.
    const limit = last ? s1 : s0 + Math.floor((s1 - s0) / 2);
    let commitTo = last ? s1 : -1;
    while (!last && nextJunction < junctions.length && junctions[nextJunction]! < limit) commitTo = junctions[nextJunction++]!;
    if (!last && commitTo < 0) commitTo = junctions[nextJunction++]!;
    for (let s = s0; s < commitTo; s++) {
      realFrom[s] = p.realFrom[s - s0]!;
      realTo[s] = p.realTo[s - s0]!;
      rowCost[s] = p.rowCost[s - s0]!;
    }
    if (last) break;
    r0 = p.realFrom[commitTo - s0]!;
    s0 = commitTo;
    progress(0.55 + 0.4 * (s0 / synth.frames), 'aligning');
    await tick();
  }
  const tDtw = performance.now() - t3;

  // 4. Boundaries: where the warping path put each junction, snapped into a real pause.
  const estimates: Boundary[] = [];
  const realSpan = (a: number, b: number): Span => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let s = a; s < b; s++) {
      if (realFrom[s]! < 0) continue;
      lo = Math.min(lo, realFrom[s]!);
      hi = Math.max(hi, realTo[s]! + 1);
    }
    if (!Number.isFinite(lo)) return { start: duration, end: duration };
    return { start: lo * hop, end: Math.min(duration, hi * hop) };
  };
  for (let k = 0; k < junctions.length; k++) estimates.push(realSpan(unitTo[k]!, unitFrom[k + 1]!));
  let first = realSpan(unitFrom[0]!, unitFrom[0]! + 1).start;
  const lastEnd = realSpan(unitTo[unitTo.length - 1]! - 1, unitTo[unitTo.length - 1]!).end;
  // Expected speech duration of each unit: espeak's, scaled by the speaker's tempo.
  const expected = synthSeconds.map((x) => x * speechTempo);
  // Speech before the first unit that the text lacks: either the path left it out (speech before
  // the unit's start) or stretched the first unit over it (far longer than expected). Make sure
  // the unit does not begin inside it; recordings that start with the text are not touched.
  const firstEnd = units.length > 1 ? estimates[0]!.start : lastEnd;
  if (speechSecondsIn(runs, 0, leadingCut(first, runs)) > MIN_UNMATCHED_SPEECH_SECONDS || firstEnd - first > FIRST_UNIT_TOO_LONG * expected[0]!) {
    const u0 = unitFrom[0]!;
    const edge = refineLeadingEdge({ synth, unitFrom: u0, unitTo: unitTo[0]!, real, hop, runs, firstRun: nearestRunStart(runs, first), end: firstEnd });
    if (edge) {
      first = runs[edge.run]!.start;
      for (let s = u0; s < unitTo[0]!; s++) rowCost[s] = edge.path.rowCost[s - u0]!;
    }
  }
  const firstSpeech = runs[nearestRunStart(runs, first)]!.start;
  // The last unit keeps all of its speech: it ends where the speech run the path ended it in ends.
  const lastCut = trailingCut(lastEnd, fineRuns, duration);
  const lastSpeech = lastCut.speechEnd;

  // 5. Second pass per junction: the words around it warped again, every real frame scored as its place.
  const evs: (BoundaryEvidence | null)[] = junctions.map((sj, k) => {
    const ctx = Math.round(EVIDENCE_CONTEXT_SECONDS / hop);
    const s0 = Math.max(unitFrom[k]!, unitTo[k]! - ctx);
    const s1 = Math.min(unitTo[k + 1]!, unitFrom[k + 1]! + ctx);
    if (s1 <= s0 || realFrom[s0]! < 0 || realTo[s1 - 1]! < 0) return null;
    return boundaryEvidence(synth, real, { s0, sj, s1, r0: realFrom[s0]!, r1: realTo[s1 - 1]! });
  });
  const evidence: JunctionEvidence = {
    cost: (k, a, b) => {
      const e = evs[k];
      if (!e) return 0;
      let min = Infinity;
      for (const x of e.through) min = Math.min(min, x);
      return (costIn(e, a, b, hop) - min) / Math.max(1e-6, e.perFrame);
    },
    best: (k) => {
      const e = evs[k];
      if (!e) return null;
      let j = 0;
      for (let i = 1; i < e.through.length; i++) if (e.through[i]! < e.through[j]!) j = i;
      return (e.from + j) * hop;
    },
  };
  const pauses = candidatePauses(fineRuns, BOUNDARY_PAUSE_SECONDS);
  const cuts = opts.pauseChoice === 'nearest' ? snapBoundaries(estimates, runs, duration) : chooseBoundaries(estimates, runs, expected, firstSpeech, lastSpeech, evidence, pauses, opts.fixedCuts);
  // Each cut the aligner chose goes into the quiet part of its pause, not into a fading last word.
  cuts.forEach((c, k) => {
    if (c.pause && opts.fixedCuts?.[k] == null) c.cut = quietestPoint(features.levelDb, hopLevel, c.pause);
  });

  const doubt = (c: (typeof cuts)[number], k: number): BoundaryDoubt | null =>
    c.margin == null ? null : { excess: c.excess ?? 0, margin: c.margin, alternative: c.alternative ?? null, cut: c.cut, bestAt: evidence.best(k) };
  const scored = units.map((unit, k) => {
    const cutStart = k === 0 ? leadingCut(first, runs) : cuts[k - 1]!.cut;
    const cutEnd = k === units.length - 1 ? lastCut.cut : cuts[k]!.cut;
    const speech = speechWithin(fineRuns, cutStart, cutEnd);
    let cost = 0;
    let n = 0;
    for (let s = unitFrom[k]!; s < unitTo[k]!; s++) {
      cost += rowCost[s]!;
      n++;
    }
    return {
      ...unit,
      index: k,
      start: speech ? speech.start : cutStart,
      end: speech ? speech.end : cutStart,
      cutStart,
      cutEnd,
      confidence: 0,
      flags: [],
      _cost: n ? cost / n : 0,
      _expected: synthSeconds[k]! * speechTempo,
      _inPauseStart: k === 0 || cuts[k - 1]!.inPause,
      _inPauseEnd: k === units.length - 1 || cuts[k]!.inPause,
      _startDoubt: k === 0 ? null : doubt(cuts[k - 1]!, k - 1),
      _endDoubt: k === units.length - 1 ? null : doubt(cuts[k]!, k),
    };
  });
  const medianCost = median(scored.map((s) => s._cost));
  const segments: EngineSegment[] = scored.map((s) => {
    const { confidence, flags } = segmentConfidence(s, medianCost);
    const reasons = reviewReasons(flags, s);
    const { _cost, _expected, _inPauseStart, _inPauseEnd, _startDoubt, _endDoubt, ...rest } = s;
    void _cost; void _expected; void _inPauseStart; void _inPauseEnd; void _startDoubt;
    return { ...rest, confidence, flags, reasons, endDoubt: _endDoubt };
  });
  progress(1, 'aligned');
  return { durationSeconds: duration, segments, unmatchedSpeech: unmatchedSpeech(runs, segments, duration), tempo: speechTempo, timings: { synthesisSeconds: tSynth / 1000, featuresSeconds: (tFeat + tFeat2) / 1000, dtwSeconds: tDtw / 1000 } };
}

/** The start of the first unit: a point in the silence before the speech run it begins. */
function leadingCut(estimate: number, runs: Span[]): number {
  const i = nearestRunStart(runs, estimate);
  const prevEnd = i > 0 ? runs[i - 1]!.end : 0;
  return (prevEnd + runs[i]!.start) / 2;
}


/**
 * The end of the last unit: the end of the speech run the path ends it in (never inside speech: a
 * sentence's last word is not cut off), or when the path ends in a pause, that pause. Speech after
 * it is the unmatched speech's business, not the clip's.
 */
function trailingCut(estimate: number, runs: Span[], duration: number): { cut: number; speechEnd: number } {
  let best = runs.findIndex((r) => r.start <= estimate && estimate <= r.end);
  if (best < 0) {
    // In a pause (or past the speech): the run that ended before it.
    best = 0;
    for (let i = 0; i < runs.length; i++) if (runs[i]!.end <= estimate) best = i;
  }
  const nextStart = best + 1 < runs.length ? runs[best + 1]!.start : duration;
  return { cut: (runs[best]!.end + nextStart) / 2, speechEnd: runs[best]!.end };
}

/** 1 for each frame (of `hop` s) of [r0, r1) whose centre lies in a speech run. */
function speechMask(runs: Span[], r0: number, r1: number, hop: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, r1 - r0));
  for (const r of runs) {
    const a = Math.max(r0, Math.ceil(r.start / hop));
    const b = Math.min(r1, Math.ceil(r.end / hop));
    for (let j = a; j < b; j++) out[j - r0] = 1;
  }
  return out;
}

function nearestRunStart(runs: Span[], t: number): number {
  let best = 0;
  for (let i = 0; i < runs.length; i++) if (Math.abs(runs[i]!.start - t) < Math.abs(runs[best]!.start - t)) best = i;
  return best;
}

/** The span of speech runs inside [a, b], or null when there is none. */
function speechWithin(runs: Span[], a: number, b: number): Span | null {
  let s = Infinity;
  let e = -Infinity;
  for (const r of runs) {
    if (r.end <= a || r.start >= b) continue;
    s = Math.min(s, Math.max(a, r.start));
    e = Math.max(e, Math.min(b, r.end));
  }
  return Number.isFinite(s) && e > s ? { start: s, end: e } : null;
}

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}
