import { concatFloat32 } from '../../../shared/dsp/buffers';
import { ServiceError } from '../../../shared/contract/rpc';
import type { AttentionHealth, AttentionIssue } from './attentionHealth';
import type { AcousticModel, AcousticOutput, AttemptReport, ChunkDecode, Mel } from './acousticModel';
import { checkAcousticControls } from './controls';
import { pieceCuts, sliceMel, type PieceOptions } from './firstPiece';
import { AudioJoiner } from './joinAudio';
import type { PauseKind } from './longText';
import { deriveSeed } from './prng';
import { planAndEncodeText, type EncodedChunk } from './textFrontend';

export type { AttemptReport } from './acousticModel';

/**
 * Text → audio for any length of text, with any acoustic model (acousticModel.ts): plan
 * (sentences/clauses), then per chunk: the model's `synthesizeChunk` (Tacotron-2: decode, check the
 * attention, retry once with adjusted settings if it failed; duration model: one graph run at the
 * requested pace and pitch), vocode, and join — emitting each joined piece as soon as it is final, so
 * playback can start after the first sentence. Yields to the event loop between chunks (cancel
 * messages get through).
 */
export type VocoderName = 'griffin-lim' | 'waveglow';

/** Turns a mel into audio; `seed` makes stochastic vocoders (WaveGlow) reproducible. */
/** `onProgress`: frames of this mel vocoded so far (WaveGlow reports per window; a long render can take a minute). */
export type Vocoder = (mel: Mel, ctx: { seed: number; signal?: AbortSignal; onProgress?: (doneFrames: number, totalFrames: number) => void }) => Promise<Float32Array>;

export interface SynthesisOptions {
  seed?: number;
  stopThreshold?: number;
  maxDecoderStepsPerSymbol?: number;
  /** Longest chunk in cleaned characters (default: the voice's comfortable length). */
  maxChars?: number;
  /** A first sentence longer than this starts with its first clause alone (time to first audio); 0 = off. Default 60. */
  firstChunkMaxChars?: number;
  /** Retry a chunk whose attention failed, once, with another seed / stop threshold. Default true. */
  retry?: boolean;
  pauses?: Partial<Record<PauseKind, number>>;
  crossfadeSeconds?: number;
  /** Duration voices only: speaking rate (1 = as trained, > 1 faster), within [1/maxPace, maxPace]. */
  pace?: number;
  /** Duration voices only: pitch shift in semitones, within ±maxPitchShift. */
  pitch?: number;
  /** A long first chunk is vocoded in growing pieces, its first second released early (time to first audio); false = whole. */
  firstPiece?: PieceOptions | false;
}

export interface SentenceReport {
  index: number;
  count: number;
  text: string;
  cleaned: string;
  start: number;
  end: number;
  paragraph: number;
  sentence: number;
  pauseAfter: PauseKind;
  pauseSeconds: number;
  symbols: number;
  frames: number;
  /** Seconds of audio the vocoder produced for this chunk (before trimming and pauses). */
  seconds: number;
  attempts: AttemptReport[];
  /** True when the chosen attempt's attention is healthy (always for a duration model: no attention). */
  ok: boolean;
  /** What could not be fixed (empty when ok). */
  issues: AttentionIssue[];
  notes: string[];
  /** Tacotron-2's attention metrics; null for a duration model, which has no attention to check. */
  health: AttentionHealth['metrics'] | null;
}

export interface SentenceEvent {
  report: SentenceReport;
  /**
   * True for audio a chunk releases before it is done (its first second, firstPiece.ts): play it;
   * the chunk's own event (with the rest of its audio) follows.
   */
  partial?: boolean;
  /** Final samples of the joined stream released by this chunk (play them in order). */
  stream: Float32Array;
  /** The chunk's acoustic output (mel, alignment), for plots. */
  acoustic: AcousticOutput;
}

