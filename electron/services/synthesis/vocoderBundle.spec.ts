import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOCODER_FILE } from '../../../shared/contract/voice';
import { MEL_PRESETS } from '../../../shared/dsp/melPresets';
import { runSynthesis } from './operations';
import { SeededRandom } from './prng';
import { copyVoice, editVoiceJson, tinyVoice } from './testing/tinyVoice';
import { loadVoiceBundle } from './voiceBundle';
import { runWaveGlow } from './waveGlowRun';

// A WaveGlow kept apart from any voice (vocoder.json + waveglow.onnx, as `formant voice vocoder` writes it) serves
// a voice of the same mel preset; long WaveGlow renders go in windows that report progress and stop on cancel.
const tiny = tinyVoice();
const d = tiny.skip ? describe.skip : describe;
if (tiny.skip) console.warn(`vocoderBundle.spec: skipped: ${tiny.skip}`);
const voice = tiny.dir!;

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-vocoder-spec-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function vocoderBundle(dir: string, edit: (j: Record<string, any>) => void = () => undefined): Promise<string> {
  const m = JSON.parse(await fs.readFile(path.join(voice, 'voice.json'), 'utf8'));
  await fs.mkdir(dir, { recursive: true });
  await fs.copyFile(path.join(voice, 'waveglow.onnx'), path.join(dir, 'waveglow.onnx'));
  const j = { format: 'formant-vocoder', version: 1, name: 'lj-waveglow', sampleRate: m.sampleRate, melPreset: m.melPreset, waveglow: m.waveglow, provenance: m.provenance };
  edit(j);
  await fs.writeFile(path.join(dir, VOCODER_FILE), JSON.stringify(j));
  return dir;
}

d('standalone WaveGlow bundles and windowed WaveGlow', () => {
  it('a voice without a WaveGlow speaks through a vocoder bundle, as it would with its own', async () => {
    const noWg = await copyVoice(voice, path.join(tmp, 'no-wg'), ['waveglow.onnx']);
    await editVoiceJson(noWg, (j) => (j.waveglow = null));
    const wg = await vocoderBundle(path.join(tmp, 'wg'));
    const own = await runSynthesis({ text: 'Hello there.', voiceDir: voice, vocoder: 'waveglow', seed: 3 }, () => undefined);
    const borrowed = await runSynthesis({ text: 'Hello there.', voiceDir: noWg, vocoder: 'waveglow', waveglowFromDir: wg, seed: 3 }, () => undefined);
    expect(borrowed.audio.length).toBeGreaterThan(0);
    expect(Buffer.from(borrowed.audio.buffer).equals(Buffer.from(own.audio.buffer))).toBe(true);
  });

  it('a vocoder bundle of another mel preset is refused, naming both presets', async () => {
    const wg = await vocoderBundle(path.join(tmp, 'wg-seed'), (j) => {
      j.name = 'seed-waveglow';
      j.melPreset = MEL_PRESETS.seed;
      j.waveglow.hopLength = MEL_PRESETS.seed.hopLength;
    });
    await expect(runSynthesis({ text: 'Hello.', voiceDir: voice, vocoder: 'waveglow', waveglowFromDir: wg }, () => undefined)).rejects.toMatchObject({
      code: 'vocoder-preset-mismatch',
      message: expect.stringMatching(/"seed-waveglow" was trained on mel preset "seed" but the acoustic model of "tiny" predicts mel preset "nvidia"/),
    });
  });

  it('a long mel renders in windows with progress, matching one run, and stops when cancelled', async () => {
    const bundle = await loadVoiceBundle(voice);
    const w = bundle.manifest.waveglow!;
    const session = await ort.InferenceSession.create(bundle.graphs.waveglow!);
    const frames = 300;
    const mel = { nMels: 80, frames, data: new SeededRandom(5).fillNormal(new Float32Array(80 * frames)).map((x) => x - 5) };
    const whole = await runWaveGlow(session, w, mel, { seed: 9, windowFrames: 10_000 });
    const progress: number[] = [];
    const windowed = await runWaveGlow(session, w, mel, { seed: 9, windowFrames: 64, contextFrames: 16, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([64, 128, 192, 256, 300]);
    expect(windowed.length).toBe(whole.length);
    let worst = 0;
    let rms = 0;
    for (let i = 0; i < whole.length; i++) {
      worst = Math.max(worst, Math.abs(windowed[i] - whole[i]));
      rms += whole[i] * whole[i];
    }
    expect(Math.sqrt(rms / whole.length)).toBeGreaterThan(1e-3); // real audio, not silence
    expect(worst).toBeLessThan(1e-4);
    // Without context the seams are audibly different: the context is what makes the windows agree.
    const noContext = await runWaveGlow(session, w, mel, { seed: 9, windowFrames: 64, contextFrames: 0 });
    let seam = 0;
    for (let i = 0; i < whole.length; i++) seam = Math.max(seam, Math.abs(noContext[i] - whole[i]));
    expect(seam).toBeGreaterThan(100 * Math.max(worst, 1e-7));

    const ac = new AbortController();
    const seen: number[] = [];
    const run = runWaveGlow(session, w, mel, { seed: 9, windowFrames: 64, signal: ac.signal, onProgress: (done) => (seen.push(done), ac.abort()) });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([64]);
    await session.release();
  });
});
