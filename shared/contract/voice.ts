import { z } from 'zod';

/**
 * A voice bundle: `<voice-dir>/voice.json` + ONNX graphs, written by the trainer
 * (`formant export-voice`, resources/trainer/formant_trainer/export_onnx.py) and read by synthesis.
 * Layout and graph I/O: below (this file is their only description). Self-describing: everything needed to
 * turn text into audio is here (mel preset, symbol table, decoder sizes, limits).
 *
 * Graphs (float32, batch 1, T = symbols, F = frames):
 *  - encoder.onnx:      text int64 [1,T] → memory [1,T,E], processed_memory [1,T,attentionDim]
 *  - decoder_step.onnx: decoder_input [1,nMels], attention_hidden/attention_cell [1,attentionRnnDim],
 *                       decoder_hidden/decoder_cell [1,decoderRnnDim], attention_weights/attention_weights_cum [1,T],
 *                       attention_context [1,E], memory [1,T,E], processed_memory [1,T,attentionDim],
 *                       prenet_mask1/prenet_mask2 [1,prenetDim] (each entry 0 or 1/(1−prenetDropout))
 *                       → mel_frames [1,r,nMels], gate_logit [1,1], and `<state>_out` for every state input
 *                       (decoder_input_out = the last of the r frames, then the seven recurrent/attention states).
 *  - postnet.onnx:      mel [1,nMels,F] → mel_postnet [1,nMels,F] (residual already added)
 *  - fastpitch.onnx:    (a duration voice, instead of the three graphs above) text int64 [1,N], pace float32 [1]
 *                       (1 = as trained, >1 faster), pitch_shift float32 [1] (semitones)
 *                       → mel [1,nMels,F] (same ln-mel preset), durations int64 [1,N] (frames per symbol)
 *  - waveglow.onnx:     mel [1,nMels,F], z [1,nGroup,F*hopLength/nGroup] (standard normal), sigma [1] → audio [1,F*hopLength]
 */
export const VOICE_FORMAT = 'formant-voice';
export const VOICE_VERSION = 1;
export const VOICE_FILE = 'voice.json';

/**
 * The full mel preset embedded in the bundle (shared/dsp/melPresets.ts `MelPresetSchema` is the
 * authority on its fields; this accepts any preset object that carries a name, so a bundle stays
 * readable when presets gain fields).
 */
export const VoiceMelPreset = z.looseObject({ name: z.string().min(1) });

/**
 * Phoneme input: the engine phonemizes each chunk (shared/text/phonemize.ts: the english cleaners, then
 * espeak-ng IPA) and `symbols` is the phoneme table (phonemeSymbols.json). Absent = characters.
 */
export const VoicePhonemizer = z.object({
  engine: z.literal('espeak-ng'),
  /** espeak-ng voice name, e.g. en-us. */
  voice: z.string().regex(/^[A-Za-z0-9-]+$/, 'an espeak-ng voice name such as en-us'),
});

export const VoiceText = z.object({
  cleaners: z.literal('english'),
  symbols: z.array(z.string()).min(1),
  padId: z.number().int().nonnegative(),
  eosId: z.number().int().nonnegative().nullable(),
  phonemizer: VoicePhonemizer.optional(),
});

export const VoiceTacotron2 = z.object({
  reductionFactor: z.number().int().min(1).max(16),
  nMels: z.number().int().positive(),
  stopThreshold: z.number().min(0).max(1).default(0.5),
  maxDecoderStepsPerSymbol: z.number().positive(),
  maxDecoderSteps: z.number().int().positive(),
  prenetDim: z.number().int().positive(),
  prenetDropout: z.number().min(0).lt(1).default(0.5),
  attentionRnnDim: z.number().int().positive(),
  decoderRnnDim: z.number().int().positive(),
  encoderEmbeddingDim: z.number().int().positive(),
  attentionDim: z.number().int().positive(),
  encoder: z.string().min(1),
  decoderStep: z.string().min(1),
  postnet: z.string().min(1),
});

/**
 * A non-autoregressive duration model (FastPitch-style predictors on a convolutional backbone): one
 * deterministic graph, no attention, no stop token. `maxPace` / `maxPitchShift` bound the controls
 * (pace within [1/maxPace, maxPace], pitch shift within ±maxPitchShift semitones).
 */
export const VoiceFastPitch = z.object({
  graph: z.string().min(1),
  nMels: z.number().int().positive(),
  maxPace: z.number().min(1).default(3),
  maxPitchShift: z.number().nonnegative().default(12),
  /** Trainable parameters (informational). */
  parameters: z.number().int().nonnegative().nullable().optional(),
});

