import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeWav } from '../../../shared/dsp/wav';
import { main } from '../formant';
import { tinyVoice } from '../../services/synthesis/testing/tinyVoice';

// `formant say` as a person runs it: exit codes, messages, the WAV on disk.
let tmp: string;
let stderr: string;
let stdout: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-say-'));
  process.env.FORMANT_VOICES_DIR = path.join(tmp, 'no-voices');
});
afterAll(async () => {
  delete process.env.FORMANT_VOICES_DIR;
  await fs.rm(tmp, { recursive: true, force: true });
});

async function say(...args: string[]): Promise<number> {
  stderr = '';
  stdout = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  try {
    return await main(['node', 'formant', 'say', ...args]);
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

describe('formant say', () => {
  it('explains that no voice is installed and how to export one', async () => {
    expect(await say('Hello.', '-o', path.join(tmp, 'a.wav'))).toBe(1);
    expect(stderr).toMatch(/no voice is installed.*formant export-voice.*--voice <voice-dir>/s);
  });

  it('rejects bad usage clearly', async () => {
    expect(await say('-o', path.join(tmp, 'a.wav'))).toBe(2);
    expect(stderr).toMatch(/no text/);
    expect(await say('Hi.', '--vocoder', 'wavenet', '-o', path.join(tmp, 'a.wav'))).toBe(2);
    expect(stderr).toMatch(/unknown vocoder "wavenet" \(known: griffin-lim, waveglow\)/);
    const latin1 = path.join(tmp, 'latin1.txt');
    await fs.writeFile(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e]));
    expect(await say('--text-file', latin1, '-o', path.join(tmp, 'a.wav'))).toBe(2);
    expect(stderr).toMatch(/is not UTF-8 text/);
    expect(await say('Hi.', '--seed', '-3', '-o', path.join(tmp, 'a.wav'))).toBe(2);
  });

  const tiny = tinyVoice();
  it.skipIf(tiny.skip !== null)('writes a mono 16-bit 22050 Hz WAV from a text file, atomically', async () => {
    const text = path.join(tmp, 'story.txt');
    await fs.writeFile(text, 'Once upon a time. The end.\n');
    const out = path.join(tmp, 'story.wav');
    expect(await say('--text-file', text, '--voice', tiny.dir!, '--seed', '4', '-o', out)).toBe(0);
    expect(stdout).toMatch(/wrote .*story\.wav: [\d.]+ s of audio, 2 chunk\(s\)/);
    expect(stderr).toMatch(/note: .*running on CPU/);
    const wav = decodeWav(await fs.readFile(out));
    expect([wav.sampleRate, wav.channels.length, wav.bitsPerSample]).toEqual([22050, 1, 16]);
    expect(wav.channels[0].length).toBeGreaterThan(0);
  }, 120_000);

  const fp = tinyVoice({ model: 'fastpitch' });
  it.skipIf(fp.skip !== null)('--pace 2 on a duration voice gives a WAV about half as long as pace 1; --pitch is accepted', async () => {
    const text = 'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background.';
    const lengths: number[] = [];
    for (const pace of ['1', '2']) {
      const out = path.join(tmp, `pace-${pace}.wav`);
      expect(await say(text, '--voice', fp.dir!, '--pace', pace, '--pitch', '-3', '-o', out)).toBe(0);
      const wav = decodeWav(await fs.readFile(out));
      expect([wav.sampleRate, wav.channels.length, wav.bitsPerSample]).toEqual([22050, 1, 16]);
      lengths.push(wav.channels[0].length);
    }
    expect(lengths[1] / lengths[0]).toBeGreaterThan(0.35);
    expect(lengths[1] / lengths[0]).toBeLessThan(0.65);
  }, 120_000);

  it.skipIf(fp.skip !== null || tiny.skip !== null)('refuses bad pace and pitch values, pace/pitch on a Tacotron-2 voice and a stop threshold on a duration voice, in one line with exit 2', async () => {
    const out = path.join(tmp, 'refused.wav');
    const refused = async (args: string[], message: RegExp) => {
      expect(await say('Hello.', ...args, '-o', out)).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    };
    await refused(['--voice', fp.dir!, '--pace', 'fast'], /--pace must be a number above 0 .*got "fast"/);
    await refused(['--voice', fp.dir!, '--pace', '0'], /--pace must be above 0/);
    await refused(['--voice', fp.dir!, '--pace', '4'], /pace 4 is out of range for voice "tiny-fastpitch": from 0\.333 \(slower\) to 3 \(faster\)/);
    await refused(['--voice', fp.dir!, '--pitch', '13'], /pitch shift 13 semitones is out of range for voice "tiny-fastpitch": from -12 to \+12/);
    await refused(['--voice', fp.dir!, '--pitch', 'up'], /--pitch must be a number of semitones/);
    await refused(['--voice', tiny.dir!, '--pace', '1.5'], /pace 1\.5: only duration voices support pace and pitch shift; ".*" is a Tacotron-2 voice/);
    await refused(['--voice', tiny.dir!, '--pitch', '2'], /pitch 2: only duration voices support/);
    await refused(['--voice', fp.dir!, '--stop-threshold', '0.6'], /stop threshold 0\.6: "tiny-fastpitch" is a duration voice, which has no stop token/);
    await expect(fs.access(out)).rejects.toThrow();
  }, 120_000);
});
