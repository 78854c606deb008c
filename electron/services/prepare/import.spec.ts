import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integratedLoudness } from '../../../shared/dsp/loudness';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';
import { loadManifest } from '../projectStore';
import { importRecordings } from './importRecordings';
import { utterance } from './testSignals';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => {
  const dir = path.join(tmp, `${name}-${++n}`);
  if (name === 'in') mkdirSync(dir, { recursive: true });
  return dir;
};

/** Hash of every file under a folder (relative path → sha256), to prove nothing changed. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Checks a rendered clip the way a user would: header, padding, level. */
function checkClipFile(file: string) {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
  expect(bytes.subarray(8, 12).toString()).toBe('WAVE');
  expect(view.getUint16(20, true)).toBe(1); // PCM
  expect(view.getUint16(22, true)).toBe(1); // mono
  expect(view.getUint32(24, true)).toBe(22050);
  expect(view.getUint16(34, true)).toBe(16);
  const wav = decodeWav(bytes);
  const x = wav.channels[0];
  const pad = Math.round(0.5 * 22050);
  for (let i = 0; i < pad; i++) {
    if (x[i] !== 0 || x[x.length - 1 - i] !== 0) throw new Error(`${path.basename(file)}: sample ${i} of the padding is not zero`);
  }
  // Speech starts right after the padding (trimmed: at most the 80 ms margin of near-silence).
  let first = pad;
  while (first < x.length && Math.abs(x[first]) < 0.01) first++;
  expect((first - pad) / 22050).toBeLessThan(0.15);
  return { samples: x, duration: x.length / 22050 };
}

function writeWav(file: string, channels: Float32Array[], rate: number, opts: { bitsPerSample?: 16 | 24 | 32; float?: boolean } = {}) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodeWav(channels, rate, opts));
}

