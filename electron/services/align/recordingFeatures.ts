import { ServiceError } from '../../../shared/contract/rpc';
import { FrameMeter } from '../../../shared/dsp/levels';
import type { Frames } from './bandedDtw';
import { CepstraStream } from './features';

/**
 * What the aligner keeps of a recording: its 10 ms frame levels (speech runs, pauses) and its
 * 20 ms MFCC frames — about 11 MB per hour — never the samples (635 MB for 2 hours as float32).
 * Both are computed as the audio streams past (`RecordingFeatureStream`), so a recording is
 * decoded once for alignment and its samples are read again only for the clips (by region).
 */
export interface RecordingFeatures {
  sampleRate: number;
  durationSeconds: number;
  /** RMS level (dB) per frame of `levelHopSeconds` (a whole number of samples: 221 at 22050 Hz). */
  levelDb: Float32Array;
  levelHopSeconds: number;
  /** Raw (un-normalized) cepstra, row-major [frames][13], every FEATURE_HOP_SECONDS. */
  cepstra: Frames;
}

/** The level frame requested (s); FrameMeter rounds it to whole samples. */
const LEVEL_HOP_SECONDS = 0.01;

export class RecordingFeatureStream {
  private readonly meter: FrameMeter;
  private readonly cepstra: CepstraStream;
  private n = 0;

  constructor(readonly sampleRate: number) {
    this.meter = new FrameMeter(sampleRate, LEVEL_HOP_SECONDS);
    this.cepstra = new CepstraStream(sampleRate);
  }

  /** Seconds of audio pushed so far. */
  get seconds(): number {
    return this.n / this.sampleRate;
  }

  push(chunk: Float32Array): void {
    this.meter.push(chunk);
    this.cepstra.push(chunk);
    this.n += chunk.length;
  }

  finish(): RecordingFeatures {
    return {
      sampleRate: this.sampleRate,
      durationSeconds: this.n / this.sampleRate,
      levelDb: this.meter.finish(),
      levelHopSeconds: this.meter.hopSeconds,
      cepstra: this.cepstra.finish(),
    };
  }
}

/** Features of samples already in memory (tests, benchmarks), in 100 s pieces that yield and hear cancel. */
export async function featuresOfSamples(samples: Float32Array, sampleRate: number, signal?: AbortSignal): Promise<RecordingFeatures> {
  const stream = new RecordingFeatureStream(sampleRate);
  const step = 100 * sampleRate;
  for (let i = 0; i < samples.length; i += step) {
    if (signal?.aborted) throw new ServiceError('cancelled', 'alignment cancelled');
    stream.push(samples.subarray(i, Math.min(samples.length, i + step)));
    await new Promise<void>((r) => setImmediate(r));
  }
  return stream.finish();
}
