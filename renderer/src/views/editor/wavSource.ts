import { decodeWav, decodeWavFrames, downmix, parseWavHeader, WavError, type WavHeader } from '../../../../shared/dsp/wav';

/**
 * A WAV behind a URL as mono samples that the mel view reads by range. Small files (a clip) are
 * fetched once and decoded whole; long ones (a 2-hour recording) are never downloaded: the header
 * comes from the first bytes, and each window's samples from one HTTP Range request (the media
 * routes of web mode and of Electron's protocol both serve ranges).
 */
export interface WavSource {
  sampleRate: number;
  totalSamples: number;
  /** 'whole': decoded in memory; 'ranged': read per window. */
  mode: 'whole' | 'ranged';
  read(s0: number, s1: number): Promise<Float32Array>;
}

export type Fetcher = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

/** Files up to this size are fetched whole (≈ 6 min of 16-bit mono 22 050 Hz). */
export const WHOLE_FILE_BYTES = 16 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

function totalFromContentRange(res: Response): number | null {
  const m = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : null;
}

async function bytesOf(res: Response, what: string): Promise<Uint8Array> {
  if (!res.ok) throw new Error(`could not load the ${what} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

function wholeSource(bytes: Uint8Array): WavSource {
  const wav = decodeWav(bytes);
  const samples = downmix(wav.channels);
  return {
    sampleRate: wav.sampleRate,
    totalSamples: samples.length,
    mode: 'whole',
    read: async (s0, s1) => samples.subarray(s0, s1),
  };
}

function rangedSource(url: string, fetcher: Fetcher, h: WavHeader): WavSource {
  return {
    sampleRate: h.sampleRate,
    totalSamples: h.frames,
    mode: 'ranged',
    async read(s0, s1) {
      if (s1 <= s0) return new Float32Array(0);
      const from = h.dataOffset + s0 * h.blockAlign;
      const want = (s1 - s0) * h.blockAlign;
      const res = await fetcher(url, { headers: { Range: `bytes=${from}-${from + want - 1}` } });
      if (res.status !== 206) throw new Error(`the media server did not answer a range request (HTTP ${res.status})`);
      const bytes = await bytesOf(res, 'audio range');
      if (bytes.length < want) throw new WavError(`truncated WAV: got ${bytes.length} of ${want} bytes at offset ${from}`);
      return downmix(decodeWavFrames(h, bytes.subarray(0, want)));
    },
  };
}

export async function openWavSource(url: string, fetcher: Fetcher = (u, i) => fetch(u, i), wholeBytes = WHOLE_FILE_BYTES): Promise<WavSource> {
  let res = await fetcher(url, { headers: { Range: `bytes=0-${HEAD_BYTES - 1}` } });
  // A server that ignores ranges sends the whole file: use it.
  if (res.status === 200) return wholeSource(await bytesOf(res, 'audio'));
  const total = totalFromContentRange(res);
  if (res.status !== 206 || total == null) throw new Error(`could not load the audio (HTTP ${res.status})`);
  if (total <= wholeBytes) return wholeSource(await bytesOf(await fetcher(url), 'audio'));
  let head = await bytesOf(res, 'audio header');
  for (;;) {
    try {
      return rangedSource(url, fetcher, parseWavHeader(head, { fileLength: total }));
    } catch (e) {
      const need = e instanceof WavError ? (e.details as number | undefined) : undefined;
      if (typeof need !== 'number' || need <= head.length) throw e;
      res = await fetcher(url, { headers: { Range: `bytes=0-${Math.min(total, Math.max(need, head.length * 2)) - 1}` } });
      head = await bytesOf(res, 'audio header');
    }
  }
}
