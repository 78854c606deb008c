import * as ort from 'onnxruntime-node';
import { ServiceError } from '../../../shared/contract/rpc';
import type { VoiceWaveGlow } from '../../../shared/contract/voice';
import type { Mel } from './acousticModel';
import { SeededRandom } from './prng';

/**
 * WaveGlow over a mel of any length. NVIDIA's 88 M-parameter WaveGlow takes seconds per second of audio on a CPU,
 * and one session.run cannot be interrupted, so a long mel runs in windows of `windowFrames` with `contextFrames`
 * of mel (and of the same noise z) on each side, of which only the middle is kept: the flows are convolutional,
 * so a window with enough context computes its middle as the whole run does (the seams differ by far less than
 * the noise; measured in bench:synth). Between windows the signal is checked and progress reported.
 * A mel that fits one window runs exactly as before: one run, the same z from the seed.
 */
export interface WaveGlowRunOptions {
  seed: number;
  sigma?: number;
  signal?: AbortSignal;
  /** Frames of the mel turned into audio so far, of all. */
  onProgress?: (doneFrames: number, totalFrames: number) => void;
  windowFrames?: number;
  contextFrames?: number;
}

export const WAVEGLOW_WINDOW_FRAMES = 128;
export const WAVEGLOW_CONTEXT_FRAMES = 16;

function cancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ServiceError('cancelled', 'synthesis cancelled');
}

export async function runWaveGlow(session: ort.InferenceSession, w: VoiceWaveGlow, mel: Mel, opts: WaveGlowRunOptions): Promise<Float32Array> {
  cancelled(opts.signal);
  const samples = mel.frames * w.hopLength;
  const zMeta = session.inputMetadata.find((m) => m.name === 'z');
  // The graph may fix the channel count of z (the remaining channels after early outputs); else nGroup.
  const zChannels = zMeta?.isTensor && typeof zMeta.shape[1] === 'number' && zMeta.shape[1] > 0 ? zMeta.shape[1] : w.nGroup;
  const zLen = Math.ceil(samples / w.nGroup);
  const z = new SeededRandom(opts.seed).fillNormal(new Float32Array(zChannels * zLen));
  const sigma = new ort.Tensor('float32', Float32Array.of(opts.sigma ?? w.sigma), [1]);
  const windowFrames = Math.max(1, opts.windowFrames ?? WAVEGLOW_WINDOW_FRAMES);
  const context = Math.max(0, opts.contextFrames ?? WAVEGLOW_CONTEXT_FRAMES);
  const zPerFrame = w.hopLength / w.nGroup;

  const run = async (a: number, b: number): Promise<Float32Array> => {
    const frames = b - a;
    const melData = a === 0 && b === mel.frames ? mel.data : new Float32Array(mel.nMels * frames);
    if (melData !== mel.data) for (let m = 0; m < mel.nMels; m++) melData.set(mel.data.subarray(m * mel.frames + a, m * mel.frames + b), m * frames);
    const len = a === 0 && b === mel.frames ? zLen : frames * zPerFrame;
    const zData = len === zLen ? z : new Float32Array(zChannels * len);
    if (zData !== z) for (let c = 0; c < zChannels; c++) zData.set(z.subarray(c * zLen + a * zPerFrame, c * zLen + a * zPerFrame + len), c * len);
    const out = await session.run({
      mel: new ort.Tensor('float32', melData, [1, mel.nMels, frames]),
      z: new ort.Tensor('float32', zData, [1, zChannels, len]),
      sigma,
    });
    return out.audio.data as Float32Array;
  };

  // One window: the whole mel in one run (also when z cannot be cut at frame boundaries).
  if (mel.frames <= windowFrames + 2 * context || !Number.isInteger(zPerFrame)) {
    const audio = await run(0, mel.frames);
    opts.onProgress?.(mel.frames, mel.frames);
    return new Float32Array(audio.subarray(0, Math.min(audio.length, samples)));
  }
  const out = new Float32Array(samples);
  for (let start = 0; start < mel.frames; start += windowFrames) {
    cancelled(opts.signal);
    const end = Math.min(mel.frames, start + windowFrames);
    const a = Math.max(0, start - context);
    const b = Math.min(mel.frames, end + context);
    const audio = await run(a, b);
    out.set(audio.subarray((start - a) * w.hopLength, (end - a) * w.hopLength), start * w.hopLength);
    opts.onProgress?.(end, mel.frames);
  }
  cancelled(opts.signal);
  return out;
}
