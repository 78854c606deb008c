import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ServiceError, type ServiceEvent } from '../../../shared/contract/rpc';
import { AcousticModel, TrainInput, type ExportVoiceResult, type TrainerEvent, type TrainerModel, type TrainResult } from '../../../shared/contract/training';
import { startJob, type StartedJob } from '../jobs';
import { describeEvent } from './trainerEvents';
import { CLEANED_CSV, describeUnspellable, writeCleanedCsv } from './cleanedCsv';
import { ensurePhonemesCsv } from './phonemesCsv';
import { checkpointModels, MODEL_NAMES, resumeModel, runDataset } from './runs';
import { SampleRenderQueue } from './sampleAudio';
import { writeSampleInfo } from './sampleList';
import { SAMPLE_FILE, SAMPLES_DIR, sampleNpyPath } from './samplePaths';
import { trainingTextFrontend, withTextFrontendOverride } from './textFrontend';
import { runTrainer, trainArgs } from './trainerProcess';
import { embeddedVoicesDir } from '../synthesis/voices';

/**
 * Training and export as jobs, shared by the CLI (`formant train`, `formant export-voice`), Electron and web
 * mode. Progress = step / steps; every trainer event travels as the progress item, so views can plot losses
 * and show the newest plots.
 */
export function startTraining(raw: unknown, emit: (e: ServiceEvent) => void, opts: { onStderr?: (l: string) => void } = {}): StartedJob<TrainResult> {
  const parsed = TrainInput.safeParse(raw);
  if (!parsed.success) throw new ServiceError('bad-input', `training: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const model: TrainerModel = parsed.data.model ?? (parsed.data.resume ? resumeModel(parsed.data.runDir) : 'tacotron2');
  const base = parsed.data.warmStart === undefined ? baseVoiceCheckpoint({ ...parsed.data, model }) : null;
  const input = { ...withTextFrontendOverride(parsed.data), model, warmStart: parsed.data.warmStart ?? base ?? undefined };
  if (!existsSync(path.join(input.datasetDir, 'metadata.csv'))) {
    throw new ServiceError('bad-input', `${input.datasetDir}: no metadata.csv (expected an LJSpeech export: run \`formant export <project> --out <dir>\` first)`);
  }
  checkCombination(input);
  return startJob('training', emit, async (job) => {
    if (base) {
      const message = `fine-tuning the embedded demo voice (${base}): its model already reads English, so a new voice needs far fewer steps; train from scratch with --no-warm-start`;
      job.progress(null, message, { event: 'warning', model, message } satisfies TrainerEvent);
    }
    let total = input.steps ?? null;
    let last: TrainerEvent | null = null;
    let fraction: number | null = null;
    const samples = new SampleRenderQueue(input.runDir);
    const frontend = input.model === 'waveglow' ? null : await trainingTextFrontend(input);
    let textCsv: string | undefined;
    if (frontend === 'characters') {
      // Character input: the trainer reads the transcripts as shared/text cleans them (it never cleans); written for
      // this run into its folder, so a read-only dataset trains as it is and an edited metadata.csv counts at once.
      await fs.mkdir(input.runDir, { recursive: true });
      const r = await writeCleanedCsv(input.datasetDir, { out: path.join(input.runDir, CLEANED_CSV) });
      textCsv = r.out;
      if (r.unspellable.length) {
        const message = `${r.unspellable.length} clip(s) have characters outside the symbol table and are left out: ${describeUnspellable(r.unspellable)}`;
        job.progress(null, message, { event: 'warning', model, message } satisfies TrainerEvent);
      }
    }
    if (frontend === 'phonemes') {
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
          job.progress(null, message, { event: 'phonemes', model, message, path: file } satisfies TrainerEvent);
        },
        onProgress: (d, t) => job.progress(null, `phonemizing transcripts: ${d}/${t}`),
      });
      const message = r.wrote ? `phonemes: wrote ${r.file} (${r.lines} lines, ${r.seconds.toFixed(1)} s)` : `phonemes: ${r.file} is current (${r.lines} lines)`;
      const ev: TrainerEvent = { event: 'phonemes', model, message, path: r.file };
      job.progress(null, message, ev);
    }
    await runTrainer(trainArgs({ ...input, textCsv }), {
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
    return { runDir: input.runDir, model, step: Number(done?.step ?? 0), checkpoint: (done?.checkpoint ?? done?.path ?? null) as string | null };
  });
}

/**
 * The checkpoint a new voice starts from when none is named: the embedded demo voice's training state for a new
 * duration-model run on the default config (the demo's own sizes, so every tensor fits; another symbol table only
 * restarts the embedding, and the trainer says so). Null where it does not apply or the file is not shipped.
 */
export function baseVoiceCheckpoint(input: { model: TrainerModel; resume?: boolean; config?: string }): string | null {
  if (input.model !== 'fastpitch' || input.resume || (input.config ?? 'default') !== 'default') return null;
  const p = path.join(embeddedVoicesDir(), 'demo-training', 'fastpitch.pt');
  return existsSync(p) ? p : null;
}

/** Our checkpoint names and NVIDIA's published ones say which model a file holds. */
const CHECKPOINT_KIND = /^(tacotron2|waveglow|fastpitch)_(?:\d{8}\.pt$|statedict|256channels)/;

