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
});
