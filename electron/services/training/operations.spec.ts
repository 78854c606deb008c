import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { JobEvent, ServiceEvent } from '../../../shared/contract/rpc';
import { VoiceManifest } from '../../../shared/contract/voice';
import { encodeWav } from '../../../shared/dsp/wav';
import { datasetFit } from './datasetFit';
import { resumeTraining, startExportVoice, startTraining } from './operations';
import { findPython } from './pythonEnv';
import { runSummary } from './runs';
import { repoRoot } from './trainerPaths';

const LJ_SMALL = path.join(repoRoot, '..', 'shared', 'data', 'lj-small');

/** The app's path end to end: train 3 steps as a job (progress from JSON lines), list the run, export a voice. */
function hasTorch(): boolean {
  const py = findPython();
  return !!py && spawnSync(py.path, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function syntheticDataset(dir: string): void {
  mkdirSync(path.join(dir, 'wavs'), { recursive: true });
  const texts = ['hello there.', 'a cat sat.', 'one two three.', 'good morning.'];
  const lines: string[] = [];
  texts.forEach((t, i) => {
    const n = 22050 * 0.7;
    const x = new Float32Array(n + 4410);
    for (let k = 0; k < n; k++) x[2205 + k] = 0.3 * Math.sin((2 * Math.PI * (120 + 15 * i) * k) / 22050) * Math.sin((Math.PI * k) / n);
    writeFileSync(path.join(dir, 'wavs', `SYN-${i}.wav`), encodeWav(x, 22050));
    lines.push(`SYN-${i}|${t}|${t}`);
  });
  writeFileSync(path.join(dir, 'metadata.csv'), lines.join('\n') + '\n');
}

describe.skipIf(!hasTorch())('training as a job', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'formant-train-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('trains, reports progress, lists checkpoints and exports a valid voice', async () => {
    const ds = path.join(root, 'ds');
    syntheticDataset(ds);
    const events: ServiceEvent[] = [];
    const run = path.join(root, 'run');
    const job = startTraining({ datasetDir: ds, runDir: run, config: 'tiny', steps: 3, overrides: { validate_every: 3, n_val: 1 } }, (e) => events.push(e));
    const result = await job.done;
    expect(result.step).toBe(3);
    const progress = events.filter((e): e is JobEvent => e.type === 'job' && e.state === 'running' && (e.item as { event?: string })?.event === 'step');
    expect(progress.map((e) => e.progress)).toEqual([1 / 3, 2 / 3, 1]);
    expect(events.at(-1)).toMatchObject({ type: 'job', state: 'done' });

    // the validation's free-running sample (when this trainer writes one) arrives as a WAV before the job ends
    const items = events.flatMap((e) => (e.type === 'job' && e.item ? [e.item as { event?: string; step?: number; sample?: { wav?: string; stopped?: boolean } }] : []));
    const validation = items.find((i) => i.event === 'validation');
    if (validation?.sample) {
      const audio = items.find((i) => i.event === 'sample_audio');
      expect(audio).toMatchObject({ step: 3, sample: { wav: path.join(run, 'samples', 'sample_00000003.wav'), stopped: validation.sample.stopped } });
      expect(readFileSync(audio!.sample!.wav!).subarray(0, 4).toString()).toBe('RIFF');
      expect(items.indexOf(audio!)).toBeGreaterThan(items.indexOf(validation));
    }

    const summary = await runSummary(run);
    if (validation?.sample) expect(summary.samples).toMatchObject([{ step: 3, id: expect.stringMatching(/^SYN-/), wav: expect.stringMatching(/sample_00000003\.wav$/) }]);
    expect(summary.checkpoints.map((c) => c.step)).toContain(3);
    expect(summary.train.map(([s]) => s)).toEqual([1, 2, 3]);
    expect(summary.validation.length).toBe(1);
    expect(summary.alignment.length).toBe(1);

    const exp = await startExportVoice({ runDir: run, outDir: path.join(root, 'voice') }, () => undefined).done;
    expect(exp.steps).toBe(3);
    const m = VoiceManifest.parse(JSON.parse(readFileSync(path.join(exp.voiceDir, 'voice.json'), 'utf8')));
    expect(m.provenance.steps).toBe(3);
  }, 300_000);

  // real speech: an untrained duration predictor says ~0 frames per symbol, so a synthetic clip's few symbols
  // would leave a 1-frame sample (refused by Griffin-Lim, by name); lj-small's long validation sentence does not
  it.skipIf(!existsSync(LJ_SMALL))('trains the duration model (FastPitch) on real speech, resumes it as FastPitch without being told, and exports fastpitch.onnx', async () => {
    const ds = LJ_SMALL; // read only: characters need no phonemes.csv, the mel cache lives in the run
    const run = path.join(root, 'run-fp');
    const events: ServiceEvent[] = [];
    const items = () => events.flatMap((e) => (e.type === 'job' && e.item ? [e.item as { event?: string; model?: string; step?: number; losses?: Record<string, number>; sample?: { wav?: string }; plots?: Record<string, string> }] : []));
    const first = await startTraining({ datasetDir: ds, runDir: run, model: 'fastpitch', config: 'tiny', steps: 3, textFrontend: 'characters', overrides: { n_val: 1 } }, (e) => events.push(e)).done;
    expect(first).toMatchObject({ model: 'fastpitch', step: 3, checkpoint: path.join(run, 'checkpoints', 'fastpitch_00000003.pt') });
    // what the Train view said before Start is what the trainer took
    const started = items().find((i) => i.event === 'start') as { train_utterances?: number; val_utterances?: number };
    const fit = (await datasetFit({ datasetDir: ds, config: 'tiny', model: 'fastpitch', textFrontend: 'characters' }))!;
    expect(fit.usable).toBe(Number(started.train_utterances) + Number(started.val_utterances));
    expect(fit.usable).toBeLessThan(fit.clips); // lj-small has clips over tiny's 6 s
    const steps = items().filter((i) => i.event === 'step');
    expect(steps.map((i) => i.step)).toEqual([1, 2, 3]);
    expect(Object.keys(steps[0].losses ?? {})).toEqual(expect.arrayContaining(['total', 'mel', 'duration', 'pitch', 'energy', 'align']));
    // the validation at the last step: a learned-alignment plot and a free-running sample rendered as a WAV
    const validation = items().find((i) => i.event === 'validation');
    expect(validation?.model).toBe('fastpitch');
    expect(existsSync(validation!.plots!.alignment)).toBe(true);
    const audio = items().find((i) => i.event === 'sample_audio');
    expect(audio).toMatchObject({ model: 'fastpitch', step: 3, sample: { wav: path.join(run, 'samples', 'sample_00000003.wav') } });
    expect(readFileSync(audio!.sample!.wav!).subarray(0, 4).toString()).toBe('RIFF');

    // the run lists with its model, its losses (the total), its sample and its alignment health
    const summary = await runSummary(run);
    expect(summary).toMatchObject({ model: 'fastpitch', acousticModels: ['fastpitch'], textFrontend: 'characters' });
    expect(summary.checkpoints.map((c) => [c.model, c.step])).toEqual([['fastpitch', 3]]);
    expect(summary.train.map(([s]) => s)).toEqual([1, 2, 3]);
    expect(summary.validation.map(([s]) => s)).toEqual([3]);
    expect(summary.samples.map((x) => x.step)).toEqual([3]);
    expect(summary.alignment).toHaveLength(1);

    // resume names no model: the run's own checkpoints say FastPitch
    events.length = 0;
    const resumed = await (await resumeTraining({ runDir: run, steps: 4 }, (e) => events.push(e))).done;
    expect(resumed).toMatchObject({ model: 'fastpitch', step: 4 });
    expect(items().find((i) => i.event === 'start')).toMatchObject({ model: 'fastpitch', step: 3 });
    // …and a resume that names the other model is refused by name, before anything runs
    expect(() => startTraining({ datasetDir: ds, runDir: run, resume: true, model: 'tacotron2' }, () => undefined)).toThrow(/no Tacotron-2 checkpoint to continue \(it holds FastPitch: resume with --model fastpitch\)/);

    const exp = await startExportVoice({ runDir: run, outDir: path.join(root, 'voice-fp') }, () => undefined).done;
    expect(exp).toMatchObject({ acoustic: 'fastpitch', steps: 4, waveglow: false, checkpoint: path.join(run, 'checkpoints', 'fastpitch_00000004.pt') });
    const manifest = JSON.parse(readFileSync(path.join(exp.voiceDir, 'voice.json'), 'utf8')) as { tacotron2: unknown; fastpitch: { graph: string; nMels: number } };
    expect(manifest.tacotron2).toBeNull();
    expect(manifest.fastpitch.graph).toBe('fastpitch.onnx');
    expect(existsSync(path.join(exp.voiceDir, 'encoder.onnx'))).toBe(false);
    // the bundle's one graph runs: symbol ids, pace and pitch shift in; a mel of the voice's size and durations out
    // (a sentence's worth of symbols: 4 steps in, most predicted durations still round to 0 frames)
    const session = await ort.InferenceSession.create(path.join(exp.voiceDir, 'fastpitch.onnx'));
    const ids = BigInt64Array.from({ length: 80 }, (_, i) => BigInt(20 + (i % 40)));
    const out = await session.run({
      text: new ort.Tensor('int64', ids, [1, ids.length]),
      pace: new ort.Tensor('float32', Float32Array.from([1]), [1]),
      pitch_shift: new ort.Tensor('float32', Float32Array.from([0]), [1]),
    });
    expect(out.mel.dims.slice(0, 2)).toEqual([1, manifest.fastpitch.nMels]);
    expect(out.durations.dims).toEqual([1, ids.length]);
    expect(out.mel.dims[2]).toBe([...(out.durations.data as BigInt64Array)].reduce((a, d) => a + Number(d), 0));
    await session.release();
  }, 300_000);

  it('turns the trainer’s bad-input errors into ServiceErrors', async () => {
    const ds = path.join(root, 'bad');
    mkdirSync(path.join(ds, 'wavs'), { recursive: true });
    writeFileSync(path.join(ds, 'metadata.csv'), 'X-1|text|text\n');
    const job = startTraining({ datasetDir: ds, runDir: path.join(root, 'r2'), config: 'tiny', steps: 1 }, () => undefined);
    await expect(job.done).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('missing wavs/X-1.wav') });
    expect(() => startTraining({ datasetDir: path.join(root, 'nothing'), runDir: path.join(root, 'r3') }, () => undefined)).toThrow(/no metadata\.csv/);
    // teacher-forced mels condition a vocoder: refused for Tacotron-2, and a folder that is not there is named
    expect(() => startTraining({ datasetDir: ds, runDir: path.join(root, 'r4'), gtaDir: ds }, () => undefined)).toThrow(/use it with --model waveglow/);
    expect(() => startTraining({ datasetDir: ds, runDir: path.join(root, 'r4'), model: 'waveglow', gtaDir: path.join(root, 'no-gta') }, () => undefined)).toThrow(/no-gta: no such folder/);
  }, 120_000);

  it('stops a run when the job is cancelled', async () => {
    const ds = path.join(root, 'ds');
    const events: ServiceEvent[] = [];
    const job = startTraining({ datasetDir: ds, runDir: path.join(root, 'stop'), config: 'tiny', steps: 100000 }, (e) => {
      events.push(e);
      if (e.type === 'job' && (e.item as { event?: string })?.event === 'step') {
        import('../jobs').then(({ cancelJob }) => cancelJob(job.jobId));
      }
    });
    await expect(job.done).rejects.toMatchObject({ code: 'cancelled' });
  }, 120_000);
});
