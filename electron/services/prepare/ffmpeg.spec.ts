import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { decodeMonoToArray, ffmpegPath, parseInputBanner, probe } from './ffmpeg';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-ffmpeg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const saved = { bin: process.env.FFMPEG_BIN, path: process.env.FFMPEG_PATH };
afterEach(() => {
  process.env.FFMPEG_BIN = saved.bin;
  if (saved.bin === undefined) delete process.env.FFMPEG_BIN;
  process.env.FFMPEG_PATH = saved.path;
  if (saved.path === undefined) delete process.env.FFMPEG_PATH;
});

const tone = (rate: number, seconds: number, amp = 0.5) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * 440 * i) / rate));

describe('ffmpeg boundary', () => {
  it('probes rate, channels, codec and bit depth', async () => {
    const wav = path.join(tmp, 'p.wav');
    writeFileSync(wav, encodeWav([tone(48000, 1), tone(48000, 1)], 48000, { bitsPerSample: 24 }));
    const flac = path.join(tmp, 'p.flac');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'flac', flac]);
    expect(await probe(wav)).toMatchObject({ sampleRate: 48000, channels: 2, codec: 'pcm_s24le', bitsPerSample: 24 });
    const f = await probe(flac);
    expect(f).toMatchObject({ sampleRate: 48000, channels: 2, codec: 'flac', bitsPerSample: 24 });
    expect(f.durationSeconds).toBeCloseTo(1, 2);
  });

  it('decodes 6 channels to mono at the project rate, with the input described from the same run', async () => {
    const six = path.join(tmp, 'six.wav');
    const t = tone(44100, 2, 0.3);
    writeFileSync(six, encodeWav([t, t, t, new Float32Array(t.length), t, t], 44100));
    const { samples, summary } = await decodeMonoToArray(six, { sampleRate: 22050 });
    expect(samples.length).toBeGreaterThanOrEqual(44100 - 64);
    expect(samples.length).toBeLessThanOrEqual(44100 + 64);
    expect(summary.info).toMatchObject({ sampleRate: 44100, channels: 6, codec: 'pcm_s16le', bitsPerSample: 16 });
    let peak = 0;
    for (const v of samples) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.1); // downmixed, not one silent channel (LFE)
    expect(peak).toBeLessThan(1.5); // float: a sum above full scale is kept, not clipped (normalized later)
  });

  it('says which file is empty or undecodable', async () => {
    writeFileSync(path.join(tmp, 'zero.wav'), new Uint8Array(0));
    await expect(probe(path.join(tmp, 'zero.wav'))).rejects.toThrow('zero.wav: empty file (0 bytes)');
    writeFileSync(path.join(tmp, 'noise.mp3'), Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 255));
    await expect(decodeMonoToArray(path.join(tmp, 'noise.mp3'), { sampleRate: 22050 })).rejects.toThrow(/^noise\.mp3: cannot decode/);
    await expect(probe(path.join(tmp, 'absent.ogg'))).rejects.toThrow('absent.ogg: file not found');
  });

  it('resolves the binary from FFMPEG_BIN first, and explains a missing one', async () => {
    process.env.FFMPEG_BIN = '/nonexistent/ffmpeg';
    expect(ffmpegPath()).toBe('/nonexistent/ffmpeg');
    writeFileSync(path.join(tmp, 'ok.wav'), encodeWav(tone(22050, 0.5), 22050));
    await expect(decodeMonoToArray(path.join(tmp, 'ok.wav'), { sampleRate: 22050 })).rejects.toThrow(/was not found.*FFMPEG_BIN/);
  });

  it('parses the input banner', () => {
    const banner = `Input #0, wav, from 'x.wav':\n  Duration: 00:01:02.50, bitrate: 1411 kb/s\n  Stream #0:0: Audio: pcm_s24le ([1][0][0][0] / 0x0001), 96000 Hz, 5.1, s32 (24 bit), 6350 kb/s\nStream mapping:\n`;
    expect(parseInputBanner(banner)).toEqual({ durationSeconds: 62.5, sampleRate: 96000, channels: 6, codec: 'pcm_s24le', bitsPerSample: 24 });
    const mp3 = `Input #0, mp3, from 'x.mp3':\n  Duration: 00:00:04.55, start: 0.025057, bitrate: 49 kb/s\n  Stream #0:0: Audio: mp3, 22050 Hz, mono, fltp, 48 kb/s\n`;
    expect(parseInputBanner(mp3)).toMatchObject({ codec: 'mp3', channels: 1, bitsPerSample: null });
  });
});
