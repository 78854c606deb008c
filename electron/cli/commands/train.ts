import path from 'node:path';
import type { RegisterCommand } from '../formant';
import type { JobEvent } from '../../../shared/contract/rpc';
import { TrainerEvent } from '../../../shared/contract/training';
import { onStopSignal } from '../interruptible';
import { integerOption, numberOption } from '../options';
import { ProgressBar } from '../progress';
import { cancelJob } from '../../services/jobs';
import { describeEvent } from '../../services/training/trainerEvents';
import { startTraining } from '../../services/training/operations';
import { TRAINER_STOP_GRACE_MS } from '../../services/training/trainerProcess';
import { checkEnv } from '../../services/training/pythonEnv';
import { resumeModel } from '../../services/training/runs';

const MODELS = ['fastpitch', 'tacotron2', 'waveglow'] as const;
const MODEL_HELP = [
  'fastpitch | tacotron2 | waveglow (default: the run’s own with --resume, else tacotron2).',
  'fastpitch: the duration model: pick it on a CPU (a laptop) and for 30 min to a few hours of speech; no attention to learn, so it is intelligible early.',
  'tacotron2: the seed’s attention model: pick it on a GPU with hours of speech, or to fine-tune NVIDIA’s checkpoint.',
  'waveglow: the neural vocoder (mel → audio), for either.',
].join(' ');

