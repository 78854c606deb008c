import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainInput } from '../../../shared/contract/training';
import { startTraining } from './operations';
import { runSummary } from './runs';
import { trainArgs } from './trainerProcess';
import { runTextFrontend, trainingTextFrontend, withTextFrontendOverride } from './textFrontend';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-text-frontend-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the text input of a new run (TrainInput.textFrontend)', () => {
  const input = (extra: Record<string, unknown>) => withTextFrontendOverride(TrainInput.parse({ datasetDir: '/d', runDir: '/r', config: 'tiny', ...extra }));

  it('reaches the trainer as the text_frontend override, which the phonemes.csv step reads too', async () => {
    const i = input({ textFrontend: 'phonemes', overrides: { n_val: 1 } });
    expect(i.overrides).toEqual({ n_val: 1, text_frontend: 'phonemes' });
    expect(trainArgs(i)).toEqual(expect.arrayContaining(['--set', 'text_frontend="phonemes"']));
    expect(await trainingTextFrontend(i)).toBe('phonemes');
    expect(trainArgs(input({ textFrontend: 'characters' }))).toEqual(expect.arrayContaining(['--set', 'text_frontend="characters"']));
    // absent: the config decides, no override added
    expect(input({}).overrides).toEqual({});
    // the same value twice is fine
    expect(input({ textFrontend: 'phonemes', overrides: { text_frontend: 'phonemes' } }).overrides).toEqual({ text_frontend: 'phonemes' });
  });

  it('is validated at the boundary and may not contradict overrides.text_frontend', () => {
    expect(TrainInput.safeParse({ datasetDir: '/d', runDir: '/r', textFrontend: 'ipa' }).success).toBe(false);
    expect(() => input({ textFrontend: 'characters', overrides: { text_frontend: 'phonemes' } })).toThrow(/textFrontend "characters" and overrides\.text_frontend "phonemes" disagree/);
    // startTraining refuses both before anything starts
    expect(() => startTraining({ datasetDir: tmp, runDir: path.join(tmp, 'r'), textFrontend: 'ipa' }, () => undefined)).toThrow(/textFrontend/);
    expect(() => startTraining({ datasetDir: tmp, runDir: path.join(tmp, 'r'), textFrontend: 'phonemes', overrides: { text_frontend: 'characters' } }, () => undefined)).toThrow(/disagree/);
  });
});

describe("a run's own text input (run.json)", () => {
  it('is the recorded frontend, else its hparams’, characters for older runs, null without run.json', () => {
    expect(runTextFrontend({ tacotron2: { text_frontend: 'phonemes', hparams: { text_frontend: 'phonemes' } } })).toBe('phonemes');
    expect(runTextFrontend({ tacotron2: { hparams: { text_frontend: 'phonemes' } } })).toBe('phonemes');
    expect(runTextFrontend({ tacotron2: { hparams: { mel_preset: 'nvidia' } } })).toBe('characters');
    expect(runTextFrontend({ tacotron2: { text_frontend: 'klingon' } })).toBeNull();
    expect(runTextFrontend({ dataset: '/d' })).toBeNull();
    expect(runTextFrontend(null)).toBeNull();
  });

  it('comes with the run summary the Train view loads', async () => {
    const run = path.join(tmp, 'run');
    mkdirSync(run, { recursive: true });
    expect((await runSummary(run)).textFrontend).toBeNull();
    writeFileSync(path.join(run, 'run.json'), JSON.stringify({ dataset: '/d', tacotron2: { text_frontend: 'phonemes', hparams: {} } }));
    expect((await runSummary(run)).textFrontend).toBe('phonemes');
  });
});
