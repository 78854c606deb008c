import { ServiceError } from '../contract/rpc';

/**
 * WAV (RIFF/RF64) reading and writing, pure TypeScript (no Node APIs) so the renderer,
 * workers and services share it.
 *
 * Reads: PCM 8 (unsigned) / 16 / 24 / 32-bit, IEEE float 32 / 64, WAVE_FORMAT_EXTENSIBLE with a
 * PCM or float sub-format, any extra chunks (LIST, fact, cue, bext…) including odd-sized ones
 * followed by their pad byte. Samples come out as Float32Array per channel, integers scaled by
 * 2^(bits-1) so that decode(encode(x)) is bit-exact for 16/24-bit data.
 * Long files: `parseWavHeader` on the first few KiB gives where the data lies; `readWavBlocks`
 * pulls blocks through any `(offset, length) => bytes` reader (a Node file handle, a Blob).
 */

/** Malformed, truncated or unsupported WAV data. Code `bad-audio` (stable, crosses the API). */
export class WavError extends ServiceError {
  /** `details` is the byte count needed when a header parse ran out of a partial read. */
  constructor(message: string, details?: number) {
    super('bad-audio', message, details);
    this.name = 'WavError';
  }
}

export type SampleFormat = 'pcm' | 'float';

export interface DecodedWav {
  sampleRate: number;
  /** One array per channel, nominally −1..1 (float files may exceed it; they are not clamped). */
  channels: Float32Array[];
  bitsPerSample: number;
  format: SampleFormat;
}

export interface WavHeader {
  sampleRate: number;
  channelCount: number;
  bitsPerSample: number;
  format: SampleFormat;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of sample data (already clamped to what the file holds when the size was a streaming placeholder). */
  dataLength: number;
  /** Whole frames in the data chunk. */
  frames: number;
  /** Other chunks seen before the data (ids), for diagnostics. */
  chunks: string[];
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

export interface ParseWavHeaderOptions {
  /**
   * Total size of the file when `bytes` is only its beginning (streaming). Without it the
   * file is assumed to be exactly `bytes`.
   */
  fileLength?: number;
}

/**
 * Parses the RIFF structure up to the start of the `data` chunk. `bytes` may be just the
 * beginning of the file (pass `fileLength`); if the data chunk's header is not inside it,
 * throws a WavError saying how many bytes are needed (`needBytes` in details).
 */
export function parseWavHeader(bytes: Uint8Array, opts: ParseWavHeaderOptions = {}): WavHeader {
  const fileLength = opts.fileLength ?? bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new WavError(`not a WAV file: ${bytes.length} bytes is too short for a RIFF header`);
  const riff = fourcc(view, 0);
  if (riff === 'RIFX') throw new WavError('big-endian WAV (RIFX) is not supported');
  if (riff !== 'RIFF' && riff !== 'RF64') {
    throw new WavError(`not a WAV file: starts with ${JSON.stringify(riff)} instead of "RIFF"`);
  }
  if (fourcc(view, 8) !== 'WAVE') throw new WavError(`RIFF file of type ${JSON.stringify(fourcc(view, 8))}, not "WAVE"`);

  let fmt:
    | { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number }
    | undefined;
  let ds64DataSize: number | undefined;
  const chunks: string[] = [];
  let pos = 12;
  for (;;) {
    if (pos + 8 > fileLength) {
      if (!fmt) throw new WavError('truncated WAV: no "fmt " chunk before the end of the file');
      throw new WavError('truncated WAV: no "data" chunk before the end of the file');
    }
    if (pos + 8 > bytes.length) {
      throw new WavError(`need more of the file to find the data chunk (at least ${pos + 8} bytes)`, pos + 8);
    }
    const id = fourcc(view, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'data') {
      if (!fmt) throw new WavError('malformed WAV: "data" chunk comes before the "fmt " chunk');
      const available = fileLength - body;
      let length: number;
      if (riff === 'RF64' && size === 0xffffffff) {
        if (ds64DataSize === undefined) throw new WavError('malformed RF64: no "ds64" chunk with the data size');
        length = ds64DataSize;
      } else {
        length = size;
      }
      // Writers that stream (ffmpeg to a pipe, crashed recorders) leave 0 or 0xFFFFFFFF.
      const placeholder = size === 0 || size === 0xffffffff;
      if (length > available) {
        if (!placeholder) {
          throw new WavError(
            `truncated WAV: the data chunk declares ${length} bytes but the file holds only ${Math.max(0, available)} after its header`,
          );
        }
        length = available;
      } else if (placeholder && size === 0) {
        length = available;
      }
      const format = describeFormat(fmt.tag, fmt.bits);
      const blockAlign = fmt.blockAlign;
      return {
        sampleRate: fmt.sampleRate,
        channelCount: fmt.channels,
        bitsPerSample: fmt.bits,
        format,
        blockAlign,
        dataOffset: body,
        dataLength: length,
        frames: Math.floor(length / blockAlign),
        chunks,
      };
    }
    if (body + Math.min(size, 40) > bytes.length && (id === 'fmt ' || id === 'ds64')) {
      if (body + size > fileLength) throw new WavError(`truncated WAV: the "${id}" chunk runs past the end of the file`);
      throw new WavError(`need more of the file to read the "${id}" chunk`, body + size);
    }
    if (id === 'fmt ') {
      if (size < 16) throw new WavError(`malformed WAV: "fmt " chunk is ${size} bytes, needs at least 16`);
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bits = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40) throw new WavError(`malformed WAVE_FORMAT_EXTENSIBLE: "fmt " chunk is ${size} bytes, needs 40`);
        // The first two bytes of the SubFormat GUID are the classic format tag.
        tag = view.getUint16(body + 24, true);
        const validBits = view.getUint16(body + 18, true);
        if (validBits && validBits > bits) throw new WavError(`malformed WAV: ${validBits} valid bits in ${bits}-bit containers`);
      }
      if (channels === 0) throw new WavError('malformed WAV: 0 channels');
      if (sampleRate === 0) throw new WavError('malformed WAV: sample rate 0');
      if (tag === WAVE_FORMAT_ALAW || tag === WAVE_FORMAT_MULAW) {
        throw new WavError(`unsupported WAV encoding: ${tag === WAVE_FORMAT_ALAW ? 'A-law' : 'µ-law'} (convert it to PCM first)`);
      }
      if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
        throw new WavError(`unsupported WAV encoding: format tag 0x${tag.toString(16).padStart(4, '0')} (only PCM and IEEE float)`);
      }
      describeFormat(tag, bits);
      // nBlockAlign is recomputed: some writers get it wrong, the container size is what counts.
      fmt = { tag, channels, sampleRate, blockAlign: channels * (bits / 8), bits };
    } else if (id === 'ds64') {
      if (size < 24) throw new WavError('malformed RF64: "ds64" chunk too small');
      ds64DataSize = Number(view.getBigUint64(body + 8, true));
    } else {
      chunks.push(id);
    }
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    pos = body + size + (size & 1);
  }
}