export interface SynthesisHooks {
  signal?: AbortSignal;
  onPlan?(chunks: EncodedChunk[]): void;
  onSentence?(e: SentenceEvent): void | Promise<void>;
  /** Within a chunk: the vocoder's progress (frames of the chunk's mel done, of all). */
  onVocoderProgress?(chunkIndex: number, doneFrames: number, totalFrames: number): void;
}

export interface SynthesisResult {
  audio: Float32Array;
  sampleRate: number;
  sentences: SentenceReport[];
  /** Execution provider notes and unfixed attention problems, one line each. */
  notes: string[];
  /** Just the execution-provider lines of `notes`. */
  providerNotes: string[];
  provider: string | null;
  /** acousticMs: time in the acoustic model alone (text ids → mel), the rest being text, vocoder and joins. */
  timings: { firstAudioMs: number; totalMs: number; audioSeconds: number; rtf: number; acousticMs: number };
}

export async function synthesizeText(engine: AcousticModel, vocoder: Vocoder, text: string, opts: SynthesisOptions = {}, hooks: SynthesisHooks = {}): Promise<SynthesisResult> {
  const t0 = performance.now();
  const m = engine.manifest;
  checkAcousticControls(m, { pace: opts.pace, pitch: opts.pitch, stopThreshold: opts.stopThreshold }); // before any compute
  const chunks = await planAndEncodeText(text, m, { maxChars: opts.maxChars, pauses: opts.pauses, firstChunkMaxChars: opts.firstChunkMaxChars ?? 60, signal: hooks.signal });
  hooks.onPlan?.(chunks);
  const joiner = new AudioJoiner(m.sampleRate, { crossfadeSeconds: opts.crossfadeSeconds });
  const parts: Float32Array[] = [];
  const sentences: SentenceReport[] = [];
  const seed = opts.seed ?? 1;
  let firstAudioMs = -1;
  let acousticMs = 0;

  for (const chunk of chunks) {
    throwIfAborted(hooks.signal);
    const ta = performance.now();
    const { acoustic, health, attempts } = await decodeChunk(engine, chunk, seed, opts, hooks.signal);
    acousticMs += performance.now() - ta;
    const vocode = (mel: Mel, before = 0) =>
      vocoder(mel, {
        seed: deriveSeed(seed, chunk.index, 99),
        signal: hooks.signal,
        onProgress: hooks.onVocoderProgress && ((done: number) => hooks.onVocoderProgress!(chunk.index, before + done, acoustic.mel.frames)),
      });
    const reportOf = (seconds: number): SentenceReport => ({
      index: chunk.index,
      count: chunks.length,
      text: chunk.text,
      cleaned: chunk.cleaned,
      start: chunk.start,
      end: chunk.end,
      paragraph: chunk.paragraph,
      sentence: chunk.sentence,
      pauseAfter: chunk.pauseAfter,
      pauseSeconds: chunk.pauseSeconds,
      symbols: chunk.ids.length,
      frames: acoustic.mel.frames,
      seconds,
      attempts,
      ok: health?.ok ?? true,
      issues: health?.issues ?? [],
      notes: health?.notes ?? [],
      health: health?.metrics ?? null,
    });
    const pause = chunk.index === chunks.length - 1 ? 0 : chunk.pauseSeconds;
    const hop = Number(m.melPreset.hopLength);
    const cuts = chunk.index === 0 && opts.firstPiece !== false && hop > 0 ? pieceCuts(acoustic.mel, m.sampleRate / hop, opts.firstPiece ?? {}) : [];
    let stream: Float32Array = new Float32Array(0);
    let seconds = 0;
    // the first chunk in growing pieces (firstPiece.ts), each released at once; other chunks whole (cuts = [])
    const bounds = [0, ...cuts, acoustic.mel.frames];
    const k = opts.firstPiece ? (opts.firstPiece.overlapFrames ?? 4) : 4;
    const fade = joiner.fadeSamples, half = fade >> 1;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const first = i === 0, lastPiece = i + 2 === bounds.length;
      const lo = first ? 0 : bounds[i] - k;
      const hi = lastPiece ? bounds[i + 1] : bounds[i + 1] + k;
      const audio = await vocode(cuts.length ? sliceMel(acoustic.mel, lo, hi) : acoustic.mel, lo);
      // the fade straddles each cut: this piece runs to half a fade past it, the next starts the rest of the fade before
      const s0 = first ? 0 : (bounds[i] - lo) * hop + half - fade;
      const s1 = lastPiece ? audio.length : Math.min(audio.length, (bounds[i + 1] - lo) * hop + half);
      const piece = audio.subarray(Math.max(0, s0), s1);
      seconds += (piece.length - (first ? 0 : fade)) / m.sampleRate;
      if (lastPiece) {
        stream = joiner.push(piece, pause, { start: !first });
        break;
      }
      const early = joiner.push(piece, 0, { start: !first, end: true });
      parts.push(early);
      if (firstAudioMs < 0 && early.length) firstAudioMs = performance.now() - t0;
      await hooks.onSentence?.({ report: reportOf(early.length / m.sampleRate), stream: early, acoustic, partial: true });
      throwIfAborted(hooks.signal);
    }
    const last = chunk.index === chunks.length - 1 ? joiner.finish() : null;
    const released = last ? concatFloat32([stream, last]) : stream;
    parts.push(released);
    if (firstAudioMs < 0 && released.length) firstAudioMs = performance.now() - t0;
    const report = reportOf(seconds);
    sentences.push(report);
    await hooks.onSentence?.({ report, stream: released, acoustic });
    // Let cancel messages and other work through between sentences.
    await new Promise<void>((r) => setImmediate(r));
  }

  const audioOut = concatFloat32(parts);
  const totalMs = performance.now() - t0;
  const audioSeconds = audioOut.length / m.sampleRate;
  const notes = [...engine.providerNotes];
  for (const s of sentences) if (!s.ok) notes.push(`sentence ${s.index + 1} ("${s.text.slice(0, 40)}${s.text.length > 40 ? '…' : ''}") still has attention problems after a retry: ${s.notes.join('; ')}`);
  return {
    audio: audioOut,
    sampleRate: m.sampleRate,
    sentences,
    notes,
    providerNotes: [...engine.providerNotes],
    provider: engine.provider,
    timings: { firstAudioMs: Math.max(0, firstAudioMs), totalMs, audioSeconds, rtf: audioSeconds > 0 ? totalMs / 1000 / audioSeconds : 0, acousticMs },
  };
}

