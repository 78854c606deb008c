import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import type { AcousticModel } from './acousticModel';
import type { AttentionHealth } from './attentionHealth';
import { createAcousticModel } from './createEngine';
import { synthesizeText, type SentenceEvent, type SynthesisHooks, type SynthesisOptions, type SynthesisResult, type VocoderName } from './synthesize';
import { planAndEncodeText } from './textFrontend';
import { checkAcousticControls } from './controls';
import { warmEspeak } from './espeakIpa';
import { griffinLimVocoder, makeVocoder, voiceMelPreset, type WaveGlowSource } from './vocoders';
import { isVocoderBundle, loadVocoderBundle, type WaveGlowBundle } from './vocoderBundle';
import { VOCODER_FILE } from '../../../shared/contract/voice';
import { loadVoiceBundle } from './voiceBundle';
import { defaultVoiceDir } from './voices';
import { deriveSeed } from './prng';
import { warmGriffinLim } from '../workers/griffinLimThreads';

/**
 * The synthesis operations as plain async functions: the worker thread runs them (worker.ts),
 * the CLI and benchmarks may call them directly. Engines are cached per voice folder (and
 * reloaded when voice.json changes), so graphs load once per thread.
 */
const engines = new Map<string, { mtimeMs: number; engine: Promise<AcousticModel> }>();

export async function engineFor(voiceDir: string | undefined): Promise<AcousticModel> {
  const dir = path.resolve(voiceDir ?? (await defaultVoiceDir()));
  let mtimeMs = -1;
  try {
    mtimeMs = (await fs.stat(path.join(dir, 'voice.json'))).mtimeMs;
  } catch {
    // loadVoiceBundle reports the missing folder / manifest clearly
  }
  const cached = engines.get(dir);
  if (cached && cached.mtimeMs === mtimeMs) return cached.engine;
  if (cached) void cached.engine.then((e) => e.dispose()).catch(() => undefined);
  const engine = loadVoiceBundle(dir).then(async (b) => {
    if (b.manifest.text.phonemizer) warmEspeak();
    const model = createAcousticModel(b);
    // Griffin-Lim's JIT and WebAssembly FFT are part of loading a voice, not of its first sentence
    try {
      await warmGriffinLim(voiceMelPreset(b.manifest));
    } catch {
      // a voice with a bad preset is reported where the preset is used
    }
    return model;
  });
  engines.set(dir, { mtimeMs, engine });
  engine.catch(() => engines.delete(dir));
  return engine;
}

const vocoderBundles = new Map<string, { mtimeMs: number; bundle: Promise<WaveGlowBundle> }>();

/** `--waveglow-from`: another voice's WaveGlow, or a standalone vocoder bundle (vocoder.json, no voice.json). */
export async function waveglowSourceFor(dir: string): Promise<WaveGlowSource> {
  const abs = path.resolve(dir);
  if (!(await isVocoderBundle(abs))) return engineFor(abs);
  const mtimeMs = (await fs.stat(path.join(abs, VOCODER_FILE))).mtimeMs;
  const cached = vocoderBundles.get(abs);
  if (cached && cached.mtimeMs === mtimeMs) return cached.bundle;
  if (cached) void cached.bundle.then((b) => b.dispose()).catch(() => undefined);
  const bundle = loadVocoderBundle(abs);
  vocoderBundles.set(abs, { mtimeMs, bundle });
  bundle.catch(() => vocoderBundles.delete(abs));
  return bundle;
}

export interface SynthesizeArgs extends SynthesisOptions {
  text: string;
  voiceDir?: string;
  vocoder?: VocoderName;
  /** Another voice, or a vocoder bundle, whose WaveGlow to use (presets must match). */
  waveglowFromDir?: string;
  griffinLimIterations?: number;
  sigma?: number;
}