function describeFormat(tag: number, bits: number): SampleFormat {
  if (tag === WAVE_FORMAT_PCM) {
    if (bits !== 8 && bits !== 16 && bits !== 24 && bits !== 32) {
      throw new WavError(`unsupported WAV: ${bits}-bit PCM (supported: 8, 16, 24, 32)`);
    }
    return 'pcm';
  }
  if (bits !== 32 && bits !== 64) throw new WavError(`unsupported WAV: ${bits}-bit float (supported: 32, 64)`);
  return 'float';
}

/**
 * Decodes `frames` frames of raw data-chunk bytes (starting at a frame boundary) into one
 * Float32Array per channel. `out` may be passed to reuse buffers (each at least `frames` long).
 */
export function decodeWavFrames(header: WavHeader, data: Uint8Array, out?: Float32Array[]): Float32Array[] {
  const { channelCount: nch, bitsPerSample: bits, format, blockAlign } = header;
  const frames = Math.floor(data.length / blockAlign);
  const channels = out ?? Array.from({ length: nch }, () => new Float32Array(frames));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bps = bits / 8;
  for (let c = 0; c < nch; c++) {
    const ch = channels[c];
    let p = c * bps;
    if (format === 'float') {
      if (bits === 32) for (let i = 0; i < frames; i++, p += blockAlign) ch[i] = view.getFloat32(p, true);
      else for (let i = 0; i < frames; i++, p += blockAlign) ch[i] = view.getFloat64(p, true);
    } else if (bits === 16) {
      for (let i = 0; i < frames; i++, p += blockAlign) ch[i] = view.getInt16(p, true) / 32768;
    } else if (bits === 24) {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        const v = data[p] | (data[p + 1] << 8) | (data[p + 2] << 16);
        ch[i] = ((v << 8) >> 8) / 8388608;
      }
    } else if (bits === 32) {
      for (let i = 0; i < frames; i++, p += blockAlign) ch[i] = view.getInt32(p, true) / 2147483648;
    } else {
      for (let i = 0; i < frames; i++, p += blockAlign) ch[i] = (data[p] - 128) / 128;
    }
  }
  return channels;
}