/** One chunk through the model; an error about the chunk names its sentence. */
async function decodeChunk(engine: AcousticModel, chunk: EncodedChunk, seed: number, opts: SynthesisOptions, signal?: AbortSignal): Promise<ChunkDecode> {
  try {
    return await engine.synthesizeChunk(chunk.ids, { seed, index: chunk.index, controls: opts, signal });
  } catch (e) {
    if (!(e instanceof ServiceError) || e.code !== 'no-frames') throw e;
    const quote = chunk.text.length > 60 ? `${chunk.text.slice(0, 57)}…` : chunk.text;
    throw new ServiceError(e.code, `sentence ${chunk.sentence + 1} ("${quote}"): ${e.message}`, e.details);
  }
}

/**
 * One chunk with a Tacotron-2 (or any) model: Tacotron-2 decodes, checks the attention and retries once
 * when it failed (Tacotron2Engine.synthesizeChunk); kept for callers that decode a single chunk.
 */
export async function decodeWithRetry(
  engine: AcousticModel,
  ids: number[],
  seed: number,
  index: number,
  opts: SynthesisOptions,
  signal?: AbortSignal,
): Promise<{ acoustic: AcousticOutput; health: AttentionHealth | null; attempts: AttemptReport[] }> {
  return engine.synthesizeChunk(ids, { seed, index, controls: opts, signal });
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ServiceError('cancelled', 'synthesis cancelled');
}

