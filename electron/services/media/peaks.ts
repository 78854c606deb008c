import { promises as fs } from 'node:fs';
import { decodeWavFrames, parseWavHeader, WavError, type WavHeader } from '../../../shared/dsp/wav';
import type { Peaks } from '../../../shared/contract/media';

/**
 * Waveform peaks of a WAV file, computed by streaming it in blocks (a 2-hour file is never held
 * in memory). Each bucket's value is the sample of largest magnitude, sign kept, rounded to 1e-4
 * — the format wavesurfer's own `exportPeaks` produces and `load(url, peaks, duration)` accepts.
 * Channels are folded together (largest magnitude across channels).
 */
export interface PeaksOptions {
  buckets: number;
  /** Window in seconds; defaults to the whole file. */
  start?: number;
  end?: number;
}

const BLOCK_FRAMES = 1 << 18;

async function readHeader(fh: fs.FileHandle, fileLength: number): Promise<WavHeader> {
  let size = Math.min(fileLength, 64 * 1024);
  for (;;) {
    const buf = new Uint8Array(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    try {
      return parseWavHeader(buf.subarray(0, bytesRead), { fileLength });
    } catch (e) {
      const need = e instanceof WavError ? (e.details as number | undefined) : undefined;
      if (typeof need !== 'number' || need <= size || size >= fileLength) throw e;
      size = Math.min(fileLength, Math.max(need, size * 2));
    }
  }
}

export async function computePeaks(file: string, opts: PeaksOptions): Promise<Peaks> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const h = await readHeader(fh, size);
    const duration = h.frames / h.sampleRate;
    const start = Math.min(duration, Math.max(0, opts.start ?? 0));
    const end = Math.min(duration, Math.max(start, opts.end ?? duration));
    const f0 = Math.floor(start * h.sampleRate);
    const f1 = Math.max(f0, Math.min(h.frames, Math.round(end * h.sampleRate)));
    const buckets = Math.max(1, Math.min(opts.buckets, Math.max(1, f1 - f0)));
    const peaks = new Float64Array(buckets);
    const perBucket = (f1 - f0) / buckets;
    const edge = (k: number) => f0 + Math.floor(k * perBucket); // first frame of bucket k
    const bytes = new Uint8Array(BLOCK_FRAMES * h.blockAlign);
    // Fast path for the common case (16-bit PCM: every rendered clip): read ints in place, no float decode.
    const int16 = h.format === 'pcm' && h.bitsPerSample === 16 ? new Int16Array(bytes.buffer) : null;
    const chans = int16 ? [] : Array.from({ length: h.channelCount }, () => new Float32Array(BLOCK_FRAMES));
    const nch = h.channelCount;
    let k = 0; // current bucket
    for (let f = f0; f < f1; f += BLOCK_FRAMES) {
      const n = Math.min(BLOCK_FRAMES, f1 - f);
      const want = n * h.blockAlign;
      const { bytesRead } = await fh.read(bytes, 0, want, h.dataOffset + f * h.blockAlign);
      if (bytesRead < want) throw new WavError(`truncated WAV: ${file} ended while reading frame ${f}`);
      if (!int16) decodeWavFrames(h, bytes.subarray(0, want), chans);
      // Walk the buckets that overlap this block: [f, f + n).
      for (let i = 0; i < n; ) {
        while (k < buckets - 1 && edge(k + 1) <= f + i) k++;
        const end = Math.min(n, (k < buckets - 1 ? edge(k + 1) : f1) - f);
        let hi = -Infinity;
        let lo = Infinity;
        if (int16) {
          for (let j = i * nch, stop = end * nch; j < stop; j++) {
            const v = int16[j];
            if (v > hi) hi = v;
            if (v < lo) lo = v;
          }
          hi /= 32768;
          lo /= 32768;
        } else {
          for (const ch of chans)
            for (let j = i; j < end; j++) {
              const v = ch[j];
              if (v > hi) hi = v;
              if (v < lo) lo = v;
            }
        }
        const v = -lo > hi ? lo : hi;
        if (Math.abs(v) > Math.abs(peaks[k])) peaks[k] = v;
        i = end;
      }
    }
    return {
      sampleRate: h.sampleRate,
      duration,
      start: f0 / h.sampleRate,
      end: f1 / h.sampleRate,
      peaks: Array.from(peaks, (v) => Math.round(v * 1e4) / 1e4),
    };
  } finally {
    await fh.close();
  }
}

/** Small in-memory cache keyed by file identity (path, size, mtime) and the request. */
const cache = new Map<string, Promise<Peaks>>();
const CACHE_ENTRIES = 32;

export async function cachedPeaks(file: string, opts: PeaksOptions): Promise<Peaks> {
  const st = await fs.stat(file);
  const key = JSON.stringify([file, st.size, st.mtimeMs, opts.buckets, opts.start ?? null, opts.end ?? null]);
  let p = cache.get(key);
  if (!p) {
    p = computePeaks(file, opts);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return p;
}
