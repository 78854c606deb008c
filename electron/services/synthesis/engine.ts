import * as ort from 'onnxruntime-node';
import { ServiceError } from '../../../shared/contract/rpc';
import { DECODER_STATE_NAMES, type VoiceTacotron2 } from '../../../shared/contract/voice';
import { OnnxVoiceEngine, type AcousticModel, type AcousticOutput, type AttemptReport, type ChunkContext, type ChunkDecode, type Mel } from './acousticModel';
import { attentionHealth, compareHealth, type StopReason } from './attentionHealth';
import { deriveSeed, SeededRandom } from './prng';

export type { AcousticOutput, Mel } from './acousticModel';

/**
 * The Tacotron-2 runtime: encoder → decoder-step loop → post-net, plus WaveGlow, all ONNX.
 * Graphs load lazily and are checked against the bundle format when they load (OnnxVoiceEngine).
 *
 * The decoder loop is NVIDIA/tacotron2's `Decoder.inference` unrolled in TypeScript: the go frame
 * is zeros, each step feeds the last predicted frame back, and decoding stops when
 * sigmoid(gate) > stopThreshold or after maxDecoderStepsPerSymbol × symbols steps (capped by
 * maxDecoderSteps). Pre-net dropout stays on at inference (as in the paper); its masks come from a
 * seeded PRNG, so a seed fixes the output.
 */
export interface DecodeOptions {
  seed: number;
  stopThreshold?: number;
  maxDecoderStepsPerSymbol?: number;
  signal?: AbortSignal;
}

/** Tacotron-2's output: always a decoder mel, a stop reason and gate values. */
export interface Tacotron2Output extends AcousticOutput {
  melDecoder: Mel;
  stopReason: StopReason;
}

export class Tacotron2Engine extends OnnxVoiceEngine implements AcousticModel {
  readonly kind = 'tacotron2' as const;

  /** The voice's Tacotron-2 section (the bundle was validated to hold one). */
  get tacotron2(): VoiceTacotron2 {
    const t = this.manifest.tacotron2;
    if (!t) throw new ServiceError('voice-invalid', `voice "${this.manifest.name}" holds no Tacotron-2 model`);
    return t;
  }

  /** Loads the acoustic graphs ahead of time (so time to first audio excludes graph loading when wanted). */
  async warmUp(withWaveGlow = false): Promise<void> {
    await Promise.all([this.session('encoder'), this.session('decoderStep'), this.session('postnet')]);
    if (withWaveGlow && this.bundle.graphs.waveglow) await this.session('waveglow');
  }

  /**
   * One chunk; when its attention fails, retries once with another pre-net seed and a stop threshold
   * moved against the failure (runaway → stop sooner, early stop → stop later), and keeps the better attempt.
   */
  async synthesizeChunk(ids: number[], ctx: ChunkContext): Promise<ChunkDecode> {
    const c = ctx.controls;
    const base = c.stopThreshold ?? this.tacotron2.stopThreshold;
    const attempt = async (n: number, threshold: number) => {
      const s = deriveSeed(ctx.seed, ctx.index, n);
      const acoustic = await this.decode(ids, { seed: s, stopThreshold: threshold, maxDecoderStepsPerSymbol: c.maxDecoderStepsPerSymbol, signal: ctx.signal });
      const health = attentionHealth(acoustic.alignment, acoustic.steps, acoustic.symbols, acoustic.stopReason);
      const report: AttemptReport = { seed: s, stopThreshold: threshold, steps: acoustic.steps, stopReason: acoustic.stopReason, issues: health.issues };
      return { acoustic, health, report };
    };
    const first = await attempt(0, base);
    if (first.health.ok || c.retry === false) return { acoustic: first.acoustic, health: first.health, attempts: [first.report] };
    const issues = first.health.issues;
    const threshold = issues.includes('runaway') ? base * 0.6 : issues.includes('early-stop') ? base + (1 - base) * 0.6 : base;
    const second = await attempt(1, threshold);
    const best = compareHealth(second.health, first.health) < 0 ? second : first;
    return { acoustic: best.acoustic, health: best.health, attempts: [first.report, second.report] };
  }

  /** Symbol ids → mel + alignment. */
  async decode(ids: number[], opts: DecodeOptions): Promise<Tacotron2Output> {
    const t = this.tacotron2;
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
    return { mel, melDecoder, alignment, steps: alignRows.length, symbols: T, stopReason, gate: Float32Array.from(gates), durations: null };
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
