import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { melSpectrogram } from '../../../shared/dsp/mel';
import { MEL_PRESETS } from '../../../shared/dsp/melPresets';
import { writeNpy } from '../../../shared/dsp/npy';
import { decodeWav } from '../../../shared/dsp/wav';
import { renderSampleWav, runMelPreset, runSampleAudio } from './sampleAudio';
import { sampleNpyPath } from './samplePaths';

/** A voiced, gliding harmonic tone: something Griffin-Lim can rebuild, with a known length. */
function tone(seconds: number, rate: number): Float32Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (140 + 60 * (i / n))) / rate;
    x[i] = 0.3 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) * Math.sin((Math.PI * i) / n);
  }
  return x;
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

describe('validation sample → WAV (Griffin-Lim)', () => {
  let run: string;
  beforeEach(async () => {
    run = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-sample-'));
    await fs.mkdir(path.join(run, 'samples'));
  });
  afterEach(() => fs.rm(run, { recursive: true, force: true }));

  async function fixture(presetName: 'nvidia' | 'seed', step: number, seconds: number): Promise<{ npy: string; frames: number }> {
    const preset = MEL_PRESETS[presetName];
    await fs.writeFile(path.join(run, 'run.json'), JSON.stringify({ tacotron2: { hparams: { mel_preset: presetName } } }));
    const mel = melSpectrogram(tone(seconds, preset.sampleRate), preset);
    const npy = sampleNpyPath(run, step);
    await fs.writeFile(npy, writeNpy(mel.data, [mel.nMels, mel.frames]));
    return { npy, frames: mel.frames };
  }

  it('writes a mono 16-bit WAV at the preset rate, as long as the mel, and reuses it until the mel changes', async () => {
    const { npy, frames } = await fixture('nvidia', 200, 1.5);
    const r = await runSampleAudio(run, 200);
    expect(r).toMatchObject({ wav: path.join(run, 'samples', 'sample_00000200.wav'), sampleRate: 22050, cached: false });
    const bytes = await fs.readFile(r.wav);
    const wav = decodeWav(bytes);
    expect(wav.channels.length).toBe(1);
    expect(wav.bitsPerSample).toBe(16);
    expect(wav.format).toBe('pcm');
    expect(wav.sampleRate).toBe(22050);
    expect(Math.abs(wav.channels[0].length - frames * 256)).toBeLessThanOrEqual(256);
    expect(rms(wav.channels[0])).toBeGreaterThan(0.02);
    expect(r.seconds).toBeCloseTo(wav.channels[0].length / 22050, 6);

    const mtime = (await fs.stat(r.wav)).mtimeMs;
    const again = await runSampleAudio(run, 200);
    expect(again).toMatchObject({ wav: r.wav, cached: true });
    expect(again.seconds).toBeCloseTo(r.seconds, 6);
    expect((await fs.stat(r.wav)).mtimeMs).toBe(mtime);

    // the trainer re-saved the mel (a resumed run re-validating the same step): render again
    const later = new Date(Date.now() + 5000);
    await fs.utimes(npy, later, later);
    expect((await runSampleAudio(run, 200)).cached).toBe(false);
    expect((await fs.readdir(path.join(run, 'samples'))).sort()).toEqual(['sample_00000200.npy', 'sample_00000200.wav']);
  }, 60_000);

  it("uses the run's mel preset (seed: hop 275, dB-normalized mels)", async () => {
    const { frames } = await fixture('seed', 7, 0.6);
    expect((await runMelPreset(run)).name).toBe('seed');
    const r = await runSampleAudio(run, 7);
    const wav = decodeWav(await fs.readFile(r.wav));
    expect(Math.abs(wav.channels[0].length - frames * 275)).toBeLessThanOrEqual(275);
    expect(rms(wav.channels[0])).toBeGreaterThan(0.02);
  }, 60_000);

  it('gives clear errors for a missing sample, a foreign mel and NaN values', async () => {
    await expect(runSampleAudio(run, 300)).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('step 300') });
    const npy = sampleNpyPath(run, 1);
    await fs.writeFile(npy, writeNpy(new Float32Array(40 * 10), [40, 10]));
    await expect(renderSampleWav(npy, MEL_PRESETS.nvidia)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('80 mel bands') });
    const bad = new Float32Array(80 * 10).fill(-5);
    bad[3] = NaN;
    await fs.writeFile(npy, writeNpy(bad, [80, 10]));
    await expect(renderSampleWav(npy, MEL_PRESETS.nvidia)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('NaN') });
    await fs.writeFile(npy, 'not numpy');
    await expect(renderSampleWav(npy, MEL_PRESETS.nvidia)).rejects.toMatchObject({ code: 'bad-input' });
    await fs.writeFile(path.join(run, 'run.json'), JSON.stringify({ tacotron2: { hparams: { mel_preset: 'hifi' } } }));
    await expect(runMelPreset(run)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('hifi') });
  });
});
