import * as ort from 'onnxruntime-node';
import { ServiceError } from '../../../shared/contract/rpc';
import type { VoiceFastPitch } from '../../../shared/contract/voice';
import { OnnxVoiceEngine, type AcousticModel, type AcousticOutput, type ChunkContext, type ChunkDecode } from './acousticModel';
import { checkAcousticControls } from './controls';

/**
 * The duration-model runtime (FastPitch-style, non-autoregressive): one ONNX graph, `fastpitch.onnx`,
 * text ids + pace + pitch shift → mel [1, nMels, F] and frames per symbol. Deterministic (no dropout,
 * no stop token, no attention), so there is no seed to draw, no health check and nothing to retry: a
 * chunk is one graph run. The graph loads lazily on the first chunk, on the provider
 * executionProviders.ts picks (CUDA / DirectML / CoreML when available, else CPU with a note).
 */
export interface FastPitchOptions {
  pace?: number;
  pitch?: number;
  signal?: AbortSignal;
}

export class FastPitchEngine extends OnnxVoiceEngine implements AcousticModel {
  readonly kind = 'fastpitch' as const;

  /** The voice's duration-model section (the bundle was validated to hold one). */
  get fastpitch(): VoiceFastPitch {
    const f = this.manifest.fastpitch;
    if (!f) throw new ServiceError('voice-invalid', `voice "${this.manifest.name}" holds no duration model`);
    return f;
  }

  async warmUp(withWaveGlow = false): Promise<void> {
    await this.session('fastpitch');
    if (withWaveGlow && this.bundle.graphs.waveglow) await this.session('waveglow');
  }

  /** Symbol ids → mel + durations (and the hard alignment they give, for plots). */
  async decode(ids: number[], opts: FastPitchOptions = {}): Promise<AcousticOutput> {
    const N = ids.length;
    if (!N) throw new ServiceError('bad-input', 'nothing to synthesize: the text has no symbols');
    const { pace, pitch } = checkAcousticControls(this.manifest, { pace: opts.pace, pitch: opts.pitch });
    const session = await this.session('fastpitch');
    if (opts.signal?.aborted) throw new ServiceError('cancelled', 'synthesis cancelled');
    const out = await session.run({
      text: new ort.Tensor('int64', BigInt64Array.from(ids, (i) => BigInt(i)), [1, N]),
      pace: new ort.Tensor('float32', Float32Array.of(pace), [1]),
      pitch_shift: new ort.Tensor('float32', Float32Array.of(pitch), [1]),
    });
    const melT = out.mel;
    const nMels = this.fastpitch.nMels;
    const F = Number(melT.dims[2] ?? 0);
    if (melT.dims.length !== 3 || Number(melT.dims[1]) !== nMels) {
      throw new ServiceError('voice-graph-mismatch', `voice "${this.manifest.name}": fastpitch graph returned a mel of shape [${melT.dims.join(',')}], expected [1,${nMels},F]`);
    }
    const raw = out.durations.data as BigInt64Array;
    const durations = Int32Array.from(raw, (d) => Number(d));
    if (F === 0) {
      throw new ServiceError(
        'no-frames',
        `the duration model gave every one of its ${N} symbols 0 frames${pace !== 1 ? ` at pace ${pace}` : ''}, so there is nothing to say; ` +
          (pace > 1 ? 'try a slower pace, or ' : '') +
          'check the text has words this voice can read',
      );
    }
    // One row per frame, 1 at the symbol it belongs to: the alignment a duration model implies.
    const alignment = new Float32Array(F * N);
    let f = 0;
    for (let j = 0; j < N && f < F; j++) for (let k = 0; k < durations[j] && f < F; k++, f++) alignment[f * N + j] = 1;
    const mel = { nMels, frames: F, data: new Float32Array(melT.data as Float32Array) };
    return { mel, melDecoder: null, alignment, steps: F, symbols: N, stopReason: null, gate: new Float32Array(0), durations };
  }

  async synthesizeChunk(ids: number[], ctx: ChunkContext): Promise<ChunkDecode> {
    const acoustic = await this.decode(ids, { pace: ctx.controls.pace, pitch: ctx.controls.pitch, signal: ctx.signal });
    return { acoustic, health: null, attempts: [{ seed: ctx.seed, stopThreshold: null, steps: acoustic.steps, stopReason: null, issues: [] }] };
  }
}
