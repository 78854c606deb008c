import { z } from 'zod';
import { method } from './rpc';
import { AcousticModelKind } from './voice';

/**
 * Synthesis methods (text → speech with a voice bundle). Services: electron/services/synthesis/handlers.ts.
 * `synthesis.synthesize` is a job: per-sentence progress items (SentenceItem, in order, each with
 * its streamed audio), result SynthesisJobResult. Cancel through `jobs.cancel`.
 * Audio crosses the boundary as base64 WAV (mono 16-bit PCM at the voice's rate).
 */
export const Vocoder = z.enum(['griffin-lim', 'waveglow']);
export type Vocoder = z.infer<typeof Vocoder>;

export const VoiceInfo = z.object({
  dir: z.string(),
  name: z.string(),
  /** embedded: resources/voices; user: exported/imported into the app's data folder; project: <project>/voices. */
  source: z.enum(['embedded', 'user', 'project']),
  /** Null when the bundle is broken (error says why). */
  sampleRate: z.number().int().nullable(),
  melPreset: z.string().nullable(),
  hasWaveglow: z.boolean(),
  /** The voice's comfortable chunk length in characters. */
  comfortableChars: z.number().int().nullable(),
  provenance: z.object({ dataset: z.string(), steps: z.number(), date: z.string() }).nullable(),
  /** Phoneme voices (voice.json text.phonemizer): the espeak-ng voice, e.g. en-us; null: the voice reads characters. */
  phonemizer: z.string().nullable().optional(),
  /** The acoustic model the voice holds (voice.json); absent from older services = tacotron2. */
  acousticModel: AcousticModelKind.optional(),
  /** Duration voices: the range of the pace and pitch controls; null for Tacotron-2 (it has neither). */
  controls: z.object({ maxPace: z.number(), maxPitchShift: z.number() }).nullable().optional(),
  isDefault: z.boolean(),
  error: z.string().nullable(),
});
export type VoiceInfo = z.infer<typeof VoiceInfo>;

export const AttentionIssue = z.enum(['no-monotonic-progress', 'runaway', 'early-stop']);

export const AttentionMetrics = z.object({
  steps: z.number(),
  symbols: z.number(),
  monotonicity: z.number(),
  maxBackwardJump: z.number(),
  coverage: z.number(),
  furthestPeak: z.number(),
  meanFocus: z.number(),
  stepsPerSymbol: z.number(),
});

/** One progress item per synthesized chunk (sentence or clause), in text order. */
export const SentenceItem = z.object({
  index: z.number().int(),
  count: z.number().int(),
  text: z.string(),
  /** Character offsets into the submitted text. */
  start: z.number().int(),
  end: z.number().int(),
  sentence: z.number().int(),
  pauseSeconds: z.number(),
  /** Seconds of speech the chunk produced. */
  seconds: z.number(),
  ok: z.boolean(),
  issues: z.array(AttentionIssue),
  notes: z.array(z.string()),
  attempts: z.number().int(),
  /** Tacotron-2's attention metrics; null for a duration voice (no attention to check). */
  metrics: AttentionMetrics.nullable(),
  /** What the model read: the cleaned text, or for a phoneme voice the espeak-ng IPA its ids spell. */
  cleaned: z.string().optional(),
  /** The final samples this chunk released into the joined stream (play in order). Present when `stream` was asked. */
  wavBase64: z.string().optional(),
  /**
   * Audio the chunk released before it was done (the first second of a long first sentence, for
   * time to first audio): play it; the chunk's own item, with the rest, follows.
   */
  partial: z.literal(true).optional(),
});
export type SentenceItem = z.infer<typeof SentenceItem>;

export const SynthesisJobResult = z.object({
  outPath: z.string().nullable(),
  /** The whole WAV when no outPath was given. */
  wavBase64: z.string().nullable(),
  sampleRate: z.number().int(),
  durationSeconds: z.number(),
  sentences: z.array(SentenceItem.omit({ wavBase64: true })),
  notes: z.array(z.string()),
  provider: z.string().nullable(),
  timings: z.object({ firstAudioMs: z.number(), totalMs: z.number(), audioSeconds: z.number(), rtf: z.number(), acousticMs: z.number().optional() }),
});
export type SynthesisJobResult = z.infer<typeof SynthesisJobResult>;

/**
 * Duration voices only (voice.json `fastpitch`). Here: the outer bounds any voice could accept; the
 * synthesis service then checks the voice's own range (pace within [1/maxPace, maxPace], pitch within
 * ±maxPitchShift) and refuses both for a Tacotron-2 voice, each with its own message.
 */
export const Pace = z
  .number({ error: 'pace must be a number (1 = as trained, 2 = twice as fast)' })
  .gt(0, 'pace must be above 0 (1 = as trained, 2 = twice as fast, 0.5 = half as fast)')
  .max(10, 'pace must be at most 10 (and within the voice’s own range, usually 1/3–3)');
export const PitchShift = z
  .number({ error: 'pitch must be a number of semitones' })
  .min(-48, 'pitch shift must be at least -48 semitones (and within the voice’s own range, usually ±12)')
  .max(48, 'pitch shift must be at most +48 semitones (and within the voice’s own range, usually ±12)');

