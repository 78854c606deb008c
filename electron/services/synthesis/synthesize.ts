import { concatFloat32 } from '../../../shared/dsp/buffers';
import { ServiceError } from '../../../shared/contract/rpc';
import { attentionHealth, compareHealth, type AttentionHealth, type AttentionIssue } from './attentionHealth';
import type { AcousticOutput, Mel, Tacotron2Engine } from './engine';
import { AudioJoiner } from './joinAudio';
import type { PauseKind } from './longText';
import { deriveSeed } from './prng';
import { planAndEncodeText, type EncodedChunk } from './textFrontend';

/**
 * Text → audio for any length of text: plan (sentences/clauses), then per chunk: decode with the
 * Tacotron-2 engine, check the attention, retry once with adjusted settings if it failed, vocode,
 * and join — emitting each joined piece as soon as it is final, so playback can start after the
 * first sentence. Yields to the event loop between chunks (cancel messages get through).
 */
export type VocoderName = 'griffin-lim' | 'waveglow';

/** Turns a mel into audio; `seed` makes stochastic vocoders (WaveGlow) reproducible. */
export type Vocoder = (mel: Mel, ctx: { seed: number; signal?: AbortSignal }) => Promise<Float32Array>;

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
}

export interface AttemptReport {
  seed: number;
  stopThreshold: number;
  steps: number;
  stopReason: AcousticOutput['stopReason'];
  issues: AttentionIssue[];
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
  /** True when the chosen attempt's attention is healthy. */
  ok: boolean;
  /** What could not be fixed (empty when ok). */
  issues: AttentionIssue[];
  notes: string[];
  health: AttentionHealth['metrics'];
}

export interface SentenceEvent {
  report: SentenceReport;
  /** Final samples of the joined stream released by this chunk (play them in order). */
  stream: Float32Array;
  /** The chunk's acoustic output (mel, alignment), for plots. */
  acoustic: AcousticOutput;
}

export interface SynthesisHooks {
  signal?: AbortSignal;
  onPlan?(chunks: EncodedChunk[]): void;
  onSentence?(e: SentenceEvent): void | Promise<void>;
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
  timings: { firstAudioMs: number; totalMs: number; audioSeconds: number; rtf: number };
}

export async function synthesizeText(engine: Tacotron2Engine, vocoder: Vocoder, text: string, opts: SynthesisOptions = {}, hooks: SynthesisHooks = {}): Promise<SynthesisResult> {
  const t0 = performance.now();
  const m = engine.manifest;
  const chunks = await planAndEncodeText(text, m, { maxChars: opts.maxChars, pauses: opts.pauses, firstChunkMaxChars: opts.firstChunkMaxChars ?? 60, signal: hooks.signal });
  hooks.onPlan?.(chunks);
  const joiner = new AudioJoiner(m.sampleRate, { crossfadeSeconds: opts.crossfadeSeconds });
  const parts: Float32Array[] = [];
  const sentences: SentenceReport[] = [];
  const seed = opts.seed ?? 1;
  let firstAudioMs = -1;

  for (const chunk of chunks) {
    throwIfAborted(hooks.signal);
    const { acoustic, health, attempts } = await decodeWithRetry(engine, chunk.ids, seed, chunk.index, opts, hooks.signal);
    const audio = await vocoder(acoustic.mel, { seed: deriveSeed(seed, chunk.index, 99), signal: hooks.signal });
    const stream = joiner.push(audio, chunk.index === chunks.length - 1 ? 0 : chunk.pauseSeconds);
    const last = chunk.index === chunks.length - 1 ? joiner.finish() : null;
    const released = last ? concatFloat32([stream, last]) : stream;
    parts.push(released);
    if (firstAudioMs < 0 && released.length) firstAudioMs = performance.now() - t0;
    const report: SentenceReport = {
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
      seconds: audio.length / m.sampleRate,
      attempts,
      ok: health.ok,
      issues: health.issues,
      notes: health.notes,
      health: health.metrics,
    };
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
    timings: { firstAudioMs: Math.max(0, firstAudioMs), totalMs, audioSeconds, rtf: audioSeconds > 0 ? totalMs / 1000 / audioSeconds : 0 },
  };
}

/**
 * Decodes one chunk; when its attention fails, retries once with another pre-net seed and a stop
 * threshold moved against the failure (runaway → stop sooner, early stop → stop later), and keeps
 * the better attempt.
 */
export async function decodeWithRetry(
  engine: Tacotron2Engine,
  ids: number[],
  seed: number,
  index: number,
  opts: SynthesisOptions,
  signal?: AbortSignal,
): Promise<{ acoustic: AcousticOutput; health: AttentionHealth; attempts: AttemptReport[] }> {
  const base = opts.stopThreshold ?? engine.manifest.tacotron2.stopThreshold;
  const attempt = async (n: number, threshold: number) => {
    const s = deriveSeed(seed, index, n);
    const acoustic = await engine.decode(ids, { seed: s, stopThreshold: threshold, maxDecoderStepsPerSymbol: opts.maxDecoderStepsPerSymbol, signal });
    const health = attentionHealth(acoustic.alignment, acoustic.steps, acoustic.symbols, acoustic.stopReason);
    return { acoustic, health, report: { seed: s, stopThreshold: threshold, steps: acoustic.steps, stopReason: acoustic.stopReason, issues: health.issues } };
  };
  const first = await attempt(0, base);
  if (first.health.ok || opts.retry === false) return { acoustic: first.acoustic, health: first.health, attempts: [first.report] };
  const issues = first.health.issues;
  const threshold = issues.includes('runaway') ? base * 0.6 : issues.includes('early-stop') ? base + (1 - base) * 0.6 : base;
  const second = await attempt(1, threshold);
  const best = compareHealth(second.health, first.health) < 0 ? second : first;
  return { acoustic: best.acoustic, health: best.health, attempts: [first.report, second.report] };
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ServiceError('cancelled', 'synthesis cancelled');
}

