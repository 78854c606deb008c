import * as ort from 'onnxruntime-node';
import { ServiceError } from '../../../shared/contract/rpc';
import { DECODER_STATE_NAMES } from '../../../shared/contract/voice';
import { createSession, type CreateOptions, type ProviderChoice, type SessionFactory } from './executionProviders';
import { SeededRandom } from './prng';
import { checkGraphIO, expectedGraphIO, type GraphRole, type VoiceBundle } from './voiceBundle';
import type { StopReason } from './attentionHealth';

/**
 * The Tacotron-2 runtime: encoder → decoder-step loop → post-net, plus WaveGlow, all ONNX.
 * Graphs load lazily (the first synthesis pays for them, listing voices does not) and are
 * checked against the bundle format when they load.
 *
 * The decoder loop is NVIDIA/tacotron2's `Decoder.inference` unrolled in TypeScript: the go frame
 * is zeros, each step feeds the last predicted frame back, and decoding stops when
 * sigmoid(gate) > stopThreshold or after maxDecoderStepsPerSymbol × symbols steps (capped by
 * maxDecoderSteps). Pre-net dropout stays on at inference (as in the paper); its masks come from a
 * seeded PRNG, so a seed fixes the output.
 */
export interface Mel {
  nMels: number;
  frames: number;
  /** Row-major [nMels][frames], as the models see it. */
  data: Float32Array;
}

export interface DecodeOptions {
  seed: number;
  stopThreshold?: number;
  maxDecoderStepsPerSymbol?: number;
  signal?: AbortSignal;
}

export interface AcousticOutput {
  /** Post-net mel (what the vocoders get). */
  mel: Mel;
  /** Decoder mel before the post-net residual. */
  melDecoder: Mel;
  /** Attention weights per decoder step, row-major [steps][symbols]. */
  alignment: Float32Array;
  steps: number;
  symbols: number;
  stopReason: StopReason;
  /** Stop-token probability per step. */
  gate: Float32Array;
}

type Sessions = Partial<Record<GraphRole, ort.InferenceSession>>;

export class Tacotron2Engine {
  private readonly sessions: Sessions = {};
  private readonly loading: Partial<Record<GraphRole, Promise<ort.InferenceSession>>> = {};
  /** One note per distinct provider choice (normally one line: "running on CPU because …"). */
  readonly providerNotes = new Set<string>();
  provider: ProviderChoice['provider'] | null = null;

  constructor(
    readonly bundle: VoiceBundle,
    private readonly sessionOptions: CreateOptions & { factory?: SessionFactory } = {},
  ) {}

  get manifest() {
    return this.bundle.manifest;
  }

