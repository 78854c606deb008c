import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { melSpectrogram } from '../../../shared/dsp/mel';
import { MEL_PRESETS } from '../../../shared/dsp/melPresets';
import { readNpy, writeNpy } from '../../../shared/dsp/npy';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';

const root = path.resolve(__dirname, '..', '..', '..');
const vectors = path.join(root, 'shared', 'dsp', 'testvectors');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-dsp-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function formant(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { encoding: 'utf8', cwd: tmp, env: { ...process.env, CI: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ffmpeg = process.env.FFMPEG_BIN ?? '/usr/bin/ffmpeg';

// Each spawn starts Node + tsx (~1–2 s CPU); on a busy 2-core CI box that can take far longer in wall time.
describe('formant mel / vocode (CLI)', { timeout: 180_000 }, () => {
  it('mel writes the float32 [80, frames] .npy the models see (equal to the stored test vector)', () => {
    const out = path.join(tmp, 'utt.npy');
    const r = formant('mel', path.join(vectors, 'espeak_utterance.wav'), '--preset', 'seed', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/mel \[80, 180\] \(seed/);
    const got = readNpy(readFileSync(out));
    const want = readNpy(readFileSync(path.join(vectors, 'espeak_utterance.seed.npy')));
    expect(got.shape).toEqual([80, 180]);
    expect(got.data).toEqual(want.data);
  });

  it.skipIf(!existsSync(ffmpeg))('mel decodes other rates and channel counts through ffmpeg to mono 22050 Hz', () => {
    // a 44.1 kHz stereo WAV of a 1 kHz tone, 0.5 s → 1 + floor(11025/256) = 44 frames at 22050 Hz
    const n = 22050;
    const tone = new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 44100));
    const src = path.join(tmp, 'tone44k.wav');
    writeFileSync(src, encodeWav([tone, tone], 44100));
    const out = path.join(tmp, 'tone.npy');
    const r = formant('mel', src, '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ preset: 'nvidia', shape: [80, 44], decodedWith: 'ffmpeg' });
    const mel = readNpy(readFileSync(out));
    // the loudest band in a middle frame is the one around 1 kHz (Slaney mel 15 → band ≈ 15/0.5586 − 1 ≈ 26)
    const col = Array.from({ length: 80 }, (_, m) => mel.data[m * 44 + 20]);
    expect(Math.abs(col.indexOf(Math.max(...col)) - 26)).toBeLessThanOrEqual(1);
  });

  it('vocode turns a mel into a 16-bit mono WAV at the preset rate, with the length the frames imply', () => {
    const out = path.join(tmp, 'gl.wav');
    const r = formant('vocode', path.join(vectors, 'chirp_noise.nvidia.npy'), '--vocoder', 'griffin-lim', '--iters', '4', '--seed', '3', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/griffin-lim 4 iterations/);
    const wav = decodeWav(readFileSync(out));
    expect(wav).toMatchObject({ sampleRate: 22050, bitsPerSample: 16, format: 'pcm' });
    expect(wav.channels.length).toBe(1);
    expect(wav.channels[0].length).toBe((26 - 1) * 256);
    expect(Math.max(...wav.channels[0].map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('vocode --threads 2 runs Griffin-Lim on worker threads and gives the same length and a sane level', () => {
    // 6 s → 517 frames: long enough to be split into two segments
    const sr = 22050;
    const x = new Float32Array(6 * sr).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / sr) * (1 + Math.sin((2 * Math.PI * 3 * i) / sr)) / 2);
    const mel = melSpectrogram(x, MEL_PRESETS.nvidia);
    const melFile = path.join(tmp, 'long.npy');
    writeFileSync(melFile, writeNpy(mel.data, [80, mel.frames]));
    const out = path.join(tmp, 'long.wav');
    const r = formant('vocode', melFile, '--iters', '3', '--threads', '2', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wav = decodeWav(readFileSync(out));
    expect(wav.channels[0].length).toBe((mel.frames - 1) * 256);
    const rms = Math.sqrt(wav.channels[0].reduce((s, v) => s + v * v, 0) / wav.channels[0].length);
    expect(rms).toBeGreaterThan(0.02);
  });

  // Error paths run in-process through the same entry point (main) as bin/formant.mjs: no extra
  // process start-ups for what is only argument and input checking.
  async function formantInProcess(...args: string[]) {
    const { main } = await import('../formant');
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    try {
      const code = await main(['node', 'formant', ...args]);
      return { code, stderr };
    } finally {
      spy.mockRestore();
    }
  }

  it('explains bad input: unknown preset or vocoder (exit 2), a corrupt WAV (exit 1), a mel of the wrong shape (exit 2)', async () => {
    const wav = path.join(vectors, 'chirp_noise.wav');
    let r = await formantInProcess('mel', wav, '--preset', 'hifigan', '--out', path.join(tmp, 'x.npy'));
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/unknown --preset "hifigan" \(choose nvidia or seed\)/)]);
    const broken = path.join(tmp, 'broken.wav');
    writeFileSync(broken, readFileSync(wav).subarray(0, 2000));
    r = await formantInProcess('mel', broken, '--out', path.join(tmp, 'x.npy'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated WAV: the data chunk declares 13230 bytes/);
    expect(existsSync(path.join(tmp, 'x.npy'))).toBe(false);
    const wrong = path.join(tmp, 'wrong.npy');
    writeFileSync(wrong, writeNpy(new Float32Array(64 * 5), [64, 5]));
    r = await formantInProcess('vocode', wrong, '-o', path.join(tmp, 'x.wav'), '--vocoder', 'waveglow');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown --vocoder "waveglow"/);
    r = await formantInProcess('vocode', wrong, '-o', path.join(tmp, 'x.wav'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shape \(64, 5\); the preset has 80 mel bands/);
    r = await formantInProcess('vocode', wrong, '-o', path.join(tmp, 'x.wav'), '--iters', '-3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--iters must be a whole number from 1 to 1000 \(got "-3"\)/);
  });
});
