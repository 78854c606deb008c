import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAcoustic, resumeTraining, startExportVoice, startTraining } from './operations';
import { checkpointModels, resumeModel, runSummary } from './runs';

/**
 * Which model a run folder holds, as the service decides it from the files the trainer leaves (no Python):
 * summaries show the run's own model, resume continues it, export picks it, and the combinations that cannot
 * work are refused at the boundary with a message that says what to do.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'formant-run-models-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fixtureRun(name: string, ckpts: string[], run: Record<string, unknown> = {}, metrics: object[] = []): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
  ckpts.forEach((c, i) => {
    const p = path.join(dir, 'checkpoints', c);
    writeFileSync(p, 'only listed');
    utimesSync(p, 1_700_000_000 + i, 1_700_000_000 + i); // listed order = age
  });
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ dataset: path.join(root, 'ds'), ...run }));
  writeFileSync(path.join(dir, 'metrics.jsonl'), metrics.map((m) => JSON.stringify(m)).join('\n') + '\n');
  return dir;
}

const ds = path.join(root, 'ds');
mkdirSync(ds, { recursive: true });
writeFileSync(path.join(ds, 'metadata.csv'), 'X-1|text|text\n');

describe('a run folder’s model', () => {
  it('lists FastPitch checkpoints and summarizes a FastPitch run with its own losses and text input', async () => {
    const run = fixtureRun('fp', ['fastpitch_00000010.pt', 'fastpitch_00000020.pt'], { fastpitch: { text_frontend: 'phonemes', hparams: {} } }, [
      { event: 'step', model: 'fastpitch', step: 10, loss: 3.5, losses: { total: 3.5, mel: 1.2, duration: 0.8 } },
      { event: 'step', model: 'fastpitch', step: 20, loss: 2.5, losses: { total: 2.5, mel: 1.0, duration: 0.6 } },
      { event: 'validation', model: 'fastpitch', step: 20, loss: 2.8 },
    ]);
    expect(checkpointModels(run)).toEqual(new Set(['fastpitch']));
    const s = await runSummary(run);
    expect(s).toMatchObject({ model: 'fastpitch', acousticModels: ['fastpitch'], textFrontend: 'phonemes', train: [[10, 3.5], [20, 2.5]], validation: [[20, 2.8]] });
    expect(s.checkpoints.map((c) => `${c.model}@${c.step}`)).toEqual(['fastpitch@10', 'fastpitch@20']);
    expect(resumeModel(run)).toBe('fastpitch');
    expect(exportAcoustic(run)).toBe('fastpitch');
  });

  it('keeps Tacotron-2 runs (with or without a WaveGlow) as they were, and a vocoder-only run as WaveGlow', async () => {
    const t2 = fixtureRun('t2', ['tacotron2_00000100.pt', 'waveglow_00000050.pt'], { tacotron2: { text_frontend: 'characters' } }, [{ event: 'step', model: 'tacotron2', step: 100, loss: 1 }]);
    expect(await runSummary(t2)).toMatchObject({ model: 'tacotron2', acousticModels: ['tacotron2'], textFrontend: 'characters', train: [[100, 1]] });
    expect(resumeModel(t2)).toBe('tacotron2');
    expect(exportAcoustic(t2)).toBe('tacotron2');
    const wg = fixtureRun('wg', ['waveglow_00000050.pt'], { waveglow: {} });
    expect((await runSummary(wg)).model).toBe('waveglow');
    expect(resumeModel(wg)).toBe('waveglow');
    expect(() => exportAcoustic(wg)).toThrow(/no Tacotron-2 or FastPitch checkpoint to export \(only WaveGlow/);
    // a run started but not yet checkpointed: its run.json section says the model
    const fresh = fixtureRun('fresh', [], { fastpitch: { text_frontend: 'characters' } });
    expect((await runSummary(fresh)).model).toBe('fastpitch');
    expect(() => resumeModel(fresh)).toThrow(/no checkpoints to resume \(start a new run there instead\)/);
  });

  it('shows the newest of two acoustic models unless asked, and makes resume and export say which', async () => {
    const both = fixtureRun('both', ['tacotron2_00000100.pt', 'fastpitch_00000030.pt'], { tacotron2: { text_frontend: 'characters' }, fastpitch: { text_frontend: 'phonemes' } }, [
      { event: 'step', model: 'tacotron2', step: 100, loss: 1 },
      { event: 'step', model: 'fastpitch', step: 30, loss: 2 },
    ]);
    expect(await runSummary(both)).toMatchObject({ model: 'fastpitch', acousticModels: ['fastpitch', 'tacotron2'], textFrontend: 'phonemes', train: [[30, 2]] });
    expect(await runSummary(both, 'tacotron2')).toMatchObject({ model: 'tacotron2', textFrontend: 'characters', train: [[100, 1]] });
    expect(() => resumeModel(both)).toThrow(/holds both Tacotron-2 and FastPitch checkpoints; say which to resume \(--model fastpitch or --model tacotron2\)/);
    await expect(resumeTraining({ runDir: both }, () => undefined)).rejects.toThrow(/say which to resume/);
    expect(() => exportAcoustic(both)).toThrow(/say which to export \(--acoustic fastpitch or --acoustic tacotron2\)/);
    expect(() => startExportVoice({ runDir: both, outDir: path.join(root, 'v') }, () => undefined)).toThrow(/say which to export/);
    expect(exportAcoustic(both, 'tacotron2')).toBe('tacotron2');
    const fp = fixtureRun('fp-only', ['fastpitch_00000010.pt']);
    expect(() => exportAcoustic(fp, 'tacotron2')).toThrow(/no Tacotron-2 checkpoint to export \(it holds FastPitch: --acoustic fastpitch\)/);
  });
});

describe('training combinations refused at the boundary', () => {
  const fp = fixtureRun('fp-boundary', ['fastpitch_00000010.pt']);
  const t2ckpt = path.join(fixtureRun('t2-source', ['tacotron2_00000100.pt']), 'checkpoints', 'tacotron2_00000100.pt');
  const start = (input: Record<string, unknown>) => () => startTraining({ datasetDir: ds, runDir: path.join(root, 'new'), ...input }, () => undefined);

  it('refuses what a duration model cannot do, naming the fix', () => {
    expect(start({ model: 'fastpitch', gtaDir: ds })).toThrow(/--gta: teacher-forced mels condition a vocoder; use it with --model waveglow \(FastPitch trains on the recorded mels\)/);
    expect(start({ model: 'fastpitch', warmStart: t2ckpt })).toThrow(/is a Tacotron-2 checkpoint; a FastPitch run starts from a FastPitch checkpoint \(or --model tacotron2\)/);
    expect(start({ model: 'waveglow', textFrontend: 'phonemes' })).toThrow(/WaveGlow reads mels, not text/);
    expect(start({ model: 'fastpitch', resume: true, warmStart: t2ckpt, runDir: fp })).toThrow(/--resume and --warm-start/);
  });

  it('resumes the run’s own model, and refuses another by name', () => {
    expect(start({ runDir: fp, resume: true, model: 'tacotron2' })).toThrow(/no Tacotron-2 checkpoint to continue \(it holds FastPitch: resume with --model fastpitch\)/);
    expect(start({ runDir: path.join(root, 'nothing-here'), resume: true })).toThrow(/no checkpoints to resume/);
  });
});
