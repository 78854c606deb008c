import * as ort from 'onnxruntime-node';
import { MEL_PRESETS } from '../../../../shared/dsp/melPresets';
import type { VoiceManifest } from '../../../../shared/contract/voice';
import type { SessionFactory } from '../executionProviders';
import type { VoiceBundle } from '../voiceBundle';

/**
 * Test double for the three Tacotron-2 graphs, in plain TypeScript, with the exact I/O names and
 * shapes of the bundle format. It lets the engine's decoder loop be tested without Python/torch:
 * the attention walks forward `symbolsPerStep` symbols per step, the stop gate fires once the last
 * symbol is reached (or never, to provoke runaway decoding), and the predicted frame carries the
 * step counter plus the first pre-net mask entry, so seeds and state feedback are observable.
 */
export interface FakeBehaviour {
  /** Attention speed; 0 = stuck on the first symbol. */
  symbolsPerStep?: number;
  /** Never fire the stop gate. */
  neverStop?: boolean;
  /** Fire the gate after this many steps regardless of attention (early stop). */
  stopAfterSteps?: number;
}

export function fakeManifest(over: Partial<VoiceManifest['tacotron2']> = {}): VoiceManifest {
  const symbols = ['_', '~', ' ', '!', ',', '.', '?', "'", '-', ...'abcdefghijklmnopqrstuvwxyz'];
  return {
    format: 'formant-voice',
    version: 1,
    name: 'fake',
    sampleRate: 22050,
    melPreset: { ...MEL_PRESETS.nvidia, nMels: 8 },
    text: { cleaners: 'english', symbols, padId: 0, eosId: 1 },
    tacotron2: {
      reductionFactor: 1,
      nMels: 8,
      stopThreshold: 0.5,
      maxDecoderStepsPerSymbol: 10,
      maxDecoderSteps: 1000,
      prenetDim: 4,
      prenetDropout: 0.5,
      attentionRnnDim: 3,
      decoderRnnDim: 3,
      encoderEmbeddingDim: 4,
      attentionDim: 2,
      encoder: 'encoder.onnx',
      decoderStep: 'decoder_step.onnx',
      postnet: 'postnet.onnx',
      ...over,
    },
    waveglow: null,
    provenance: { dataset: 'fake', steps: 0, date: '2026-11-25', trainer: 'test', torch: 'none' },
  };
}

export function fakeBundle(manifest = fakeManifest()): VoiceBundle {
  return { dir: '/fake', manifest, graphs: { encoder: 'encoder.onnx', decoderStep: 'decoder_step.onnx', postnet: 'postnet.onnx', fastpitch: null, waveglow: null } };
}

type Feeds = Record<string, ort.Tensor>;

function fakeSession(inputNames: string[], outputNames: string[], run: (feeds: Feeds) => Record<string, ort.Tensor>): ort.InferenceSession {
  return {
    inputNames,
    outputNames,
    inputMetadata: [],
    outputMetadata: [],
    run: async (feeds: Feeds) => run(feeds),
    release: async () => undefined,
  } as unknown as ort.InferenceSession;
}

export function fakeFactory(m: VoiceManifest, behaviour: FakeBehaviour = {}): SessionFactory & { runs: Record<string, number> } {
  const t = m.tacotron2!;
  const speed = behaviour.symbolsPerStep ?? 0.25;
  const runs: Record<string, number> = { encoder: 0, decoder: 0, postnet: 0 };
  const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
  const states = ['decoder_input', 'attention_hidden', 'attention_cell', 'decoder_hidden', 'decoder_cell', 'attention_weights', 'attention_weights_cum', 'attention_context'];
  const factory = (async (p: string) => {
    if (p.endsWith('encoder.onnx')) {
      return fakeSession(['text'], ['memory', 'processed_memory'], (feeds) => {
        runs.encoder++;
        const T = feeds.text.dims[1];
        return { memory: f32(new Float32Array(T * t.encoderEmbeddingDim), [1, T, t.encoderEmbeddingDim]), processed_memory: f32(new Float32Array(T * t.attentionDim), [1, T, t.attentionDim]) };
      });
    }
    if (p.endsWith('decoder_step.onnx')) {
      return fakeSession(
        [...states, 'memory', 'processed_memory', 'prenet_mask1', 'prenet_mask2'],
        ['mel_frames', 'gate_logit', ...states.map((s) => `${s}_out`)],
        (feeds) => {
          runs.decoder++;
          const T = feeds.memory.dims[1];
          // attention_hidden[0] is the step counter: proves the engine feeds outputs back as inputs.
          const stepNo = (feeds.attention_hidden.data as Float32Array)[0] + 1;
          const pos = Math.min(T - 1, Math.floor(stepNo * speed));
          const weights = new Float32Array(T);
          weights[pos] = 1;
          const frames = new Float32Array(t.reductionFactor * t.nMels);
          frames.fill(stepNo + (feeds.prenet_mask1.data as Float32Array)[0]);
          const stop = behaviour.neverStop ? false : behaviour.stopAfterSteps ? stepNo >= behaviour.stopAfterSteps : pos >= T - 1;
          const hidden = new Float32Array(t.attentionRnnDim);
          hidden[0] = stepNo;
          const out: Record<string, ort.Tensor> = {
            mel_frames: f32(frames, [1, t.reductionFactor, t.nMels]),
            gate_logit: f32(Float32Array.of(stop ? 10 : -10), [1, 1]),
          };
          for (const s of states) out[`${s}_out`] = feeds[s];
          out.attention_hidden_out = f32(hidden, [1, t.attentionRnnDim]);
          out.attention_weights_out = f32(weights, [1, T]);
          out.decoder_input_out = f32(frames.slice((t.reductionFactor - 1) * t.nMels), [1, t.nMels]);
          return out;
        },
      );
    }
    if (p.endsWith('postnet.onnx')) {
      return fakeSession(['mel'], ['mel_postnet'], (feeds) => {
        runs.postnet++;
        const d = (feeds.mel.data as Float32Array).map((v) => v + 0.5);
        return { mel_postnet: f32(d, feeds.mel.dims as number[]) };
      });
    }
    throw new Error(`no such graph ${p}`);
  }) as unknown as SessionFactory & { runs: Record<string, number> };
  factory.runs = runs;
  return factory;
}