  /** Loads (once) and checks one graph. */
  session(role: GraphRole): Promise<ort.InferenceSession> {
    const ready = this.sessions[role];
    if (ready) return Promise.resolve(ready);
    this.loading[role] ??= (async () => {
      const p = this.bundle.graphs[role];
      if (!p) throw new ServiceError('no-waveglow', `voice "${this.manifest.name}" has no WaveGlow vocoder; use Griffin-Lim`);
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

  /** Loads the acoustic graphs ahead of time (so time to first audio excludes graph loading when wanted). */
  async warmUp(withWaveGlow = false): Promise<void> {
    await Promise.all([this.session('encoder'), this.session('decoderStep'), this.session('postnet')]);
    if (withWaveGlow && this.bundle.graphs.waveglow) await this.session('waveglow');
  }

  async dispose(): Promise<void> {
    for (const s of Object.values(this.sessions)) await s?.release();
  }

  /** Symbol ids → mel + alignment. */
  async decode(ids: number[], opts: DecodeOptions): Promise<AcousticOutput> {
    const t = this.manifest.tacotron2;
    const T = ids.length;
    if (!T) throw new ServiceError('bad-input', 'nothing to synthesize: the text has no symbols');
    const [encoder, step, postnet] = await Promise.all([this.session('encoder'), this.session('decoderStep'), this.session('postnet')]);

    const enc = await encoder.run({ text: new ort.Tensor('int64', BigInt64Array.from(ids, (i) => BigInt(i)), [1, T]) });
    const memory = enc.memory;
    const processedMemory = enc.processed_memory;

    const threshold = opts.stopThreshold ?? t.stopThreshold;
    const perSymbol = opts.maxDecoderStepsPerSymbol ?? t.maxDecoderStepsPerSymbol;
    const maxSteps = Math.max(1, Math.min(t.maxDecoderSteps, Math.ceil(perSymbol * T)));
    const stateShape: Record<string, number[]> = {
      decoder_input: [1, t.nMels],
      attention_hidden: [1, t.attentionRnnDim],
      attention_cell: [1, t.attentionRnnDim],
      decoder_hidden: [1, t.decoderRnnDim],
      decoder_cell: [1, t.decoderRnnDim],
      attention_weights: [1, T],
      attention_weights_cum: [1, T],
      attention_context: [1, t.encoderEmbeddingDim],
    };
    const state: Record<string, ort.Tensor> = {};
    for (const name of DECODER_STATE_NAMES) {
      const shape = stateShape[name];
      state[name] = new ort.Tensor('float32', new Float32Array(shape[0] * shape[1]), shape);
    }
    const rng = new SeededRandom(opts.seed);
    const r = t.reductionFactor;
    const frames: Float32Array[] = [];
    const alignRows: Float32Array[] = [];
    const gates: number[] = [];
    let stopReason: StopReason = 'max-steps';

    for (let s = 0; s < maxSteps; s++) {
      if (opts.signal?.aborted) throw new ServiceError('cancelled', 'synthesis cancelled');
      const mask1 = rng.fillDropoutMask(new Float32Array(t.prenetDim), t.prenetDropout);
      const mask2 = rng.fillDropoutMask(new Float32Array(t.prenetDim), t.prenetDropout);
      const out = await step.run({
        ...state,
        memory,
        processed_memory: processedMemory,
        prenet_mask1: new ort.Tensor('float32', mask1, [1, t.prenetDim]),
        prenet_mask2: new ort.Tensor('float32', mask2, [1, t.prenetDim]),
      });
      const melFrames = out.mel_frames.data as Float32Array;
      for (let k = 0; k < r; k++) frames.push(melFrames.slice(k * t.nMels, (k + 1) * t.nMels));
      alignRows.push(new Float32Array(out.attention_weights_out.data as Float32Array));
      // Outputs become the next step's inputs as they are (no copy).
      for (const name of DECODER_STATE_NAMES) state[name] = out[`${name}_out`] as ort.Tensor;
      const p = sigmoid((out.gate_logit.data as Float32Array)[0]);
      gates.push(p);
      if (p > threshold) {
        stopReason = 'gate';
        break;
      }
    }

    const F = frames.length;
    const melDecoder = framesToMel(frames, t.nMels);
    const post = await postnet.run({ mel: new ort.Tensor('float32', melDecoder.data, [1, t.nMels, F]) });
    const mel: Mel = { nMels: t.nMels, frames: F, data: new Float32Array(post.mel_postnet.data as Float32Array) };
    const alignment = new Float32Array(alignRows.length * T);
    alignRows.forEach((row, i) => alignment.set(row, i * T));
    return { mel, melDecoder, alignment, steps: alignRows.length, symbols: T, stopReason, gate: Float32Array.from(gates) };
  }

  /** WaveGlow inference: z ~ N(0, I) from the seed, scaled by sigma inside the graph. */
  async waveglow(mel: Mel, opts: { seed: number; sigma?: number; signal?: AbortSignal }): Promise<Float32Array> {
    const w = this.manifest.waveglow;
    if (!w) throw new ServiceError('no-waveglow', `voice "${this.manifest.name}" has no WaveGlow vocoder; use Griffin-Lim`);
    const session = await this.session('waveglow');
    if (opts.signal?.aborted) throw new ServiceError('cancelled', 'synthesis cancelled');
    const samples = mel.frames * w.hopLength;
    const zMeta = session.inputMetadata.find((m) => m.name === 'z');
    // The graph may fix the channel count of z (the remaining channels after early outputs); else nGroup.
    const zChannels = zMeta?.isTensor && typeof zMeta.shape[1] === 'number' && zMeta.shape[1] > 0 ? zMeta.shape[1] : w.nGroup;
    const zLen = Math.ceil(samples / w.nGroup);
    const z = new SeededRandom(opts.seed).fillNormal(new Float32Array(zChannels * zLen));
    const out = await session.run({
      mel: new ort.Tensor('float32', mel.data, [1, mel.nMels, mel.frames]),
      z: new ort.Tensor('float32', z, [1, zChannels, zLen]),
      sigma: new ort.Tensor('float32', Float32Array.of(opts.sigma ?? w.sigma), [1]),
    });
    const audio = out.audio.data as Float32Array;
    return new Float32Array(audio.subarray(0, Math.min(audio.length, samples)));
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** [F][nMels] frames → row-major [nMels][F]. */
export function framesToMel(frames: Float32Array[], nMels: number): Mel {
  const F = frames.length;
  const data = new Float32Array(nMels * F);
  for (let f = 0; f < F; f++) {
    const fr = frames[f];
    for (let m = 0; m < nMels; m++) data[m * F + f] = fr[m];
  }
  return { nMels, frames: F, data };
}