/** Decodes a whole WAV file held in memory. */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const header = parseWavHeader(bytes);
  const data = bytes.subarray(header.dataOffset, header.dataOffset + header.frames * header.blockAlign);
  return {
    sampleRate: header.sampleRate,
    channels: decodeWavFrames(header, data),
    bitsPerSample: header.bitsPerSample,
    format: header.format,
  };
}

/** Reads `length` bytes at `offset` of the file (may return fewer at its end). */
export type ByteReader = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * Streams a long WAV in blocks of `blockFrames` frames without holding the whole file:
 * `for await (const { start, channels } of readWavBlocks(read, fileLength)) …`.
 */
export async function* readWavBlocks(
  read: ByteReader,
  fileLength: number,
  blockFrames = 1 << 16,
): AsyncGenerator<{ header: WavHeader; start: number; channels: Float32Array[] }> {
  let prefix = await read(0, Math.min(fileLength, 64 * 1024));
  let header: WavHeader;
  for (;;) {
    try {
      header = parseWavHeader(prefix, { fileLength });
      break;
    } catch (e) {
      const need = e instanceof WavError ? (e.details as number | undefined) : undefined;
      if (typeof need !== 'number' || need <= prefix.length) throw e;
      prefix = await read(0, Math.min(fileLength, Math.max(need, prefix.length * 2)));
    }
  }
  for (let start = 0; start < header.frames; start += blockFrames) {
    const n = Math.min(blockFrames, header.frames - start);
    const bytes = await read(header.dataOffset + start * header.blockAlign, n * header.blockAlign);
    if (bytes.length < n * header.blockAlign) throw new WavError(`truncated WAV: the file ended while reading frame ${start}`);
    yield { header, start, channels: decodeWavFrames(header, bytes.subarray(0, n * header.blockAlign)) };
  }
}

export interface EncodeWavOptions {
  bitsPerSample?: 16 | 24 | 32;
  /** Write IEEE float (32-bit). */
  float?: boolean;
}

/**
 * Encodes mono or multi-channel audio. PCM scales by 2^(bits-1) and clamps (no dither), so
 * decoded 16/24-bit audio re-encodes to the same bytes.
 */
export function encodeWav(
  samples: Float32Array | Float32Array[],
  sampleRate: number,
  opts: EncodeWavOptions = {},
): Uint8Array {
  const channels = Array.isArray(samples) ? samples : [samples];
  if (channels.length === 0) throw new WavError('encodeWav: no channels');
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames)) throw new WavError('encodeWav: channels have different lengths');
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new WavError(`encodeWav: bad sample rate ${sampleRate}`);
  const float = Boolean(opts.float);
  const bits = float ? 32 : (opts.bitsPerSample ?? 16);
  if (!float && bits !== 16 && bits !== 24 && bits !== 32) throw new WavError(`encodeWav: unsupported ${bits}-bit PCM`);
  const nch = channels.length;
  const bps = bits / 8;
  const blockAlign = nch * bps;
  const dataLength = frames * blockAlign;
  const factLength = float ? 12 : 0;
  const total = 12 + 24 + factLength + 8 + dataLength + (dataLength & 1);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  view.setUint16(22, nch, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  let p = 36;
  if (float) {
    ascii(p, 'fact');
    view.setUint32(p + 4, 4, true);
    view.setUint32(p + 8, frames, true);
    p += 12;
  }
  ascii(p, 'data');
  view.setUint32(p + 4, dataLength, true);
  p += 8;
  const scale = 2 ** (bits - 1);
  const max = scale - 1;
  for (let c = 0; c < nch; c++) {
    const ch = channels[c];
    let q = p + c * bps;
    if (float) {
      for (let i = 0; i < frames; i++, q += blockAlign) view.setFloat32(q, ch[i], true);
      continue;
    }
    for (let i = 0; i < frames; i++, q += blockAlign) {
      let v = Math.round(ch[i] * scale);
      if (v > max) v = max;
      else if (v < -scale) v = -scale;
      else if (v !== v) v = 0; // NaN → silence rather than garbage
      if (bits === 16) view.setInt16(q, v, true);
      else if (bits === 24) {
        out[q] = v & 0xff;
        out[q + 1] = (v >> 8) & 0xff;
        out[q + 2] = (v >> 16) & 0xff;
      } else view.setInt32(q, v, true);
    }
  }
  return out;
}

/** Averages the channels into one (the models and analyses are mono). */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}
