import { describe, expect, it } from 'vitest';
import { decodeWav, downmix, encodeWav, parseWavHeader, readWavBlocks, WavError } from './wav';

// Builds RIFF files byte by byte (independently of encodeWav) so the reader is tested
// against the format, not against our own writer.
function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function riff(...chunks: Uint8Array[]): Uint8Array {
  const body = concat(new TextEncoder().encode('WAVE'), ...chunks);
  const head = new Uint8Array(8);
  head.set(new TextEncoder().encode('RIFF'));
  new DataView(head.buffer).setUint32(4, body.length, true);
  return concat(head, body);
}
function fmtChunk(tag: number, channels: number, rate: number, bits: number, extensibleSub?: number): Uint8Array {
  const ext = extensibleSub !== undefined;
  const b = new Uint8Array(ext ? 40 : 16);
  const v = new DataView(b.buffer);
  v.setUint16(0, ext ? 0xfffe : tag, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  if (ext) {
    v.setUint16(16, 22, true);
    v.setUint16(18, bits, true);
    v.setUint32(20, channels === 1 ? 4 : 3, true);
    v.setUint16(24, extensibleSub!, true);
    // rest of KSDATAFORMAT_SUBTYPE GUID: 00000000-0010-8000-00aa00389b71
    b.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  return b;
}
function bytesOf(arr: ArrayBufferView): Uint8Array {
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

describe('decodeWav', () => {
  it('reads 16-bit PCM stereo, interleaved, scaled by 1/32768', () => {
    const pcm = new Int16Array([0, 32767, -32768, 16384, 1, -1]);
    const w = decodeWav(riff(chunk('fmt ', fmtChunk(1, 2, 22050, 16)), chunk('data', bytesOf(pcm))));
    expect(w.sampleRate).toBe(22050);
    expect(w.format).toBe('pcm');
    expect(w.bitsPerSample).toBe(16);
    expect(Array.from(w.channels[0])).toEqual([0, -1, 1 / 32768]);
    expect(Array.from(w.channels[1])).toEqual([32767 / 32768, 0.5, -1 / 32768]);
  });

  it('reads 8-bit unsigned PCM (128 is silence)', () => {
    const w = decodeWav(riff(chunk('fmt ', fmtChunk(1, 1, 8000, 8)), chunk('data', new Uint8Array([128, 0, 255, 192]))));
    expect(Array.from(w.channels[0])).toEqual([0, -1, 127 / 128, 0.5]);
  });

  it('reads 24-bit PCM including negative values (sign extension)', () => {
    // 0x400000 = 0.5, 0xC00000 = -0.5, 0x800000 = -1, 0x7FFFFF = max
    const data = new Uint8Array([0x00, 0x00, 0x40, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x80, 0xff, 0xff, 0x7f]);
    const w = decodeWav(riff(chunk('fmt ', fmtChunk(1, 1, 48000, 24)), chunk('data', data)));
    expect(Array.from(w.channels[0])).toEqual([0.5, -0.5, -1, Math.fround(8388607 / 8388608)]);
  });

  it('reads 32-bit PCM and 32/64-bit float', () => {
    const i32 = new Int32Array([1 << 30, -(1 << 30)]);
    expect(Array.from(decodeWav(riff(chunk('fmt ', fmtChunk(1, 1, 16000, 32)), chunk('data', bytesOf(i32)))).channels[0])).toEqual([0.5, -0.5]);
    const f32 = new Float32Array([0.25, -1.5]);
    const wf = decodeWav(riff(chunk('fmt ', fmtChunk(3, 1, 16000, 32)), chunk('fact', new Uint8Array(4)), chunk('data', bytesOf(f32))));
    expect(wf.format).toBe('float');
    expect(Array.from(wf.channels[0])).toEqual([0.25, -1.5]); // not clamped
    const f64 = new Float64Array([0.125, -0.75]);
    expect(Array.from(decodeWav(riff(chunk('fmt ', fmtChunk(3, 1, 16000, 64)), chunk('data', bytesOf(f64)))).channels[0])).toEqual([0.125, -0.75]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with PCM and float sub-formats', () => {
    const pcm = new Int16Array([16384, -16384]);
    const w = decodeWav(riff(chunk('fmt ', fmtChunk(0, 1, 44100, 16, 1)), chunk('data', bytesOf(pcm))));
    expect(Array.from(w.channels[0])).toEqual([0.5, -0.5]);
    const f = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    const wf = decodeWav(riff(chunk('fmt ', fmtChunk(0, 2, 44100, 32, 3)), chunk('data', bytesOf(f))));
    expect(wf.format).toBe('float');
    expect(Array.from(wf.channels[1])).toEqual([Math.fround(0.2), Math.fround(0.4)]);
  });

  it('skips LIST and odd-sized chunks with their pad byte, before and after data', () => {
    const odd = chunk('junk', new Uint8Array([1, 2, 3])); // 3 bytes + 1 pad
    expect(odd.length).toBe(12);
    const list = chunk('LIST', new TextEncoder().encode('INFOISFT\x05\x00\x00\x00abcd\x00\x00'));
    const pcm = new Int16Array([100, -100, 200]);
    const w = decodeWav(riff(odd, chunk('fmt ', fmtChunk(1, 1, 22050, 16)), list, chunk('data', bytesOf(pcm)), list));
    expect(Array.from(w.channels[0]).map((x) => Math.round(x * 32768))).toEqual([100, -100, 200]);
    expect(parseWavHeader(riff(odd, chunk('fmt ', fmtChunk(1, 1, 22050, 16)), list, chunk('data', bytesOf(pcm)))).chunks).toEqual(['junk', 'LIST']);
  });

  it('accepts an odd-length 8-bit data chunk followed by a pad byte and another chunk', () => {
    const w = decodeWav(riff(chunk('fmt ', fmtChunk(1, 1, 8000, 8)), chunk('data', new Uint8Array([128, 255, 0])), chunk('LIST', new Uint8Array(4))));
    expect(w.channels[0].length).toBe(3);
  });

  it('uses the rest of the file when the data size is a streaming placeholder', () => {
    const pcm = new Int16Array([1000, 2000, 3000, 4000]);
    const file = riff(chunk('fmt ', fmtChunk(1, 1, 22050, 16)), chunk('data', bytesOf(pcm)));
    const dataSizeAt = 12 + 8 + 16 + 4;
    new DataView(file.buffer).setUint32(dataSizeAt, 0xffffffff, true);
    expect(decodeWav(file).channels[0].length).toBe(4);
  });

  it('gives clear errors for malformed and truncated files', () => {
    const good = encodeWav(new Float32Array(100), 22050);
    const err = (b: Uint8Array) => {
      try {
        decodeWav(b);
      } catch (e) {
        expect(e).toBeInstanceOf(WavError);
        expect((e as WavError).code).toBe('bad-audio');
        return (e as Error).message;
      }
      throw new Error('expected a WavError');
    };
    expect(err(new Uint8Array(0))).toMatch(/too short/);
    expect(err(new TextEncoder().encode('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'))).toMatch(/not a WAV file.*ID3/);
    expect(err(good.subarray(0, 100))).toMatch(/truncated WAV: the data chunk declares 200 bytes but the file holds only 56/);
    expect(err(good.subarray(0, 30))).toMatch(/truncated/);
    expect(err(riff(chunk('data', new Uint8Array(4)), chunk('fmt ', fmtChunk(1, 1, 8000, 16))))).toMatch(/before the "fmt " chunk/);
    expect(err(riff(chunk('fmt ', fmtChunk(1, 1, 8000, 16))))).toMatch(/no "data" chunk/);
    expect(err(riff(chunk('fmt ', fmtChunk(1, 1, 8000, 12)), chunk('data', new Uint8Array(4))))).toMatch(/12-bit PCM/);
    expect(err(riff(chunk('fmt ', fmtChunk(7, 1, 8000, 8)), chunk('data', new Uint8Array(4))))).toMatch(/µ-law/);
    expect(err(riff(chunk('fmt ', fmtChunk(0x55, 1, 8000, 16)), chunk('data', new Uint8Array(4))))).toMatch(/format tag 0x0055/);
    expect(err(riff(chunk('fmt ', fmtChunk(1, 0, 8000, 16)), chunk('data', new Uint8Array(4))))).toMatch(/0 channels/);
  });
});

describe('encodeWav', () => {
  const sine = new Float32Array(1000).map((_, i) => 0.8 * Math.sin((2 * Math.PI * 440 * i) / 22050));

  it('writes 16-bit mono PCM by default, 44-byte header, and round-trips within 1 LSB', () => {
    const bytes = encodeWav(sine, 22050);
    expect(bytes.length).toBe(44 + 2000);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    const w = decodeWav(bytes);
    expect(w).toMatchObject({ sampleRate: 22050, bitsPerSample: 16, format: 'pcm' });
    for (let i = 0; i < sine.length; i++) expect(Math.abs(w.channels[0][i] - sine[i])).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
    // decoded 16-bit audio re-encodes bit-exactly
    expect(encodeWav(w.channels[0], 22050)).toEqual(bytes);
  });

  it('writes 24/32-bit PCM and float32, multi-channel, and clamps out-of-range samples', () => {
    for (const opts of [{ bitsPerSample: 24 as const }, { bitsPerSample: 32 as const }, { float: true }]) {
      const left = new Float32Array([0, 0.5, -0.5, 1.5, -2]);
      const right = new Float32Array([0.25, -0.25, 0.125, 0, 0]);
      const w = decodeWav(encodeWav([left, right], 48000, opts));
      expect(w.channels.length).toBe(2);
      expect(Array.from(w.channels[1])).toEqual([0.25, -0.25, 0.125, 0, 0]);
      if (opts.float) expect(Array.from(w.channels[0])).toEqual([0, 0.5, -0.5, 1.5, -2]);
      else {
        expect(w.channels[0][3]).toBeCloseTo(1, 6);
        expect(w.channels[0][4]).toBe(-1);
      }
    }
  });

  it('rejects channels of different lengths', () => {
    expect(() => encodeWav([new Float32Array(3), new Float32Array(4)], 22050)).toThrow(/different lengths/);
  });

  it('downmix averages channels', () => {
    expect(Array.from(downmix([new Float32Array([1, 0]), new Float32Array([0, 1])]))).toEqual([0.5, 0.5]);
  });
});

describe('streaming', () => {
  it('parseWavHeader on a prefix gives the data offset; readWavBlocks streams a long file', async () => {
    const n = 100_003;
    const x = new Float32Array(n).map((_, i) => ((i % 200) - 100) / 128);
    const list = chunk('LIST', new Uint8Array(70_001)); // pushes the data chunk past the first 64 KiB read
    const file = riff(chunk('fmt ', fmtChunk(1, 1, 22050, 16)), list, chunk('data', encodeWav(x, 22050).subarray(44)));
    expect(() => parseWavHeader(file.subarray(0, 1024), { fileLength: file.length })).toThrow(/need more of the file/);
    const h = parseWavHeader(file.subarray(0, 80_000), { fileLength: file.length });
    expect(h.frames).toBe(n);
    expect(h.dataOffset).toBe(12 + 24 + 8 + 70_002 + 8);
    let reads = 0;
    const read = async (o: number, l: number) => {
      reads++;
      return file.subarray(o, o + l);
    };
    const got = new Float32Array(n);
    for await (const b of readWavBlocks(read, file.length, 30_000)) got.set(b.channels[0], b.start);
    expect(reads).toBe(2 + 4);
    expect(got).toEqual(decodeWav(file).channels[0]);
  });
});
