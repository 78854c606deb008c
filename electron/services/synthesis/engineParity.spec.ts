import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tacotron2Engine } from './engine';
import { planAndEncode } from './textFrontend';
import { repoRoot, trainerPython } from './testing/tinyVoice';
import { loadVoiceBundle } from './voiceBundle';

// The engine's decoder loop (state feedback, frame layout, post-net) against PyTorch eager
// `Tacotron2.inference` on the same checkpoint: pre-net masks of ones on both sides (prenetDropout 0
// here, an all-ones mask callback there) and the gate disabled for a fixed number of steps.
const py = trainerPython();
const d = py ? describe : describe.skip;

d('ONNX engine vs PyTorch eager (same checkpoint)', () => {
  it('predicts the same mel and alignment within 1e-4', async () => {
    const dir = path.join(os.tmpdir(), 'formant-synth-parity-tiny');
    const script = path.join(repoRoot, 'bench', 'synth_torch.py');
    if (!existsSync(path.join(dir, 't2.pt')) || !existsSync(path.join(dir, 'voice.json'))) {
      mkdirSync(dir, { recursive: true });
      const r = spawnSync(py!, [script, 'make', dir, '--config', 'tiny'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
    }
    const bundle = await loadVoiceBundle(dir);
    const ids = planAndEncode('Hello world, this is a test.', bundle.manifest)[0].ids;
    const steps = 24;
    const r = spawnSync(py!, [script, 'reference', dir, '--ids', JSON.stringify(ids), '--steps', String(steps)], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const ref = JSON.parse(r.stdout.trim().split('\n').pop()!) as { mel: number[]; nMels: number; frames: number; alignment: number[]; steps: number };

    const noDropout = { ...bundle, manifest: { ...bundle.manifest, tacotron2: { ...bundle.manifest.tacotron2!, prenetDropout: 0 } } };
    const engine = new Tacotron2Engine(noDropout, { requested: 'cpu' });
    const out = await engine.decode(ids, { seed: 1, stopThreshold: 0.9999999, maxDecoderStepsPerSymbol: steps / ids.length });
    await engine.dispose();

    expect(out.steps).toBe(ref.steps);
    expect([out.mel.nMels, out.mel.frames]).toEqual([ref.nMels, ref.frames]);
    let melDiff = 0;
    for (let i = 0; i < ref.mel.length; i++) melDiff = Math.max(melDiff, Math.abs(ref.mel[i] - out.mel.data[i]));
    let alignDiff = 0;
    for (let i = 0; i < ref.alignment.length; i++) alignDiff = Math.max(alignDiff, Math.abs(ref.alignment[i] - out.alignment[i]));
    expect(melDiff).toBeLessThan(1e-4);
    expect(alignDiff).toBeLessThan(1e-4);
  }, 300_000);
});