/** `formant train`: runs the Python trainer (resources/trainer) with a progress bar; `--json` prints its JSON lines. */
export const registerTrain: RegisterCommand = (program, setExit) => {
  program
    .command('train [dataset-dir]')
    .description('train a voice model on an LJSpeech export with the Python trainer; checkpoints, plots and metrics go to --out')
    .option('--out <run-dir>', 'run folder (checkpoints/, plots/, metrics.jsonl)')
    .option('--config <name|file>', 'tiny | default | a JSON file ({"base": "tiny", …})', 'default')
    .option('--steps <n>', 'train until this global step', integerOption('--steps', 1, 100_000_000))
    .option('--resume', 'continue from the newest checkpoint in --out')
    .option('--warm-start <checkpoint>', 'initialize from a checkpoint of the same model (ours, or NVIDIA’s tacotron2_statedict.pt / waveglow_256channels); a new fastpitch run on the default config starts from the demo voice')
    .option('--no-warm-start', 'train from scratch (a new fastpitch run otherwise fine-tunes the demo voice)')
    .option('--model <model>', MODEL_HELP)
    .option('--set <name=value...>', 'override hyper-parameters (formant_trainer/hparams.py names)')
    .option('--time-budget <seconds>', 'stop cleanly (checkpoint + validation) after this much wall-clock time', numberOption('--time-budget', { above: 0, what: 'a number of seconds' }))
    .option('--gta <dir>', 'WaveGlow: train on Tacotron-2’s teacher-forced mels (python -m formant_trainer gta) instead of the real ones')
    .option('--check', 'only check the Python environment and say what is missing')
    .option('--json', 'print the trainer’s JSON lines instead of a progress bar')
    .action(async (datasetDir: string | undefined, opts: { out?: string; config: string; steps?: number; resume?: boolean; warmStart?: string | false; model?: string; set?: string[]; timeBudget?: number; gta?: string; check?: boolean; json?: boolean }) => {
      if (opts.check) {
        const env = await checkEnv();
        process.stdout.write(
          opts.json
            ? JSON.stringify(env, null, 2) + '\n'
            : env.ok
              ? `trainer environment ok: ${env.python} (${env.pythonSource}), Python ${env.pythonVersion}, torch ${env.torch}, CUDA ${env.cuda ? env.cudaDevices.join(', ') : 'no'}, onnx ${env.onnx}\n`
              : `trainer environment incomplete:\n${env.problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
        if (!env.ok) setExit(1);
        return;
      }
      if (!datasetDir || !opts.out) {
        process.stderr.write('formant train: give <dataset-dir> and --out <run-dir> (or --check)\n');
        setExit(2);
        return;
      }
      const model = opts.model as (typeof MODELS)[number] | undefined;
      if (model !== undefined && !MODELS.includes(model)) {
        process.stderr.write(`formant train: --model ${opts.model}: expected fastpitch, tacotron2 or waveglow\n`);
        setExit(2);
        return;
      }
      if (opts.timeBudget != null && !(opts.timeBudget > 0)) {
        process.stderr.write('formant train: --time-budget must be a positive number of seconds\n');
        setExit(2);
        return;
      }
      if (opts.steps != null && !(opts.steps > 0)) {
        process.stderr.write('formant train: --steps must be a positive integer\n');
        setExit(2);
        return;
      }
      const overrides: Record<string, number | string | boolean> = {};
      for (const kv of opts.set ?? []) {
        const i = kv.indexOf('=');
        if (i <= 0) {
          process.stderr.write(`formant train: --set ${kv}: expected name=value\n`);
          setExit(2);
          return;
        }
        const raw = kv.slice(i + 1);
        let v: number | string | boolean = raw;
        try {
          const j = JSON.parse(raw) as unknown;
          if (typeof j === 'number' || typeof j === 'boolean' || typeof j === 'string') v = j;
        } catch {
          v = raw;
        }
        overrides[kv.slice(0, i)] = v;
      }
      const config = opts.config === 'tiny' || opts.config === 'default' ? opts.config : path.resolve(opts.config);
      // resuming: the run's own model (its checkpoints say which; a run holding both must be told)
      const runModel = model ?? (opts.resume ? resumeModel(path.resolve(opts.out)) : 'fastpitch');
      const bar = opts.json ? null : new ProgressBar(opts.steps ?? 1, `train ${runModel}`);
      let lastStep = 0;
      const onEvent = (e: JobEvent | { type: string }) => {
        if (e.type !== 'job') return;
        const parsed = TrainerEvent.safeParse((e as JobEvent).item);
        if (!parsed.success) return;
        const t = parsed.data;
        if (opts.json) {
          process.stdout.write(JSON.stringify(t) + '\n');
          return;
        }
        if (t.event === 'start' && typeof t.steps === 'number') {
          bar!.setTotal(t.steps);
          if (t.step) bar!.tick(t.step);
          lastStep = Number(t.step ?? 0);
        }
        if (t.event === 'step' && typeof t.step === 'number') {
          bar!.tick(t.step - lastStep, `loss ${t.loss?.toFixed(3)}`);
          lastStep = t.step;
          if (!process.stderr.isTTY && t.step % 50 === 0) bar!.log(describeEvent(t) ?? '');
        } else {
          const line = describeEvent(t);
          if (line && t.event !== 'step') bar!.log(line);
        }
      };
      const job = startTraining(
        {
          datasetDir: path.resolve(datasetDir),
          runDir: path.resolve(opts.out),
          config,
          steps: opts.steps,
          resume: Boolean(opts.resume),
          warmStart: opts.warmStart === false ? null : opts.warmStart ? path.resolve(opts.warmStart) : undefined,
          model: runModel,
          overrides,
          timeBudgetSeconds: opts.timeBudget,
          gtaDir: opts.gta ? path.resolve(opts.gta) : undefined,
        },
        onEvent,
      );
      // Ctrl-C / SIGTERM: the trainer is told to stop; it ends the step with a checkpoint and a validation ("stopping —
      // saving a checkpoint"), and is killed only after TRAINER_STOP_GRACE_MS. A second Ctrl-C ends both at once.
      const release = onStopSignal(() => cancelJob(job.jobId), { bar: bar ?? undefined, message: 'training stopped; the run keeps its last checkpoint (--resume continues it)', graceMs: TRAINER_STOP_GRACE_MS + 5_000 });
      try {
        const r = await job.done;
        bar?.finish();
        if (!opts.json) process.stdout.write(`trained to step ${r.step}; checkpoint ${r.checkpoint ?? '(none)'}\n`);
      } catch (e) {
        if ((e as { code?: string }).code !== 'cancelled') throw e;
        bar?.finish();
        process.stderr.write(`formant: ${(e as Error).message}\n`);
        setExit(130);
      } finally {
        release();
        bar?.finish();
      }
    });
};
