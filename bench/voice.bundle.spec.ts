import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../shared/dsp/wav';
import { runSynthesis } from '../electron/services/synthesis/operations';
import { loadVoiceBundle } from '../electron/services/synthesis/voiceBundle';
import { defaultVoiceDir } from '../electron/services/synthesis/voices';

// The shipped demo voices: resources/voices/demo (the duration model, the default) and resources/voices/demo-tacotron2
// (the seed's model). A broken or missing bundle must fail CI, because `formant say` without --voice, the Synthesize
// view and the first-start experience all use the default one, and the other is offered beside it.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = path.join(root, 'resources', 'voices', 'demo');
const demoTacotron2 = path.join(root, 'resources', 'voices', 'demo-tacotron2');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-demo-voice-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function formant(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete env.FORMANT_VOICES_DIR; // the embedded voices, as a user gets them
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { cwd: tmp, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each([
  ['demo', demo, 'fastpitch'],
  ['demo-tacotron2', demoTacotron2, 'tacotron2'],
] as const)('the shipped voice %s', (name, dir, model) => {
  it('is a valid bundle of its acoustic model, with its provenance', async () => {
    const b = await loadVoiceBundle(dir);
    expect(b.manifest.name).toBe(name);
    expect(b.manifest.sampleRate).toBe(22050);
    expect(model === 'fastpitch' ? b.manifest.fastpitch : b.manifest.tacotron2).toBeTruthy();
    expect(b.manifest.provenance.steps).toBeGreaterThan(0);
    expect(b.manifest.provenance.dataset).toMatch(/lj-train/);
    expect(existsSync(path.join(`${dir}-training`, `${model}.pt`))).toBe(true); // the state training resumes from
  });

  it('synthesizes "Hello there." to 22050 Hz mono audio of plausible length', async () => {
    const r = await runSynthesis({ text: 'Hello there.', voiceDir: dir, vocoder: 'griffin-lim', seed: 1 }, () => undefined);
    expect(r.sampleRate).toBe(22050);
    const m = (await loadVoiceBundle(dir)).manifest;
    // at most the decoder's cap (steps per symbol × symbols, r frames each) or, for a duration voice, a slow reader's
    // 3 s, plus joiner padding; at least a syllable
    const capSeconds = m.tacotron2
      ? (m.tacotron2.maxDecoderStepsPerSymbol * 'hello there.'.length * m.tacotron2.reductionFactor * Number(m.melPreset.hopLength)) / 22050
      : 3;
    expect(r.timings.audioSeconds).toBeGreaterThan(0.25);
    expect(r.timings.audioSeconds).toBeLessThan(capSeconds + 1.5);
    let energy = 0;
    for (const x of r.audio) {
      expect(Number.isFinite(x)).toBe(true);
      energy += x * x;
    }
    expect(Math.sqrt(energy / r.audio.length)).toBeGreaterThan(1e-3); // not silence
    const back = decodeWav(encodeWav(r.audio, r.sampleRate));
    expect(back.channels).toHaveLength(1);
    expect(back.sampleRate).toBe(22050);
  }, 120_000);
});

describe('the default voice', () => {
  it('is the duration-model demo voice, and what `formant say` uses without --voice', async () => {
    expect(await defaultVoiceDir()).toBe(demo);
    const service = await runSynthesis({ text: 'Hello there.', voiceDir: demo, vocoder: 'griffin-lim', seed: 1 }, () => undefined);
    const serviceWav = encodeWav(service.audio, service.sampleRate);
    const out = path.join(tmp, 'x.wav');
    const r = await formant(['say', 'Hello there.', '-o', out, '--seed', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const wav = decodeWav(readFileSync(out));
    expect(wav.sampleRate).toBe(22050);
    expect(wav.channels).toHaveLength(1);
    // same text, seed and vocoder as the service call on resources/voices/demo: the very same samples
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(serviceWav))).toBe(true);
  }, 180_000);
});