export async function runSynthesis(
  args: SynthesizeArgs,
  onSentence: (e: SentenceEvent) => void | Promise<void>,
  signal?: AbortSignal,
  onPlan?: SynthesisHooks['onPlan'],
  onVocoderProgress?: SynthesisHooks['onVocoderProgress'],
): Promise<SynthesisResult> {
  const engine = await engineFor(args.voiceDir);
  const vocoder = makeVocoder(engine, {
    name: args.vocoder ?? 'griffin-lim',
    iterations: args.griffinLimIterations,
    sigma: args.sigma,
    waveglowFrom: args.waveglowFromDir ? await waveglowSourceFor(args.waveglowFromDir) : undefined,
  });
  return synthesizeText(engine, vocoder, args.text, args, { signal, onSentence, onPlan, onVocoderProgress });
}

export interface AuditionArgs {
  text: string;
  voiceDir?: string;
  seed?: number;
  waveglowFromDir?: string;
  griffinLimIterations?: number;
  sigma?: number;
  /** Duration voices only (see SynthesisOptions). */
  pace?: number;
  pitch?: number;
}

export interface AuditionResult {
  voice: string;
  sampleRate: number;
  cleaned: string;
  mel: { nMels: number; frames: number; data: Float32Array };
  alignment: { steps: number; symbols: number; data: Float32Array };
  gate: Float32Array;
  griffinLim: { audio: Float32Array; ms: number };
  waveglow: { audio: Float32Array; ms: number } | null;
  /** Why there is no WaveGlow audio (no graph, preset mismatch…), else null. */
  waveglowNote: string | null;
  /** Which acoustic model made the mel. */
  model: AcousticModel['kind'];
  /** Tacotron-2's attention health; null for a duration model. */
  health: AttentionHealth | null;
  attempts: number;
  notes: string[];
}

/** One sentence → its mel, its alignment, and the same mel through Griffin-Lim and WaveGlow. */
export async function runAudition(args: AuditionArgs, signal?: AbortSignal): Promise<AuditionResult> {
  const engine = await engineFor(args.voiceDir);
  const m = engine.manifest;
  const chunks = await planAndEncodeText(args.text, m, { maxChars: 10_000, signal });
  if (chunks.length > 1) {
    throw new ServiceError('bad-input', `audition takes one sentence; this text has ${chunks.length} (use synthesize for longer text)`);
  }
  const chunk = chunks[0];
  const seed = args.seed ?? 1;
  const controls = checkAcousticControls(m, { pace: args.pace, pitch: args.pitch });
  const { acoustic, health, attempts } = await engine.synthesizeChunk(chunk.ids, { seed, index: 0, controls, signal });
  const vocoderSeed = deriveSeed(seed, 0, 99);
  let t = performance.now();
  const gl = await griffinLimVocoder(voiceMelPreset(m), { iterations: args.griffinLimIterations })(acoustic.mel, { seed: vocoderSeed, signal });
  const glMs = performance.now() - t;
  let waveglow: AuditionResult['waveglow'] = null;
  let waveglowNote: string | null = null;
  try {
    const wg = makeVocoder(engine, { name: 'waveglow', sigma: args.sigma, waveglowFrom: args.waveglowFromDir ? await waveglowSourceFor(args.waveglowFromDir) : undefined });
    t = performance.now();
    const audio = await wg(acoustic.mel, { seed: vocoderSeed, signal });
    waveglow = { audio, ms: performance.now() - t };
  } catch (e) {
    if (!(e instanceof ServiceError) || e.code === 'cancelled') throw e;
    waveglowNote = e.message;
  }
  return {
    voice: m.name,
    sampleRate: m.sampleRate,
    cleaned: chunk.cleaned,
    mel: acoustic.mel,
    alignment: { steps: acoustic.steps, symbols: acoustic.symbols, data: acoustic.alignment },
    gate: acoustic.gate,
    griffinLim: { audio: gl, ms: glMs },
    waveglow,
    waveglowNote,
    model: engine.kind,
    health,
    attempts: attempts.length,
    notes: [...engine.providerNotes, ...(health?.notes ?? [])],
  };
}
