import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobEvent, ServiceEvent } from '../../../shared/contract/rpc';
import { VoiceManifest } from '../../../shared/contract/voice';
import { encodeWav } from '../../../shared/dsp/wav';
import { startExportVoice, startTraining } from './operations';
import { findPython } from './pythonEnv';
import { runSummary } from './runs';

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
