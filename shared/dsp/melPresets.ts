import { z } from 'zod';
import melPresetsJson from './melPresets.json';

/**
 * The mel spectrogram a model is trained on, as one typed, serializable object. Voice bundles
 * embed the whole preset (name included), so a voice keeps working if a preset here changes.
 * The values are in melPresets.json, which the Python trainer reads too; the test vectors in
 * shared/dsp/testvectors pin both sides' mel computation.
 *
 * Pipeline (melSpectrogram in mel.ts):
 *   x → [pre-emphasis y[n] = x[n] − k·x[n−1], x[−1] = 0]
 *     → pad n_fft/2 both sides (reflect | zeros) → frames every hop, Hann window of win_length
 *       (periodic, centred inside n_fft as librosa.util.pad_center does) → |rFFT|^magnitudePower
 *     → mel filterbank (rows: nMels, librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm))
 *     → compression:
 *         'ln'  : ln(max(x, clampMin))                                    (NVIDIA/tacotron2)
 *         'db'  : 20·log10(max(x, 10^(minLevelDb/20))) − refLevelDb, then
 *                 symmetric: clip(2·M·(S − minLevelDb)/(−minLevelDb) − M, −M, M)  (Rayhane-mamah)
 */

export const MelCompressionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ln'),
    /** Magnitudes below this are clamped before the log (dynamic range floor). */
    clampMin: z.number().positive(),
  }),
  z.object({
    type: z.literal('db'),
    minLevelDb: z.number().negative(),
    refLevelDb: z.number(),
    /** Symmetric normalization to [−maxAbsValue, maxAbsValue]; null = raw dB − ref. */
    normalize: z
      .object({
        symmetric: z.literal(true),
        maxAbsValue: z.number().positive(),
        clip: z.boolean(),
      })
      .nullable(),
  }),
]);
export type MelCompression = z.infer<typeof MelCompressionSchema>;

export const MelPresetSchema = z
  .object({
    name: z.string().min(1),
    /** One line for people (shown in the UI and `formant mel --help`). */
    description: z.string().default(''),
    sampleRate: z.number().int().positive(),
    nFft: z.number().int().min(16),
    winLength: z.number().int().positive(),
    hopLength: z.number().int().positive(),
    window: z.literal('hann'),
    /** Frames centred on t·hop: pad nFft/2 on both sides. */
    center: z.boolean(),
    padMode: z.enum(['reflect', 'constant']),
    nMels: z.number().int().positive(),
    fmin: z.number().min(0),
    fmax: z.number().positive(),
    /** Mel scale: 'slaney' (librosa htk=False: linear below 1 kHz, log above) or 'htk' (2595·log10(1 + f/700)). */
    melScale: z.enum(['slaney', 'htk']),
    /** 'slaney' divides each triangle by its width in Hz (area normalization, librosa norm='slaney'); null = peak 1. */
    melNorm: z.enum(['slaney']).nullable(),
    /** Exponent on |STFT| before the filterbank: 1 magnitude, 2 power. */
    magnitudePower: z.number().positive(),
    /** Pre-emphasis coefficient (0 = none); inverted after vocoding. */
    preemphasis: z.number().min(0).lt(1),
    compression: MelCompressionSchema,
    griffinLim: z.object({
      /** Linear magnitudes are raised to this before Griffin-Lim (sharpens harmonics, lowers noise). */
      power: z.number().positive(),
      iterations: z.number().int().positive(),
    }),
  })
  .refine((p) => (p.nFft & (p.nFft - 1)) === 0, { message: 'nFft must be a power of two (the FFTs here are)', path: ['nFft'] })
  .refine((p) => p.winLength <= p.nFft, { message: 'winLength must not exceed nFft', path: ['winLength'] })
  .refine((p) => p.fmax <= p.sampleRate / 2, { message: 'fmax must not exceed the Nyquist frequency', path: ['fmax'] })
  .refine((p) => p.fmin < p.fmax, { message: 'fmin must be below fmax', path: ['fmin'] });

export type MelPreset = z.infer<typeof MelPresetSchema>;
export type MelPresetName = 'nvidia' | 'seed';

/**
 * The presets themselves live in melPresets.json: the one file both this module and the Python trainer
 * (resources/trainer/formant_trainer/audio.py) read, so the two cannot drift. Checked here against the schema.
 *
 * nvidia — NVIDIA/tacotron2 (hparams.py + layers.TacotronSTFT + stft.STFT): scipy get_window('hann', 1024,
 *   fftbins=True) (periodic), reflect padding of filter_length/2 on both sides, magnitude, librosa
 *   mel (htk=False, Slaney norm) 0–8000 Hz, dynamic_range_compression = log(clamp(x, 1e-5)).
 *   Audio is int16 / 32768 (max_wav_value). The mels of NVIDIA's public Tacotron-2 / WaveGlow.
 *   NVIDIA's inference notebook runs plain Griffin-Lim (60 iterations) on mel→linear magnitudes.
 * seed — Rayhane-mamah/Tacotron-2 (hparams.py + datasets/audio.py), the seed's model: librosa.stft with
 *   n_fft 2048, hop 275 (12.5 ms), win 1100 (50 ms, periodic Hann centred in 2048), center=True,
 *   pad_mode='constant'; pre-emphasis 0.97; mel 55–7600 Hz (htk=False, Slaney norm);
 *   _amp_to_db(mel) − ref_level_db; symmetric normalization to [−4, 4] with clipping.
 *   Inverse: Griffin-Lim on (mel→linear)^1.5, 60 iterations, then de-emphasis.
 */
export const MEL_PRESETS: { nvidia: MelPreset; seed: MelPreset } = {
  nvidia: MelPresetSchema.parse(melPresetsJson.nvidia),
  seed: MelPresetSchema.parse(melPresetsJson.seed),
};

export const DEFAULT_MEL_PRESET: MelPresetName = 'nvidia';

/** Looks a preset up by name with a clear error listing the known ones. */
export function melPresetByName(name: string): MelPreset {
  if (name === 'nvidia' || name === 'seed') return MEL_PRESETS[name];
  throw new Error(`unknown mel preset ${JSON.stringify(name)} (known: ${Object.keys(MEL_PRESETS).join(', ')})`);
}