/** Combinations the trainer would refuse late (or silently misread), refused before anything starts, by name. */
function checkCombination(input: { model: TrainerModel; runDir: string; resume: boolean; warmStart?: string; gtaDir?: string; textFrontend?: string }): void {
  const { model } = input;
  const name = MODEL_NAMES[model];
  if (input.gtaDir && model !== 'waveglow') {
    throw new ServiceError('bad-input', `--gta: teacher-forced mels condition a vocoder; use it with --model waveglow (${name} trains on the recorded mels)`);
  }
  if (input.gtaDir && !existsSync(input.gtaDir)) throw new ServiceError('bad-input', `--gta ${input.gtaDir}: no such folder (make it with the trainer's gta command)`);
  if (input.textFrontend && model === 'waveglow') throw new ServiceError('bad-input', 'text input (phonemes or characters): WaveGlow reads mels, not text; choose it for fastpitch or tacotron2');
  if (input.resume && input.warmStart) throw new ServiceError('bad-input', '--resume and --warm-start: a resumed run continues from its own checkpoint; give one of them');
  if (input.warmStart) {
    if (!existsSync(input.warmStart)) throw new ServiceError('bad-input', `--warm-start ${input.warmStart}: no such file`);
    const kind = CHECKPOINT_KIND.exec(path.basename(input.warmStart))?.[1] as TrainerModel | undefined;
    if (kind && kind !== model) {
      throw new ServiceError('bad-input', `--warm-start ${input.warmStart} is a ${MODEL_NAMES[kind]} checkpoint; a ${name} run starts from a ${name} checkpoint (or --model ${kind})`);
    }
  }
  if (input.resume) {
    const have = checkpointModels(input.runDir);
    if (!have.has(model)) {
      const other = [...have].map((m) => `--model ${m}`).join(' or ');
      throw new ServiceError('bad-input', `--resume: ${input.runDir} has no ${name} checkpoint to continue${other ? ` (it holds ${[...have].map((m) => MODEL_NAMES[m]).join(' and ')}: resume with ${other})` : ' (start a new run there instead)'}`);
    }
  }
}

/** The sample's .npy: the path the trainer named when it is a sample file of this run, else the one its step implies. */
function sampleMelPath(runDir: string, step: number, named: string): string {
  const dir = path.join(path.resolve(runDir), SAMPLES_DIR);
  const p = path.resolve(runDir, named);
  return path.dirname(p) === dir && SAMPLE_FILE.test(path.basename(p)) ? p : sampleNpyPath(path.resolve(runDir), step);
}

/** Continues a run from its newest checkpoint: of the model named, else of the run's own (resumeModel). */
export async function resumeTraining(
  input: { runDir: string; datasetDir?: string; steps?: number; model?: TrainerModel },
  emit: (e: ServiceEvent) => void,
): Promise<StartedJob<TrainResult>> {
  const model = input.model ?? resumeModel(input.runDir);
  const dataset = input.datasetDir ?? (await runDataset(input.runDir));
  if (!dataset) throw new ServiceError('bad-input', `${input.runDir}: run.json names no dataset; pass the dataset folder`);
  return startTraining({ datasetDir: dataset, runDir: input.runDir, steps: input.steps, resume: true, model }, emit);
}

/** The acoustic model an export takes: the one asked for, else the run's only one; refused by name otherwise. */
export function exportAcoustic(runDir: string, asked?: AcousticModel): AcousticModel {
  const have = checkpointModels(runDir);
  const acoustic = AcousticModel.options.filter((m) => have.has(m));
  if (asked) {
    if (!have.has(asked)) {
      const hint = acoustic.length ? ` (it holds ${acoustic.map((m) => MODEL_NAMES[m]).join(' and ')}: --acoustic ${acoustic[0]})` : ' (train one with `formant train`)';
      throw new ServiceError('bad-input', `${runDir}: no ${MODEL_NAMES[asked]} checkpoint to export${hint}`);
    }
    return asked;
  }
  if (acoustic.length > 1) throw new ServiceError('bad-input', `${runDir} holds both Tacotron-2 and FastPitch checkpoints; say which to export (--acoustic fastpitch or --acoustic tacotron2)`);
  if (!acoustic.length) {
    throw new ServiceError('bad-input', `${runDir}: no Tacotron-2 or FastPitch checkpoint to export (${have.has('waveglow') ? 'only WaveGlow: a voice needs an acoustic model; ' : ''}train one with \`formant train --model fastpitch\`)`);
  }
  return acoustic[0];
}

export function startExportVoice(
  input: { runDir: string; outDir: string; name?: string; weights?: 'fp32' | 'fp16'; acoustic?: AcousticModel },
  emit: (e: ServiceEvent) => void,
): StartedJob<ExportVoiceResult> {
  if (!existsSync(path.join(input.runDir, 'checkpoints'))) {
    throw new ServiceError('bad-input', `${input.runDir}: no checkpoints/ folder (train with \`formant train\` first)`);
  }
  const acoustic = exportAcoustic(input.runDir, input.acoustic);
  return startJob('export-voice', emit, async (job) => {
    job.progress(null, `exporting ${MODEL_NAMES[acoustic]} as ONNX`);
    const args = ['export-voice', input.runDir, '--out', input.outDir, ...(input.name ? ['--name', input.name] : []), '--weights', input.weights ?? 'fp32', '--acoustic', acoustic];
    const r = await runTrainer(args, { signal: job.signal, keepEvents: true });
    const e = r.last;
    if (!e || e.event !== 'exported') throw new ServiceError('trainer-failed', 'export-voice ended without writing a voice');
    // trainers before the duration model named no `acoustic`: their bundles are Tacotron-2's
    const exported = AcousticModel.safeParse(e.acoustic ?? 'tacotron2');
    if (!exported.success || exported.data !== acoustic) throw new ServiceError('trainer-failed', `export-voice wrote ${String(e.acoustic)}, not the ${MODEL_NAMES[acoustic]} asked for`);
    const checkpoint = e[acoustic];
    return { voiceDir: String(e.voice_dir), steps: Number(e.steps ?? 0), waveglow: Boolean(e.waveglow), acoustic, checkpoint: typeof checkpoint === 'string' ? checkpoint : null };
  });
}
