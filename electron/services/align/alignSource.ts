import type { SourceRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { registerSource } from '../prepare/registerSource';
import { RecordingFeatureStream, type RecordingFeatures } from './recordingFeatures';

/**
 * The recording being aligned becomes a source of the project through prepare's
 * `registerSource` (register without splitting): copied byte for byte into sources/ (never
 * modified afterwards), matched by sha256 so aligning twice does not copy twice. Its one decode
 * (prepare's ffmpeg stream, at the project rate) feeds the aligner's features chunk by chunk; the
 * samples themselves are not kept, so memory does not grow with the recording beyond its
 * features (~11 MB per hour). Clips read their audio again by region (acceptSegments).
 */
export interface LoadedSource {
  source: SourceRecord;
  features: RecordingFeatures;
  warnings: string[];
}

/** `sampleRate`: the project's rate (registerSource decodes at it). `onSeconds`: audio analysed so far. */
export async function addAlignSource(
  projectDir: string,
  audioPath: string,
  sampleRate: number,
  opts: { signal?: AbortSignal; onSeconds?: (seconds: number) => void } = {},
): Promise<LoadedSource> {
  const stream = new RecordingFeatureStream(sampleRate);
  let reported = 0;
  const r = await registerSource(projectDir, audioPath, {
    keepSeconds: 0,
    signal: opts.signal,
    onChunk: (chunk) => {
      stream.push(chunk);
      const seconds = stream.seconds;
      if (opts.onSeconds && seconds - reported >= 10) opts.onSeconds((reported = seconds));
    },
  });
  if (r.sampleRate !== sampleRate) throw new ServiceError('failed', `the recording was decoded at ${r.sampleRate} Hz, not the project's ${sampleRate} Hz`);
  return { source: r.source, features: stream.finish(), warnings: r.warnings };
}