export const SynthesizeInput = z.object({
  text: z.string().max(200_000, 'text is longer than 200 000 characters; split it into files'),
  /** A voice folder; default: the embedded demo voice. */
  voiceDir: z.string().optional(),
  vocoder: Vocoder.default('griffin-lim'),
  /** Another voice whose WaveGlow to use (refused unless the mel presets match). */
  waveglowFromDir: z.string().optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  stopThreshold: z.number().gt(0).lt(1).optional(),
  maxChars: z.number().int().min(10).max(1000).optional(),
  retry: z.boolean().default(true),
  pace: Pace.optional(),
  pitch: PitchShift.optional(),
  /** Write the WAV here (atomically) instead of returning it. */
  outPath: z.string().optional(),
  /** Send each chunk's audio with its progress item. */
  stream: z.boolean().default(true),
});

export const Matrix = z.object({ rows: z.number().int(), cols: z.number().int(), data: z.array(z.number()) });
export type Matrix = z.infer<typeof Matrix>;

export const AuditionResult = z.object({
  voice: z.string(),
  sampleRate: z.number().int(),
  cleaned: z.string(),
  /** Post-net mel, rows = mel channels, cols = frames (row-major). */
  mel: Matrix,
  /** Attention weights, rows = decoder steps, cols = input symbols. */
  alignment: Matrix,
  gate: z.array(z.number()),
  griffinLim: z.object({ wavBase64: z.string(), seconds: z.number(), ms: z.number() }),
  waveglow: z.object({ wavBase64: z.string(), seconds: z.number(), ms: z.number() }).nullable(),
  waveglowNote: z.string().nullable(),
  ok: z.boolean(),
  issues: z.array(AttentionIssue),
  /** Tacotron-2's attention metrics; null for a duration voice. */
  metrics: AttentionMetrics.nullable(),
  attempts: z.number().int(),
  notes: z.array(z.string()),
  /** Which acoustic model made the mel (alignment: attention for tacotron2, durations for fastpitch). */
  model: AcousticModelKind.optional(),
  /** The dataset's own recording of this text, when a clip's transcript matches it. */
  recording: z.object({ projectDir: z.string(), clipId: z.string(), path: z.string(), transcript: z.string() }).nullable(),
});
export type AuditionResult = z.infer<typeof AuditionResult>;

/** A finished synthesis kept with the project (synthesis/index.json), its WAV at `wav` (project-relative). */
export const SynthesisHistoryEntry = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'history ids are letters, digits, - and _'),
  text: z.string(),
  voice: z.string(),
  vocoder: Vocoder,
  seed: z.number().int(),
  createdAt: z.number(),
  durationSeconds: z.number().nonnegative(),
  sentences: z.number().int().nonnegative(),
  unfixed: z.number().int().nonnegative(),
  notes: z.array(z.string()),
  rtf: z.number(),
  modelInput: z.array(z.string()).nullable().optional(),
  pace: z.number().optional(),
  pitch: z.number().optional(),
  wav: z.string(),
});
export type SynthesisHistoryEntry = z.infer<typeof SynthesisHistoryEntry>;

export const synthesisMethods = {
  'synthesis.voices': method(
    z.object({ projectDir: z.string().optional() }),
    z.object({ voices: z.array(VoiceInfo), userVoicesDir: z.string(), embeddedVoicesDir: z.string() }),
    'Voices available: the embedded demo voice, voices exported/imported by the user, and the project’s own.',
  ),
  'synthesis.synthesize': method(SynthesizeInput, z.object({ jobId: z.string() }), 'Text → speech as a job: per-sentence progress items with streamed audio; cancel with jobs.cancel.'),
  'synthesis.audition': method(
    z.object({
      text: z.string().min(1).max(600),
      voiceDir: z.string().optional(),
      waveglowFromDir: z.string().optional(),
      seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
      pace: Pace.optional(),
      pitch: PitchShift.optional(),
      /** Look for a clip with this transcript in the project, to compare with the real recording. */
      projectDir: z.string().optional(),
      /** Griffin-Lim iterations (default: the voice's preset); the studio's B side uses a few when there is no WaveGlow. */
      griffinLimIterations: z.number().int().min(1).max(500).optional(),
    }),
    AuditionResult,
    'One sentence: the predicted mel, its attention alignment, and the same mel through Griffin-Lim and WaveGlow.',
  ),
  'synthesis.history': method(
    z.object({ projectDir: z.string().min(1) }),
    z.object({ entries: z.array(SynthesisHistoryEntry) }),
    "The project's kept syntheses, newest first (entries whose WAV is gone are left out).",
  ),
  'synthesis.keep': method(
    z.object({ projectDir: z.string().min(1), entry: SynthesisHistoryEntry.omit({ wav: true }), wavBase64: z.string().min(1) }),
    z.object({ entries: z.array(SynthesisHistoryEntry) }),
    'Keep a finished synthesis with the project: its WAV under synthesis/ and its entry in synthesis/index.json (both atomic; the oldest beyond the cap are removed).',
  ),
  'synthesis.saveWav': method(
    z.object({ wavBase64: z.string().min(1), outPath: z.string().min(1) }),
    z.object({ outPath: z.string(), bytes: z.number().int() }),
    'Write a synthesized WAV to disk (atomically).',
  ),
} as const;
