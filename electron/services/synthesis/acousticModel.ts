import * as ort from 'onnxruntime-node';
import { ServiceError } from '../../../shared/contract/rpc';
import type { AcousticModelKind, VoiceManifest } from '../../../shared/contract/voice';
import type { AttentionHealth, AttentionIssue, StopReason } from './attentionHealth';
import { createSession, type CreateOptions, type ProviderChoice, type SessionFactory } from './executionProviders';
import { checkGraphIO, expectedGraphIO, type GraphRole, type VoiceBundle } from './voiceBundle';
import { runWaveGlow, type WaveGlowRunOptions } from './waveGlowRun';

/**
 * The one interface synthesis talks to, whatever acoustic model a voice holds (voice.json says which):
 * symbol ids of one chunk → mel frames in the voice's preset, plus per-chunk diagnostics. Text frontend,
 * long-text planning, joins, vocoders, streaming, cancellation, seeds and timings (synthesize.ts) are
 * one path for every model; only what a model needs of its own (Tacotron-2's attention health check and
 * its one retry; the duration model's pace and pitch) lives behind `synthesizeChunk`.
 *
 * Engines: `Tacotron2Engine` (engine.ts: encoder → decoder-step loop → post-net) and `FastPitchEngine`
 * (fastPitchEngine.ts: one graph). `createAcousticModel` picks one from the bundle.
 */
export interface Mel {
  nMels: number;
  frames: number;
  /** Row-major [nMels][frames], as the models see it. */
  data: Float32Array;
}

export interface AcousticOutput {
  /** The mel the vocoders get (Tacotron-2: after the post-net). */
  mel: Mel;
  /** Tacotron-2: the decoder's mel before the post-net residual; null for a duration model. */
  melDecoder: Mel | null;
  /**
   * Row-major [steps][symbols]: Tacotron-2's attention weights per decoder step; for a duration model
   * the hard alignment its durations give (one row per frame, 1 at the symbol the frame belongs to).
   */
  alignment: Float32Array;
  steps: number;
  symbols: number;
  /** Tacotron-2: why decoding stopped; null for a duration model (it has no stop token). */
  stopReason: StopReason | null;
  /** Tacotron-2: stop-token probability per step; empty for a duration model. */
  gate: Float32Array;
  /** Duration model: frames per symbol (after pace); null for Tacotron-2. */
  durations: Int32Array | null;
}

/** Per-request controls; each model reads the ones it has (the boundary refuses the others). */
export interface AcousticControls {
  /** Tacotron-2 only. */
  stopThreshold?: number;
  maxDecoderStepsPerSymbol?: number;
  /** Tacotron-2: retry a chunk whose attention failed, once. Default true. */
  retry?: boolean;
  /** Duration model only: speaking rate, 1 = as trained, > 1 faster. */
  pace?: number;
  /** Duration model only: pitch shift in semitones. */
  pitch?: number;
}

export interface AttemptReport {
  seed: number;
  /** Tacotron-2's stop threshold of this attempt; null for a duration model. */
  stopThreshold: number | null;
  /** Decoder steps (Tacotron-2) or frames (duration model). */
  steps: number;
  stopReason: StopReason | null;
  issues: AttentionIssue[];
}

export interface ChunkDecode {
  acoustic: AcousticOutput;
  /** Tacotron-2's attention health of the kept attempt; null for a duration model (no attention to check). */
  health: AttentionHealth | null;
  attempts: AttemptReport[];
}

export interface ChunkContext {
  /** The request's seed; engines derive per-chunk/attempt seeds from it. */
  seed: number;
  /** The chunk's index in the plan. */
  index: number;
  controls: AcousticControls;
  signal?: AbortSignal;
}

export interface AcousticModel {
  readonly kind: AcousticModelKind;
  readonly bundle: VoiceBundle;
  readonly manifest: VoiceManifest;
  /** One note per distinct provider choice (normally one line: "running on CPU because …"). */
  readonly providerNotes: Set<string>;
  readonly provider: ProviderChoice['provider'] | null;
  /** Loads the acoustic graphs ahead of time (and WaveGlow when asked and present). */
  warmUp(withWaveGlow?: boolean): Promise<void>;
  dispose(): Promise<void>;
  /** One chunk's symbol ids → mel + diagnostics. Throws 'cancelled' when the signal fires. */
  synthesizeChunk(ids: number[], ctx: ChunkContext): Promise<ChunkDecode>;
  /** The voice's own WaveGlow (z from the seed); long mels report progress and stop between windows. */
  waveglow(mel: Mel, opts: WaveGlowRunOptions): Promise<Float32Array>;
}

export type EngineOptions = CreateOptions & { factory?: SessionFactory };

/**
 * What both engines share: graphs loaded lazily (the first synthesis pays for them, listing voices
 * does not) and checked against the bundle format when they load, provider notes, WaveGlow.
 */
export abstract class OnnxVoiceEngine {
  private readonly sessions: Partial<Record<GraphRole, ort.InferenceSession>> = {};
  private readonly loading: Partial<Record<GraphRole, Promise<ort.InferenceSession>>> = {};
  readonly providerNotes = new Set<string>();
  provider: ProviderChoice['provider'] | null = null;

  constructor(
    readonly bundle: VoiceBundle,
    protected readonly sessionOptions: EngineOptions = {},
  ) {}

  get manifest(): VoiceManifest {
    return this.bundle.manifest;
  }

  /** Loads (once) and checks one graph. */
  session(role: GraphRole): Promise<ort.InferenceSession> {
    const ready = this.sessions[role];
    if (ready) return Promise.resolve(ready);
    this.loading[role] ??= (async () => {
      const p = this.bundle.graphs[role];
      if (!p) {
        if (role === 'waveglow') throw new ServiceError('no-waveglow', `voice "${this.manifest.name}" has no WaveGlow vocoder; use Griffin-Lim`);
        throw new ServiceError('voice-graph-missing', `voice "${this.manifest.name}" (${this.bundle.dir}) has no ${role} graph`, { role });
      }
      let created: Awaited<ReturnType<typeof createSession>>;
      try {
        created = await createSession(p, this.sessionOptions, this.sessionOptions.factory);
      } catch (e) {
        throw new ServiceError('voice-graph-invalid', `voice "${this.manifest.name}": ${role} graph ${p} cannot be loaded: ${(e as Error).message}`);
      }
      checkGraphIO(`voice "${this.manifest.name}": ${role} graph ${p}`, created.session, expectedGraphIO(this.manifest, role));
      this.providerNotes.add(created.choice.note);
      this.provider = created.choice.provider;
      this.sessions[role] = created.session;
      return created.session;
    })();
    this.loading[role]!.catch(() => delete this.loading[role]);
    return this.loading[role]!;
  }

  async dispose(): Promise<void> {
    for (const s of Object.values(this.sessions)) await s?.release();
  }

  /** WaveGlow inference: z ~ N(0, I) from the seed, scaled by sigma inside the graph; long mels in windows (waveGlowRun.ts). */
  async waveglow(mel: Mel, opts: WaveGlowRunOptions): Promise<Float32Array> {
    const w = this.manifest.waveglow;
    if (!w) throw new ServiceError('no-waveglow', `voice "${this.manifest.name}" has no WaveGlow vocoder; use Griffin-Lim`);
    const session = await this.session('waveglow');
    return runWaveGlow(session, w, mel, opts);
  }
}
