import type { SourceRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { registerSource } from '../prepare/registerSource';

/**
 * The recording being aligned becomes a source of the project through prepare's
 * `registerSource` (register without splitting): copied byte for byte into sources/ (never
 * modified afterwards), matched by sha256 so aligning twice does not copy twice, and decoded once,
 * whole, at the project rate — the aligner needs every sample.
 */
export interface LoadedSource {
  source: SourceRecord;
  samples: Float32Array;
  sampleRate: number;
  warnings: string[];
}

export async function addAlignSource(projectDir: string, audioPath: string, signal?: AbortSignal): Promise<LoadedSource> {
  const r = await registerSource(projectDir, audioPath, { keepSeconds: Infinity, signal });
  if (!r.scan.samples) throw new ServiceError('failed', 'the recording could not be held in memory');
  return { source: r.source, samples: r.scan.samples, sampleRate: r.sampleRate, warnings: r.warnings };
}
