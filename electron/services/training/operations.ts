import { existsSync } from 'node:fs';
import path from 'node:path';
import { ServiceError, type ServiceEvent } from '../../../shared/contract/rpc';
import { TrainInput, type ExportVoiceResult, type TrainerEvent, type TrainResult } from '../../../shared/contract/training';
import { startJob, type StartedJob } from '../jobs';
import { describeEvent } from './lineSplitter';
import { ensurePhonemesCsv } from './phonemesCsv';
import { runDataset } from './runs';
import { SampleRenderQueue } from './sampleAudio';
import { writeSampleInfo } from './sampleList';
import { SAMPLE_FILE, SAMPLES_DIR, sampleNpyPath } from './samplePaths';
import { trainingTextFrontend, withTextFrontendOverride } from './textFrontend';
import { runTrainer, trainArgs } from './trainerProcess';

/**
 * Training and export as jobs, shared by the CLI (`formant train`, `formant export-voice`), Electron and web
 * mode. Progress = step / steps; every trainer event travels as the progress item, so views can plot losses
 * and show the newest plots.
 */
export function startTraining(raw: unknown, emit: (e: ServiceEvent) => void, opts: { onStderr?: (l: string) => void } = {}): StartedJob<TrainResult> {
  const parsed = TrainInput.safeParse(raw);
  if (!parsed.success) throw new ServiceError('bad-input', `training: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const input = withTextFrontendOverride(parsed.data);
  if (!existsSync(path.join(input.datasetDir, 'metadata.csv'))) {
    throw new ServiceError('bad-input', `${input.datasetDir}: no metadata.csv (expected an LJSpeech export: run \`formant export <project> --out <dir>\` first)`);
  }
  if (input.warmStart && !existsSync(input.warmStart)) throw new ServiceError('bad-input', `--warm-start ${input.warmStart}: no such file`);
  if (input.gtaDir && input.model !== 'waveglow') throw new ServiceError('bad-input', '--gta: teacher-forced mels condition a vocoder; use it with --model waveglow');
  if (input.gtaDir && !existsSync(input.gtaDir)) throw new ServiceError('bad-input', `--gta ${input.gtaDir}: no such folder (make it with the trainer's gta command)`);
  return startJob('training', emit, async (job) => {
    let total = input.steps ?? null;
    let last: TrainerEvent | null = null;
    let fraction: number | null = null;
    const samples = new SampleRenderQueue(input.runDir);
    if (input.model === 'tacotron2' && (await trainingTextFrontend(input)) === 'phonemes') {
      // Phoneme input: the trainer reads <dataset>/phonemes.csv; write it (or confirm it is current) first.
      const why = {
        missing: 'it was missing',
        'metadata-changed': 'metadata.csv changed',
        'phonemizer-changed': 'the phonemizer or its voice changed',
        'metadata-newer': 'metadata.csv changed',
        'ids-differ': 'its ids differed from metadata.csv',
      };
      const r = await ensurePhonemesCsv(input.datasetDir, {
        signal: job.signal,
        onWrite: (file, reason) => {
          const message = `phonemes: writing ${file} with espeak-ng (${why[reason]})…`;
          job.progress(null, message, { event: 'phonemes', model: 'tacotron2', message, path: file } satisfies TrainerEvent);
        },
        onProgress: (d, t) => job.progress(null, `phonemizing transcripts: ${d}/${t}`),
      });
      const message = r.wrote ? `phonemes: wrote ${r.file} (${r.lines} lines, ${r.seconds.toFixed(1)} s)` : `phonemes: ${r.file} is current (${r.lines} lines)`;
      const ev: TrainerEvent = { event: 'phonemes', model: 'tacotron2', message, path: r.file };
      job.progress(null, message, ev);
    }
    await runTrainer(trainArgs(input), {
      signal: job.signal,
      onStderr: opts.onStderr,
      onEvent: (e) => {
        if (e.event === 'start' && typeof e.steps === 'number') total = e.steps;
        if (e.event === 'done' || e.event === 'checkpoint') last = e;
        if (total && typeof e.step === 'number') fraction = e.step / total;
        job.progress(fraction, describeEvent(e) ?? e.event, e);
        if (e.event === 'validation' && e.sample && typeof e.step === 'number') {
          // The validation sample as audio, rendered behind the trainer; an extra event says when the WAV is there.
          const sample = e.sample;
          const step = e.step;
          const npy = sampleMelPath(input.runDir, step, sample.mel);
          void writeSampleInfo(npy, sample).catch(() => undefined);
          samples.add(
            npy,
            (r) => {
              const ev: TrainerEvent = { event: 'sample_audio', model: e.model, step, sample: { ...sample, mel: npy, wav: r.wav } };
              job.progress(fraction, describeEvent(ev) ?? ev.event, ev);
            },
            (err) => {
              const ev: TrainerEvent = { event: 'warning', model: e.model, step, message: `validation sample at step ${step}: ${(err as Error)?.message ?? err}` };
              job.progress(fraction, describeEvent(ev) ?? ev.event, ev);
            },
          );
        }
      },
    });
    await samples.idle();
    const done = last as TrainerEvent | null;
    return { runDir: input.runDir, step: Number(done?.step ?? 0), checkpoint: (done?.checkpoint ?? done?.path ?? null) as string | null };
  });
}

/** The sample's .npy: the path the trainer named when it is a sample file of this run, else the one its step implies. */
function sampleMelPath(runDir: string, step: number, named: string): string {
  const dir = path.join(path.resolve(runDir), SAMPLES_DIR);
  const p = path.resolve(runDir, named);
  return path.dirname(p) === dir && SAMPLE_FILE.test(path.basename(p)) ? p : sampleNpyPath(path.resolve(runDir), step);
}

export async function resumeTraining(
  input: { runDir: string; datasetDir?: string; steps?: number; model?: 'tacotron2' | 'waveglow' },
  emit: (e: ServiceEvent) => void,
): Promise<StartedJob<TrainResult>> {
  const dataset = input.datasetDir ?? (await runDataset(input.runDir));
  if (!dataset) throw new ServiceError('bad-input', `${input.runDir}: run.json names no dataset; pass the dataset folder`);
  return startTraining({ datasetDir: dataset, runDir: input.runDir, steps: input.steps, resume: true, model: input.model ?? 'tacotron2' }, emit);
}

export function startExportVoice(input: { runDir: string; outDir: string; name?: string; weights?: 'fp32' | 'fp16' }, emit: (e: ServiceEvent) => void): StartedJob<ExportVoiceResult> {
  if (!existsSync(path.join(input.runDir, 'checkpoints'))) {
    throw new ServiceError('bad-input', `${input.runDir}: no checkpoints/ folder (train with \`formant train\` first)`);
  }
  return startJob('export-voice', emit, async (job) => {
    job.progress(null, 'exporting ONNX graphs');
    const args = ['export-voice', input.runDir, '--out', input.outDir, ...(input.name ? ['--name', input.name] : []), '--weights', input.weights ?? 'fp32'];
    const r = await runTrainer(args, { signal: job.signal, keepEvents: true });
    const e = r.last;
    if (!e || e.event !== 'exported') throw new ServiceError('trainer-failed', 'export-voice ended without writing a voice');
    return { voiceDir: String(e.voice_dir), steps: Number(e.steps ?? 0), waveglow: Boolean(e.waveglow) };
  });
}