export const VoiceWaveGlow = z.object({
  graph: z.string().min(1),
  sigma: z.number().nonnegative().default(0.6),
  nGroup: z.number().int().positive(),
  hopLength: z.number().int().positive(),
});

export const VoiceProvenance = z.object({
  dataset: z.string(),
  steps: z.number().int().nonnegative(),
  date: z.string(),
  trainer: z.string(),
  torch: z.string(),
  /** fp16: weights stored at half size and cast to fp32 when the session loads them (compute stays fp32). */
  weights: z.enum(['fp32', 'fp16']).optional(),
  /** Checkpoint files the graphs were made from without training (e.g. NVIDIA's published ones): name, digest, steps. */
  sources: z.array(z.looseObject({ model: z.string(), file: z.string().optional(), sha256: z.string().optional(), steps: z.number().optional() })).optional(),
});

/** Which acoustic model a voice holds: Tacotron-2 (autoregressive, attention) or the duration model. */
export const AcousticModelKind = z.enum(['tacotron2', 'fastpitch']);
export type AcousticModelKind = z.infer<typeof AcousticModelKind>;

export const VoiceManifest = z
  .object({
    format: z.literal(VOICE_FORMAT),
    version: z.literal(VOICE_VERSION),
    name: z.string().min(1),
    sampleRate: z.number().int().positive(),
    melPreset: VoiceMelPreset,
    text: VoiceText,
    /** Null in a duration voice. */
    tacotron2: VoiceTacotron2.nullable(),
    /** Absent (bundles older than the duration model) or null in a Tacotron-2 voice. */
    fastpitch: VoiceFastPitch.nullable().optional(),
    waveglow: VoiceWaveGlow.nullable(),
    provenance: VoiceProvenance,
  })
  .superRefine((m, ctx) => {
    const held = (['tacotron2', 'fastpitch'] as const).filter((k) => m[k] != null);
    if (held.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      path: [],
      message:
        held.length === 0
          ? 'the voice holds no acoustic model: exactly one of "tacotron2" (Tacotron-2) or "fastpitch" (duration model) must be set'
          : 'the voice holds two acoustic models: exactly one of "tacotron2" (Tacotron-2) or "fastpitch" (duration model) must be set, the other null',
    });
  });
export type VoiceManifest = z.infer<typeof VoiceManifest>;
export type VoiceTacotron2 = z.infer<typeof VoiceTacotron2>;
export type VoiceFastPitch = z.infer<typeof VoiceFastPitch>;

/** The acoustic model a (validated) voice holds, with its section. */
export type AcousticModelOf =
  | { kind: 'tacotron2'; tacotron2: VoiceTacotron2; nMels: number }
  | { kind: 'fastpitch'; fastpitch: VoiceFastPitch; nMels: number };

export function acousticModelOf(m: Pick<VoiceManifest, 'tacotron2' | 'fastpitch'>): AcousticModelOf {
  if (m.tacotron2 && !m.fastpitch) return { kind: 'tacotron2', tacotron2: m.tacotron2, nMels: m.tacotron2.nMels };
  if (m.fastpitch && !m.tacotron2) return { kind: 'fastpitch', fastpitch: m.fastpitch, nMels: m.fastpitch.nMels };
  throw new Error(`voice manifest holds ${m.tacotron2 ? 'both' : 'neither'} acoustic models (validate it with VoiceManifest first)`);
}

/** A human name for the model kind, for messages and the UI. */
export function acousticModelLabel(kind: AcousticModelKind): string {
  return kind === 'tacotron2' ? 'Tacotron-2' : 'duration model (FastPitch-style)';
}
export type VoiceWaveGlow = z.infer<typeof VoiceWaveGlow>;

/** Names of the decoder step's recurrent/attention state, in the order the graph lists them (each has an `_out`). */
export const DECODER_STATE_NAMES = [
  'decoder_input',
  'attention_hidden',
  'attention_cell',
  'decoder_hidden',
  'decoder_cell',
  'attention_weights',
  'attention_weights_cum',
  'attention_context',
] as const;

/**
 * A WaveGlow on its own (`formant voice vocoder`): `<dir>/vocoder.json` + its graph. Any voice whose mel preset is
 * this one can use it (`formant say --vocoder waveglow --waveglow-from <dir>`); the preset guard refuses others.
 */
export const VOCODER_FORMAT = 'formant-vocoder';
export const VOCODER_FILE = 'vocoder.json';
export const VocoderManifest = z.object({
  format: z.literal(VOCODER_FORMAT),
  version: z.literal(1),
  name: z.string().min(1),
  sampleRate: z.number().int().positive(),
  melPreset: VoiceMelPreset,
  waveglow: VoiceWaveGlow,
  provenance: VoiceProvenance,
});
export type VocoderManifest = z.infer<typeof VocoderManifest>;
