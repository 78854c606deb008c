import { concatFloat32 } from '../../../shared/dsp/buffers';
import { promises as fs } from 'node:fs';
import { FrameMeter } from '../../../shared/dsp/levels';
import { decodeWav, downmix, parseWavHeader } from '../../../shared/dsp/wav';
import { type AudioInfo, AudioDecodeError, decodeMono } from './ffmpeg';

/**
 * Reading a source recording as mono float at the project rate, with bounded memory.
 *
 * `scanSource` decodes once: it measures 10 ms frame levels (for trimming and splitting) and keeps
 * the samples in memory when the recording is short enough (the common case: one decode in all).
 * Longer recordings keep only the frame levels; `streamRegions` then decodes a second time and hands
 * out each clip's samples as the stream passes, so memory stays at about one clip.
 * WAV files already at the project rate (mono or stereo) are decoded in-process, without ffmpeg.
 */

export const HOP_SECONDS = 0.01;

export interface ScanResult {
  info: AudioInfo;
  /** Decoded length at the project rate. */
  durationSeconds: number;
  frameDb: Float32Array;
  hopSeconds: number;
  /** All samples, or null when the recording was too long to keep (use streamRegions). */
  samples: Float32Array | null;
  warnings: string[];
  decoder: 'wav' | 'ffmpeg';
}

function tryWavInProcess(bytes: Uint8Array, rate: number): { samples: Float32Array; info: AudioInfo } | null {
  if (bytes.length < 44 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'RIFF') return null;
  try {
    const h = parseWavHeader(bytes);
    if (h.sampleRate !== rate || h.channelCount > 2) return null;
    const wav = decodeWav(bytes);
    const samples = downmix(wav.channels);
    return {
      samples,
      info: {
        durationSeconds: h.frames / h.sampleRate,
        sampleRate: h.sampleRate,
        channels: h.channelCount,
        codec: wav.format === 'float' ? `pcm_f${h.bitsPerSample}le` : `pcm_s${h.bitsPerSample}le`,
        bitsPerSample: h.bitsPerSample,
      },
    };
  } catch {
    return null; // truncated or odd: ffmpeg decodes what it can and says what is wrong
  }
}

export interface ScanOptions {
  sampleRate: number;
  /** The file's bytes when already in memory (enables the in-process WAV path). */
  bytes?: Uint8Array | null;
  /** Keep samples in memory up to this length (seconds); longer recordings are streamed twice. */
  keepSeconds?: number;
  /** Sees every decoded chunk (mono, project rate) as it streams past: features computed in the same decode. */
  onChunk?: (chunk: Float32Array) => void;
  signal?: AbortSignal;
}

export async function scanSource(file: string, opts: ScanOptions): Promise<ScanResult> {
  const rate = opts.sampleRate;
  const meter = new FrameMeter(rate, HOP_SECONDS);
  if (opts.bytes) {
    const fast = tryWavInProcess(opts.bytes, rate);
    if (fast) {
      meter.push(fast.samples);
      opts.onChunk?.(fast.samples);
      return { info: fast.info, durationSeconds: fast.samples.length / rate, frameDb: meter.finish(), hopSeconds: meter.hopSeconds, samples: fast.samples, warnings: [], decoder: 'wav' };
    }
  }
  const keep = Math.floor((opts.keepSeconds ?? 1200) * rate);
  let parts: Float32Array[] | null = [];
  let n = 0;
  const dec = decodeMono(file, { sampleRate: rate, signal: opts.signal });
  for await (const chunk of dec.chunks) {
    meter.push(chunk);
    opts.onChunk?.(chunk);
    n += chunk.length;
    if (parts) {
      parts.push(chunk);
      if (n > keep) parts = null; // too long to hold: frame levels only, second pass later
    }
  }
  const summary = await dec.summary;
  if (n === 0) throw new AudioDecodeError(file, 'decoded to no audio at all (0 samples)');
  let samples: Float32Array | null = null;
  if (parts) {
    samples = concatFloat32(parts);
  }
  const warnings = [...summary.warnings];
  const declared = summary.info.durationSeconds;
  if (declared != null && declared - n / rate > Math.max(0.25, declared * 0.02))
    warnings.push(`truncated: the file declares ${declared.toFixed(2)} s but only ${(n / rate).toFixed(2)} s could be decoded`);
  return { info: summary.info, durationSeconds: n / rate, frameDb: meter.finish(), hopSeconds: meter.hopSeconds, samples, warnings, decoder: 'ffmpeg' };
}

export interface Region {
  start: number;
  end: number;
}

/**
 * Second pass for long recordings: decodes the file again and calls `onRegion(i, samples)` for each
 * region (sorted, non-overlapping, seconds) as soon as its samples have streamed past.
 */
export async function streamRegions(
  file: string,
  rate: number,
  regions: Region[],
  onRegion: (index: number, samples: Float32Array) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const bounds = regions.map((r) => [Math.round(r.start * rate), Math.round(r.end * rate)] as const);
  let r = 0;
  let buf = bounds.length ? new Float32Array(bounds[0][1] - bounds[0][0]) : null;
  let pos = 0;
  const dec = decodeMono(file, { sampleRate: rate, signal });
  for await (const chunk of dec.chunks) {
    const cStart = pos;
    const cEnd = pos + chunk.length;
    while (buf) {
      const [s, e] = bounds[r];
      if (s >= cEnd) break; // starts in a later chunk
      const from = Math.max(s, cStart);
      const to = Math.min(e, cEnd);
      if (to > from) buf.set(chunk.subarray(from - cStart, to - cStart), from - s);
      if (e > cEnd) break; // continues in the next chunk
      await onRegion(r, buf);
      r++;
      buf = r < bounds.length ? new Float32Array(bounds[r][1] - bounds[r][0]) : null;
    }
    pos = cEnd;
    if (!buf) break;
  }
  await dec.summary.catch(() => undefined);
  // A region reaching past the decoded end (rounding) gets what there was.
  while (buf) {
    await onRegion(r, buf);
    r++;
    buf = r < bounds.length ? new Float32Array(bounds[r][1] - bounds[r][0]) : null;
  }
}

/**
 * Samples of one region of a source (re-rendering after an edit). In-process for WAV at the
 * project rate; otherwise ffmpeg seeks to a second before the region and the rest is cut exactly.
 */
export async function readRegion(file: string, rate: number, start: number, end: number, signal?: AbortSignal): Promise<Float32Array> {
  const st = await fs.stat(file);
  if (st.size <= 256 * 1024 * 1024) {
    const fast = tryWavInProcess(await fs.readFile(file), rate);
    if (fast) return fast.samples.slice(Math.round(start * rate), Math.round(end * rate));
  }
  const pre = Math.max(0, start - 1);
  const dec = decodeMono(file, { sampleRate: rate, startSeconds: pre, durationSeconds: end - pre + 0.1, signal });
  const skip = Math.round((start - pre) * rate);
  const len = Math.round(end * rate) - Math.round(start * rate);
  const out = new Float32Array(len);
  let pos = 0;
  for await (const chunk of dec.chunks) {
    const from = Math.max(skip, pos);
    const to = Math.min(skip + len, pos + chunk.length);
    if (to > from) out.set(chunk.subarray(from - pos, to - pos), from - skip);
    pos += chunk.length;
    if (pos >= skip + len) break;
  }
  return out;
}
