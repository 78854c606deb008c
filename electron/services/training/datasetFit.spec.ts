import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { datasetFit, PRESET_MAX_WAV_SECONDS } from './datasetFit';
import { findPython, trainerEnv } from './pythonEnv';
import { trainerDir } from './trainerPaths';

/** What the Train view says before Start: which clips a configuration trains on, from WAV headers and transcripts. */
const root = mkdtempSync(path.join(os.tmpdir(), 'formant-fit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ds = path.join(root, 'ds');
mkdirSync(path.join(ds, 'wavs'), { recursive: true });
const clips: [id: string, seconds: number, text: string][] = [
  ['A-1', 1, 'one.'],
  ['A-5', 5, 'five seconds of speech.'],
  ['A-7', 7, 'seven seconds of speech.'],
  ['A-13', 13, 'thirteen seconds of speech.'],
  // 1 s is 87 mel frames: too few for 120 symbols, one frame each (the duration model's rule)
  ['A-long-text', 1, 'a sentence far too long for one second of audio, which no duration model can fit because every symbol needs a frame.'],
];
for (const [id, s] of clips) writeFileSync(path.join(ds, 'wavs', `${id}.wav`), encodeWav(new Float32Array(Math.round(22050 * s)), 22050));
writeFileSync(path.join(ds, 'metadata.csv'), [...clips.map(([id, , t]) => `${id}|${t}|${t}`), 'A-missing|gone.|gone.'].join('\n') + '\n');

/** A fit of a folder that has a metadata.csv (null only where none is). */
async function fitOf(input: Parameters<typeof datasetFit>[0]) {
  const fit = await datasetFit(input);
  expect(fit).not.toBeNull();
  return fit!;
}

describe('datasetFit', () => {
  it('counts the clips each preset keeps, and why the others are left out', async () => {
    expect(await datasetFit({ datasetDir: ds, config: 'tiny', model: 'fastpitch', textFrontend: 'characters' })).toMatchObject({
      clips: 6, usable: 2, maxWavSeconds: 6, tooLong: 2, tooFewFrames: 1, unreadable: 1, symbolsChecked: true,
    });
    const t2 = await fitOf({ datasetDir: ds, config: 'default', model: 'tacotron2' });
    expect(t2).toMatchObject({ usable: 4, tooLong: 1, tooFewFrames: 0, unreadable: 1 }); // Tacotron-2 has no frames-per-symbol rule
    expect(t2.usableSeconds).toBeCloseTo(1 + 5 + 7 + 1, 3);
    expect(t2.tooLongSeconds).toBeCloseTo(13, 3);
  });

  it('reads a JSON config’s own limit and its base preset', async () => {
    const cfg = path.join(root, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ base: 'tiny', max_wav_seconds: 8 }));
    expect(await datasetFit({ datasetDir: ds, config: cfg, model: 'tacotron2' })).toMatchObject({ maxWavSeconds: 8, usable: 4 });
    writeFileSync(cfg, JSON.stringify({ base: 'tiny' }));
    expect((await fitOf({ datasetDir: ds, config: cfg })).maxWavSeconds).toBe(6);
    await expect(datasetFit({ datasetDir: ds, config: path.join(root, 'none.json') })).rejects.toThrow(/not a preset \(tiny\|default\) nor a readable JSON file/);
    expect(await datasetFit({ datasetDir: path.join(root, 'no-export-yet') })).toBeNull(); // nothing exported there yet: nothing to say, no error
  });

  it('leaves the symbol rule unchecked for phoneme input until phonemes.csv exists, then counts phonemes', async () => {
    expect(await datasetFit({ datasetDir: ds, config: 'default', model: 'fastpitch', textFrontend: 'phonemes' })).toMatchObject({ symbolsChecked: false, tooFewFrames: 0 });
    writeFileSync(path.join(ds, 'phonemes.csv'), clips.map(([id], i) => `${id}|${i === 4 ? 'ə'.repeat(100) : 'wʌn'}`).join('\n') + '\n');
    expect(await datasetFit({ datasetDir: ds, config: 'default', model: 'fastpitch', textFrontend: 'phonemes' })).toMatchObject({ symbolsChecked: true, tooFewFrames: 1, usable: 3 });
    rmSync(path.join(ds, 'phonemes.csv'));
  });

  const py = findPython();
  it.skipIf(!py)('knows the presets’ max_wav_seconds as the trainer’s hparams.py sets them', () => {
    const r = spawnSync(py!.path, ['-c', 'import json; from formant_trainer.hparams import load_hparams as h; print(json.dumps({p: h(p).max_wav_seconds for p in ("default", "tiny")}))'], { cwd: trainerDir(), env: trainerEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(PRESET_MAX_WAV_SECONDS);
  });
});
