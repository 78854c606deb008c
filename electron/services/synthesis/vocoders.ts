import { z } from 'zod';
import { ServiceError } from '../../../shared/contract/rpc';
import { MelPresetSchema, type MelPreset } from '../../../shared/dsp/melPresets';
import type { VoiceManifest, VoiceWaveGlow } from '../../../shared/contract/voice';
import { defaultGriffinLimThreads, vocodeGriffinLim } from '../workers/griffinLimThreads';
import type { AcousticModel, Mel } from './acousticModel';
import type { Vocoder, VocoderName } from './synthesize';
import { checkPresetCompatibility } from './voiceBundle';
import type { WaveGlowRunOptions } from './waveGlowRun';

/**
 * The two vocoders of the seed: Griffin-Lim (shared/dsp, no model, works with any voice) and
 * WaveGlow (the voice's own ONNX graph, or another voice's when their mel presets are identical).
 */
export const VOCODERS: readonly VocoderName[] = ['griffin-lim', 'waveglow'];

export function voiceMelPreset(m: VoiceManifest): MelPreset {
  const r = MelPresetSchema.safeParse(m.melPreset);
  if (!r.success) throw new ServiceError('voice-invalid', `voice "${m.name}" has an invalid mel preset: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** Griffin-Lim; mels long enough to split (≈ 5 s and up) run on `threads` worker threads (default: FORMANT_GL_THREADS or the CPU count, ≤ 4). */
export function griffinLimVocoder(preset: MelPreset, opts: { iterations?: number; threads?: number } = {}): Vocoder {
  return (mel, ctx) => vocodeGriffinLim(mel, preset, { iterations: opts.iterations, seed: ctx.seed, signal: ctx.signal, threads: opts.threads ?? defaultGriffinLimThreads() });
}

/** Where a WaveGlow graph comes from: a voice's engine, or a standalone vocoder bundle (vocoderBundle.ts). */
export interface WaveGlowSource {
  manifest: { name: string; melPreset: Record<string, unknown>; waveglow: VoiceWaveGlow | null };
  waveglow(mel: Mel, opts: WaveGlowRunOptions): Promise<Float32Array>;
}

/** `source` holds the WaveGlow graph; `acoustic` predicts the mels (may be the same engine). */
export function waveGlowVocoder(acoustic: AcousticModel, source: WaveGlowSource, opts: { sigma?: number } = {}): Vocoder {
  if (!source.manifest.waveglow) {
    throw new ServiceError('no-waveglow', `voice "${source.manifest.name}" has no WaveGlow vocoder; use --vocoder griffin-lim or a voice exported with a WaveGlow`);
  }
  if (source !== acoustic) checkPresetCompatibility(acoustic.manifest, source.manifest);
  return (mel, ctx) => source.waveglow(mel, { seed: ctx.seed, sigma: opts.sigma, signal: ctx.signal, onProgress: ctx.onProgress });
}

export interface VocoderChoice {
  name: VocoderName;
  iterations?: number;
  sigma?: number;
  /** Another voice's engine or a vocoder bundle whose WaveGlow to use. */
  waveglowFrom?: WaveGlowSource;
}

export function makeVocoder(acoustic: AcousticModel, choice: VocoderChoice): Vocoder {
  switch (choice.name) {
    case 'griffin-lim':
      return griffinLimVocoder(voiceMelPreset(acoustic.manifest), { iterations: choice.iterations });
    case 'waveglow':
      return waveGlowVocoder(acoustic, choice.waveglowFrom ?? acoustic, { sigma: choice.sigma });
    default:
      throw new ServiceError('bad-input', `unknown vocoder "${String(choice.name)}" (known: ${VOCODERS.join(', ')})`);
  }
}