describe('formant import (service)', () => {
  it('turns a stereo 44.1 kHz recording with a transcript into one padded, trimmed, normalized clip', async () => {
    const src = fresh('in');
    const u = utterance({ rate: 44100, seconds: 3, lead: 0.8, trail: 1.2, amp: 0.05 });
    writeWav(path.join(src, 'hello.wav'), [u.samples, u.samples.map((v) => v * 0.8)], 44100);
    writeFileSync(path.join(src, 'hello.txt'), 'Hello there,\nworld.\n');
    const before = hashTree(src);
    const proj = fresh('proj');
    const r = await importRecordings(proj, [src]);
    expect(r).toMatchObject({ imported: 1, failed: 0, clips: 1 });
    const m = await loadManifest(proj);
    expect(m.clips[0]).toMatchObject({ id: 'hello', text: 'Hello there, world.', status: 'transcribed', wav: 'wavs/hello.wav' });
    const speech = u.words[u.words.length - 1].end - u.words[0].start;
    const c = checkClipFile(path.join(proj, 'wavs', 'hello.wav'));
    // speech + two 80 ms margins (at most) + 2 × 0.5 s padding
    expect(c.duration).toBeGreaterThan(speech + 1 - 0.03);
    expect(c.duration).toBeLessThan(speech + 1 + 0.2);
    expect(m.clips[0].durationSeconds).toBeCloseTo(c.duration, 4);
    const body = c.samples.subarray(11025, c.samples.length - 11025);
    expect(Math.abs(integratedLoudness(body, 22050) - -23)).toBeLessThan(0.5);
    // The region in the source is recorded, and the original is stored untouched.
    expect(m.clips[0].sourceStart).toBeGreaterThan(0.6);
    expect(m.clips[0].sourceEnd).toBeLessThan(0.8 + 3 + 0.2);
    expect(m.sources[0]).toMatchObject({ sampleRate: 44100, channels: 2, codec: 'pcm_s16le', status: 'ok' });
    expect(readFileSync(path.join(proj, m.sources[0].storedPath)).equals(readFileSync(path.join(src, 'hello.wav')))).toBe(true);
    expect(hashTree(src)).toEqual(before);
  });

  it('splits a long recording at pauses into 1–12 s clips; the transcript stays on the source', async () => {
    const src = fresh('in');
    const u = utterance({ rate: 22050, seconds: 45, phraseSeconds: 2.5, pauseSeconds: 0.6, seed: 3 });
    writeWav(path.join(src, 'chapter.wav'), [u.samples], 22050);
    writeFileSync(path.join(src, 'chapter.txt'), 'A long text read in one go.');
    const proj = fresh('proj');
    const r = await importRecordings(proj, [path.join(src, 'chapter.wav')]);
    const m = await loadManifest(proj);
    expect(r.clips).toBeGreaterThanOrEqual(4);
    expect(m.clips.map((c) => c.id)[0]).toBe('chapter_001');
    expect(m.sources[0].transcript).toBe('A long text read in one go.');
    expect(r.files[0].warnings.join(' ')).toMatch(/chapter\.wav: split into \d+ clips/);
    for (const c of m.clips) {
      expect(c).toMatchObject({ text: null, status: 'untranscribed', origin: 'split' });
      const body = c.sourceEnd - c.sourceStart;
      expect(body).toBeLessThanOrEqual(12);
      expect(body).toBeGreaterThanOrEqual(1);
      // No cut inside a word.
      for (const w of u.words) {
        const cutInside = (t: number) => t > w.start + 0.005 && t < w.end - 0.005;
        if (cutInside(c.sourceStart) || cutInside(c.sourceEnd)) throw new Error(`clip ${c.id} ${c.sourceStart}–${c.sourceEnd} cuts word ${w.start.toFixed(3)}–${w.end.toFixed(3)}`);
      }
      checkClipFile(path.join(proj, c.wav));
    }
    // Every word is in some clip.
    for (const w of u.words) expect(m.clips.some((c) => c.sourceStart <= w.start && c.sourceEnd >= w.end)).toBe(true);
  });

  it('reads 8 kHz, 96 kHz, 24-bit, 32-bit float, 6-channel, FLAC and MP3 into the same clip format', async () => {
    const src = fresh('in');
    const mk = (rate: number, seed: number) => utterance({ rate, seconds: 2, amp: 0.2, seed }).samples;
    writeWav(path.join(src, 'rate8k.wav'), [mk(8000, 1)], 8000);
    writeWav(path.join(src, 'rate96k.wav'), [mk(96000, 2)], 96000);
    writeWav(path.join(src, 'pcm24.wav'), [mk(22050, 3)], 22050, { bitsPerSample: 24 });
    writeWav(path.join(src, 'float32.wav'), [mk(22050, 4)], 22050, { float: true });
    const six = mk(48000, 5);
    writeWav(path.join(src, 'surround.wav'), [six, six, six, new Float32Array(six.length), six, six], 48000);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path.join(src, 'rate96k.wav'), '-sample_fmt', 's32', '-c:a', 'flac', path.join(src, 'lossless.flac')]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path.join(src, 'rate8k.wav'), '-c:a', 'libmp3lame', '-b:a', '64k', path.join(src, 'lossy.mp3')]);
    const proj = fresh('proj');
    const r = await importRecordings(proj, [src]);
    expect(r.failed).toBe(0);
    expect(r.imported).toBe(7);
    const m = await loadManifest(proj);
    const bySource = Object.fromEntries(m.sources.map((s) => [s.id, s]));
    expect(bySource.rate8k).toMatchObject({ sampleRate: 8000, channels: 1 });
    expect(bySource.rate96k).toMatchObject({ sampleRate: 96000 });
    expect(bySource.pcm24).toMatchObject({ codec: 'pcm_s24le' });
    expect(bySource.float32.codec).toMatch(/pcm_f32le/);
    expect(bySource.surround).toMatchObject({ channels: 6, sampleRate: 48000 });
    expect(bySource.lossless).toMatchObject({ codec: 'flac' });
    expect(bySource.lossy).toMatchObject({ codec: 'mp3' });
    for (const c of m.clips) {
      const { duration } = checkClipFile(path.join(proj, c.wav));
      expect(duration).toBeGreaterThan(2.8);
      expect(duration).toBeLessThan(3.3);
    }
  });

  it('reports 0-byte, undecodable and corrupt files by name, imports the readable part of a truncated one, and goes on', async () => {
    const src = fresh('in');
    writeFileSync(path.join(src, 'empty.wav'), new Uint8Array(0));
    const junk = new Uint8Array(20000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
    writeFileSync(path.join(src, 'random.mp3'), junk);
    const good = encodeWav(utterance({ rate: 44100, seconds: 3, amp: 0.2 }).samples, 44100);
    writeFileSync(path.join(src, 'corrupt.wav'), Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk'), Buffer.from(junk.subarray(0, 4000))]));
    writeFileSync(path.join(src, 'truncated.wav'), good.subarray(0, Math.floor(good.length * 0.6)));
    writeFileSync(path.join(src, 'fine.wav'), good);
    const proj = fresh('proj');
    const r = await importRecordings(proj, [src, path.join(src, 'missing.flac')]);
    const byName = Object.fromEntries(r.files.map((f) => [path.basename(f.file), f]));
    expect(byName['empty.wav'].error).toBe('empty.wav: empty file (0 bytes)');
    expect(byName['random.mp3'].state).toBe('failed');
    expect(byName['random.mp3'].error).toMatch(/^random\.mp3: cannot decode/);
    expect(byName['corrupt.wav'].state).toBe('failed');
    expect(byName['corrupt.wav'].error).toMatch(/^corrupt\.wav: /);
    expect(byName['missing.flac'].error).toMatch(/missing\.flac: no such file/);
    expect(byName['truncated.wav'].state).toBe('imported');
    expect(byName['truncated.wav'].warnings.join(' ')).toMatch(/truncated\.wav: (damaged or truncated|truncated)/);
    expect(byName['fine.wav'].state).toBe('imported');
    expect(r.failed).toBe(4);
    const m = await loadManifest(proj);
    expect(m.clips.map((c) => c.id).sort()).toEqual(['fine', 'truncated']);
    checkClipFile(path.join(proj, 'wavs', 'truncated.wav'));
  });

  it('fixes up transcripts: Windows-1252 bytes, "|" and empty ones, with warnings naming the file', async () => {
    const src = fresh('in');
    const mk = (seed: number) => encodeWav(utterance({ rate: 22050, seconds: 2, amp: 0.2, seed }).samples, 22050);
    writeFileSync(path.join(src, 'latin.wav'), mk(1));
    writeFileSync(path.join(src, 'latin.txt'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x6e, 0x61, 0xef, 0x76, 0x65])); // "Café – naïve" in cp1252
    writeFileSync(path.join(src, 'pipe.wav'), mk(2));
    writeFileSync(path.join(src, 'pipe.lab'), 'left|right');
    writeFileSync(path.join(src, 'blank.wav'), mk(3));
    writeFileSync(path.join(src, 'blank.txt'), '  \n');
    writeFileSync(path.join(src, 'none.wav'), mk(4));
    const proj = fresh('proj');
    const r = await importRecordings(proj, [src]);
    const m = await loadManifest(proj);
    const clip = (id: string) => m.clips.find((c) => c.id === id)!;
    expect(clip('latin').text).toBe('Café – naïve');
    expect(clip('pipe').text).toBe('left right');
    expect(clip('blank')).toMatchObject({ text: '', status: 'untranscribed' });
    expect(clip('none')).toMatchObject({ text: null, status: 'untranscribed' });
    const warnings = r.files.flatMap((f) => f.warnings).join('\n');
    expect(warnings).toMatch(/latin\.txt: not valid UTF-8; read as Windows-1252/);
    expect(warnings).toMatch(/pipe\.lab: "\|" is the LJSpeech field separator/);
    expect(warnings).toMatch(/blank\.wav: the transcript \(blank\.txt\) is empty/);
  });

  it('gives same-named files from different folders distinct stable ids; resumes without redoing finished files', async () => {
    const src = fresh('in');
    writeWav(path.join(src, 'a', 'take.wav'), [utterance({ rate: 22050, seconds: 2, seed: 10 }).samples], 22050);
    writeWav(path.join(src, 'b', 'take.wav'), [utterance({ rate: 22050, seconds: 2, seed: 11 }).samples], 22050);
    writeFileSync(path.join(src, 'b', 'take.txt'), 'second take');
    const userBefore = hashTree(src);
    const proj = fresh('proj');
    await importRecordings(proj, [src]);
    const m1 = await loadManifest(proj);
    const shaB = createHash('sha256').update(readFileSync(path.join(src, 'b', 'take.wav'))).digest('hex');
    expect(m1.clips.map((c) => c.id).sort()).toEqual(['take', `take-${shaB.slice(0, 8)}`]);
    expect(m1.clips.find((c) => c.id === `take-${shaB.slice(0, 8)}`)!.text).toBe('second take');
    const sourcesBefore = hashTree(path.join(proj, 'sources'));
    const wavTimes = Object.fromEntries(m1.clips.map((c) => [c.id, statSync(path.join(proj, c.wav)).mtimeMs]));

    // Re-run: nothing to do.
    const again = await importRecordings(proj, [src]);
    expect(again).toMatchObject({ imported: 0, skipped: 2, failed: 0 });
    for (const c of m1.clips) expect(statSync(path.join(proj, c.wav)).mtimeMs).toBe(wavTimes[c.id]);

    // A clip lost (as if killed before its WAV was written): only that clip is rendered again from the stored source, same ids.
    unlinkSync(path.join(proj, 'wavs', 'take.wav'));
    const resumed = await importRecordings(proj, [src]);
    expect(resumed).toMatchObject({ imported: 0, skipped: 2, failed: 0 });
    expect(resumed.files.flatMap((f) => f.warnings).join('\n')).toMatch(/rendered 1 clip WAV\(s\) again that were missing or damaged \(take\)/);
    expect(statSync(path.join(proj, 'wavs', 'take.wav')).size).toBeGreaterThan(44);
    const m2 = await loadManifest(proj);
    expect(m2.clips.map((c) => c.id).sort()).toEqual(m1.clips.map((c) => c.id).sort());
    expect(hashTree(path.join(proj, 'sources'))).toEqual(sourcesBefore);
    expect(hashTree(src)).toEqual(userBefore);
  });

  it('streams a 10-minute recording (bounded memory path) and splits it', async () => {
    const src = fresh('in');
    const u = utterance({ rate: 16000, seconds: 600, phraseSeconds: 4, pauseSeconds: 0.5, seed: 21 });
    writeWav(path.join(src, 'long.wav'), [u.samples], 16000); // not the project rate: decoded by ffmpeg, streamed
    const proj = fresh('proj');
    // keepInMemorySeconds: 60 forces the two-pass streaming path for anything longer than a minute.
    const r = await importRecordings(proj, [src], { keepInMemorySeconds: 60 });
    expect(r.failed).toBe(0);
    const m = await loadManifest(proj);
    expect(m.clips.length).toBeGreaterThan(600 / 12);
    let covered = 0;
    for (const c of m.clips) {
      expect(c.sourceEnd - c.sourceStart).toBeLessThanOrEqual(12);
      covered += c.sourceEnd - c.sourceStart;
    }
    expect(covered).toBeGreaterThan(0.85 * 600);
    expect(m.sources[0].durationSeconds).toBeCloseTo(600 + 1.2, 1);
    for (const c of [m.clips[0], m.clips[m.clips.length >> 1], m.clips[m.clips.length - 1]]) checkClipFile(path.join(proj, c.wav));
  }, 120_000);
});
