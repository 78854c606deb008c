import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeWav } from '../../../shared/dsp/wav';
import { main } from '../formant';
import { copyVoice, editVoiceJson, repoRoot, trainerPython } from '../../services/synthesis/testing/tinyVoice';

// `formant voice from-checkpoints / vocoder / add-waveglow` on files in NVIDIA's published layouts (made by
// resources/trainer/tests/nvidia_files.py without NVIDIA's code: a default-size Tacotron-2 state dict and a small
// pickled glow.WaveGlow module), then `formant say` with both vocoders, as a person would after downloading them.
const py = trainerPython();
const d = py ? describe : describe.skip;
if (!py) console.warn('voice.spec: skipped: no Python with torch and onnx');

let tmp: string;
let out = '';
let err = '';
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-voice-'));
  if (!py) return;
  const script = [
    'import sys; sys.path[:0] = ["tests", "."]',
    'from nvidia_files import save_nvidia_tacotron2, save_nvidia_waveglow',
    'from formant_trainer.hparams import load_hparams',
    `save_nvidia_tacotron2(sys.argv[1] + "/tacotron2_statedict.pt", load_hparams("default"))`,
    `save_nvidia_waveglow(sys.argv[1] + "/waveglow_256channels_universal_v5.pt", legacy_format=True)`,
  ].join('\n');
  const r = spawnSync(py, ['-c', script, tmp], { cwd: path.join(repoRoot, 'resources', 'trainer'), encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(r.stderr);
}, 300_000);
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function formant(...args: string[]): Promise<number> {
  out = '';
  err = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return await main(['node', 'formant', ...args]);
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

// An untrained Tacotron-2's stop token is noise: decode to the step limit (10 frames per symbol), no retries.
const untrained = ['--stop-threshold', '0.9999', '--no-retry'];

async function wav(file: string) {
  return decodeWav(new Uint8Array(await fs.readFile(file)));
}

d('formant voice (published checkpoints, no training)', () => {
  it('makes a voice that speaks with Griffin-Lim and WaveGlow', async () => {
    const voice = path.join(tmp, 'lj');
    const t2 = path.join(tmp, 'tacotron2_statedict.pt');
    const wg = path.join(tmp, 'waveglow_256channels_universal_v5.pt');
    expect(await formant('voice', 'from-checkpoints', '--tacotron2', t2, '--waveglow', wg, '--out', voice), err).toBe(0);
    expect(out).toMatch(/voice written to .*lj \(Tacotron-2 \+ WaveGlow\)/);
    const m = JSON.parse(await fs.readFile(path.join(voice, 'voice.json'), 'utf8'));
    expect(m.melPreset.name).toBe('nvidia');
    expect(m.provenance.sources.map((s: { file: string }) => s.file)).toEqual(['tacotron2_statedict.pt', 'waveglow_256channels_universal_v5.pt']);
    for (const vocoder of ['griffin-lim', 'waveglow']) {
      const file = path.join(tmp, `${vocoder}.wav`);
      expect(await formant('say', 'Hi.', '--voice', voice, '--vocoder', vocoder, ...untrained, '-o', file), err).toBe(0);
      const w = await wav(file);
      expect(w.sampleRate).toBe(22050);
      expect(w.channels[0].length).toBeGreaterThan(20 * 256); // the untrained decoder runs to its step limit
      expect(Math.max(...w.channels[0].map(Math.abs))).toBeGreaterThan(1e-3);
    }
  }, 300_000);

  it('keeps a WaveGlow apart for any voice of its preset, adds it to a voice, and refuses an unsafe file', async () => {
    const wg = path.join(tmp, 'waveglow_256channels_universal_v5.pt');
    const vocoder = path.join(tmp, 'wg');
    expect(await formant('voice', 'vocoder', '--waveglow', wg, '--out', vocoder), err).toBe(0);
    expect(out).toMatch(/mel preset "nvidia"/);
    // the first test's voice without its WaveGlow (a second from-checkpoints would cost another 15 s of export)
    const voice = await copyVoice(path.join(tmp, 'lj'), path.join(tmp, 'lj-plain'), ['waveglow.onnx']);
    await editVoiceJson(voice, (j) => (j.waveglow = null));
    expect(await formant('say', 'Hi.', '--voice', voice, '--vocoder', 'waveglow', '-o', path.join(tmp, 'x.wav'))).toBe(1);
    expect(err).toMatch(/has no WaveGlow/);
    expect(await formant('say', 'Hi.', '--voice', voice, '--vocoder', 'waveglow', '--waveglow-from', vocoder, ...untrained, '-o', path.join(tmp, 'borrowed.wav')), err).toBe(0);
    expect(await formant('voice', 'add-waveglow', voice, '--waveglow', vocoder), err).toBe(0);
    expect(JSON.parse(await fs.readFile(path.join(voice, 'voice.json'), 'utf8')).waveglow.nGroup).toBe(8);
    expect(await formant('say', 'Hi.', '--voice', voice, '--vocoder', 'waveglow', ...untrained, '-o', path.join(tmp, 'own.wav')), err).toBe(0);
    // same graph, same seed: the added WaveGlow sounds exactly like the borrowed one
    expect((await wav(path.join(tmp, 'own.wav'))).channels[0].length).toBeGreaterThan(20 * 256);
    expect((await fs.readFile(path.join(tmp, 'own.wav'))).equals(await fs.readFile(path.join(tmp, 'borrowed.wav')))).toBe(true);

    const evil = path.join(tmp, 'evil.pt');
    const r = spawnSync(py!, ['-c', 'import os, sys, torch\nclass E:\n    def __reduce__(self): return (os.system, ("touch " + sys.argv[2],))\ntorch.save({"model": E()}, sys.argv[1])', evil, path.join(tmp, 'pwned')]);
    expect(r.status).toBe(0);
    expect(await formant('voice', 'add-waveglow', voice, '--waveglow', evil)).toBe(2);
    expect(err).toMatch(/evil\.pt: refused to load: it asks to run (posix|nt)\.system/);
    await expect(fs.access(path.join(tmp, 'pwned'))).rejects.toThrow();
  }, 300_000);

  it('says what is wrong with the command line', async () => {
    expect(await formant('voice', 'from-checkpoints', '--tacotron2', path.join(tmp, 'missing.pt'), '--out', path.join(tmp, 'v'))).toBe(2);
    expect(err).toMatch(/--tacotron2 .*missing\.pt: no such file/);
    expect(await formant('voice', 'vocoder', '--waveglow', tmp, '--out', path.join(tmp, 'v'))).toBe(2);
    expect(err).toMatch(/a checkpoint file is expected, this is a folder/);
  });
});
