import { z } from 'zod';
import { method } from './rpc';

/**
 * Training methods: the app runs the Python trainer (resources/trainer, `python -m formant_trainer`) as a
 * child process and turns its JSON lines into job progress. Services: electron/services/training/handlers.ts.
 * `training.start` / `training.resume` / `training.exportVoice` are jobs (progress items: TrainerEvent);
 * stop one with `training.stop` (or `jobs.cancel`): the run keeps its last checkpoint and can be resumed.
 */

/**
 * What the trainer trains: an acoustic model (text → mel) or the WaveGlow vocoder (mel → audio).
 * fastpitch: the duration model (non-autoregressive; durations learned by alignment search, pitch and energy
 * predictors): the CPU choice, intelligible from about 30 minutes of speech. tacotron2: the seed's attention
 * model (GPU-days, hours of speech; NVIDIA checkpoints).
 */
export const TrainerModel = z.enum(['tacotron2', 'waveglow', 'fastpitch']);
export type TrainerModel = z.infer<typeof TrainerModel>;

/** The models that read text (symbol tables, phonemes.csv, alignment plots, validation samples). */
export const AcousticModel = z.enum(['fastpitch', 'tacotron2']);
export type AcousticModel = z.infer<typeof AcousticModel>;
export const isAcousticModel = (m: unknown): m is AcousticModel => AcousticModel.safeParse(m).success;

/** What `training.env` found: enough to run the trainer, or what is missing and how to fix it. */
export const TrainingEnv = z.object({
  ok: z.boolean(),
  python: z.string().nullable(),
  pythonVersion: z.string().nullable(),
  /** Where the interpreter came from: the repo's .venv, $FORMANT_PYTHON or the system python3. */
  pythonSource: z.enum(['venv', 'env', 'system']).nullable(),
  torch: z.string().nullable(),
  cuda: z.boolean(),
  cudaDevices: z.array(z.string()),
  onnx: z.string().nullable(),
  onnxruntime: z.string().nullable(),
  /** One sentence per problem, each saying how to fix it. Empty when ok. */
  problems: z.array(z.string()),
});
export type TrainingEnv = z.infer<typeof TrainingEnv>;

/**
 * The validation sample a `validation` event carries: a free-running synthesis of the first validation
 * utterance, saved as `<run>/samples/sample_<step:08d>.npy` (float32 [nMels, frames], the run's mel preset).
 * `stopped` false: the gate never fired (ran to the decoder cap), a sign that attention has not aligned yet.
 */
export const TrainerSample = z.looseObject({
  id: z.string(),
  text: z.string(),
  mel: z.string(),
  frames: z.number().int().nonnegative(),
  stopped: z.boolean(),
  /** Added by the app once it rendered the mel with Griffin-Lim (`<run>/samples/sample_<step:08d>.wav`). */
  wav: z.string().optional(),
});
export type TrainerSample = z.infer<typeof TrainerSample>;

/** One JSON line of the trainer (resources/trainer/formant_trainer/train.py `emit`). Extra fields pass through. */
export const TrainerEvent = z.looseObject({
  event: z.string(),
  model: TrainerModel.optional(),
  step: z.number().optional(),
  steps: z.number().optional(),
  loss: z.number().optional(),
  losses: z.record(z.string(), z.number()).optional(),
  grad_norm: z.number().optional(),
  steps_per_s: z.number().optional(),
  /** Mel frames trained per second: steady where steps/s swings with batch length. */
  frames_per_s: z.number().optional(),
  eta_s: z.number().optional(),
  path: z.string().optional(),
  checkpoint: z.string().nullable().optional(),
  plots: z.record(z.string(), z.string()).optional(),
  message: z.string().optional(),
  code: z.string().optional(),
  /** `validation` (and the app's `sample_audio`, emitted once the WAV is written); a malformed sample is dropped, not the event. */
  sample: TrainerSample.optional().catch(undefined),
});
export type TrainerEvent = z.infer<typeof TrainerEvent>;

/**
 * How the trainer reads transcripts (hparams `text_frontend`): "phonemes" = espeak-ng IPA from the dataset's
 * phonemes.csv (the service writes it before training), "characters" = the cleaned letters.
 */
export const TextFrontend = z.enum(['phonemes', 'characters']);
export type TextFrontend = z.infer<typeof TextFrontend>;

export const TrainInput = z.object({
  datasetDir: z.string().min(1),
  runDir: z.string().min(1),
  /** tiny | default | path to a JSON config ({"base": "tiny", …}). Ignored when resuming. */
  config: z.string().default('default'),
  /** Train until this global step. */
  steps: z.number().int().positive().optional(),
  resume: z.boolean().default(false),
  /** A checkpoint to start from. Absent: a new duration-model run on the default config fine-tunes the embedded demo
   * voice (resources/voices/demo-training/fastpitch.pt) when it is there; null: train from scratch. */
  warmStart: z.string().nullable().optional(),
  /** Absent: a resumed run's own model (from its checkpoints), else tacotron2 (the trainer's default). */
  model: TrainerModel.optional(),
  /** Single hyper-parameter overrides (resources/trainer/formant_trainer/hparams.py names). */
  overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  /** Stop cleanly (checkpoint + validation) once this much wall-clock time is spent: training in chunks. */
  timeBudgetSeconds: z.number().positive().optional(),
  /** WaveGlow only: condition on Tacotron-2's teacher-forced mels in this folder (the trainer's `gta` command). */
  gtaDir: z.string().min(1).optional(),
  /** The `text_frontend` override (a new run; a resumed run keeps its own). Absent: the config's (presets: characters). */
  textFrontend: TextFrontend.optional(),
});
export type TrainInput = z.input<typeof TrainInput>;

export const TrainResult = z.object({ runDir: z.string(), model: TrainerModel, step: z.number().int(), checkpoint: z.string().nullable() });
export type TrainResult = z.infer<typeof TrainResult>;

export const CheckpointInfo = z.object({
  model: TrainerModel,
  step: z.number().int(),
  path: z.string(),
  bytes: z.number().int(),
  mtime: z.string(),
});
export type CheckpointInfo = z.infer<typeof CheckpointInfo>;

/** A validation sample of a run as listed from disk (newest first in RunSummary.samples). */
export const RunSample = z.object({
  step: z.number().int(),
  /** Utterance id and text: from the validation record in metrics.jsonl, else the run's first validation clip; null when unknown. */
  id: z.string().nullable(),
  text: z.string().nullable(),
  /** Absolute paths: the mel (.npy) and its Griffin-Lim WAV (null until rendered: `training.sampleAudio`). */
  mel: z.string(),
  wav: z.string().nullable(),
  frames: z.number().int().nullable(),
  /** False: no stop token (ran to the decoder cap, not aligned yet); null when the run did not record it. */
  stopped: z.boolean().nullable(),
  /** plots/alignment_<step>.png of the same validation, when present. */
  alignment: z.string().nullable(),
});
export type RunSample = z.infer<typeof RunSample>;

export const SampleAudioResult = z.object({ wav: z.string(), seconds: z.number(), sampleRate: z.number().int(), cached: z.boolean() });
export type SampleAudioResult = z.infer<typeof SampleAudioResult>;

/** A run folder as the Train view shows it after a restart: config, losses so far, newest plots. */
export const RunSummary = z.object({
  runDir: z.string(),
  dataset: z.string().nullable(),
  checkpoints: z.array(CheckpointInfo),
  /** [step, loss] per logged training step and per validation. */
  train: z.array(z.tuple([z.number(), z.number()])),
  validation: z.array(z.tuple([z.number(), z.number()])),
  plots: z.object({ alignment: z.string().nullable(), mel: z.string().nullable(), loss: z.string().nullable() }),
  /** Alignment health of the validation clips at the last validation (focus/diagonality per clip). */
  alignment: z.array(z.looseObject({ id: z.string(), focus: z.number(), diagonality: z.number(), aligned: z.boolean() })),
  /** Validation samples (samples/sample_<step>.npy), newest first. */
  samples: z.array(RunSample),
  /** The run's text input (run.json `<model>.text_frontend`; characters for runs older than phoneme input); null without run.json. */
  textFrontend: TextFrontend.nullable().optional(),
  /**
   * The run's own model, whose losses, plots and samples this summary holds: the acoustic model it has checkpoints
   * (or a run.json section) of, else waveglow for a vocoder-only run; null for an empty folder. A run that holds both
   * acoustic models reports the one asked for (training.summary `model`), else the one with the newest checkpoint.
   */
  model: TrainerModel.nullable().optional(),
  /** Acoustic models this run has checkpoints of (both: export and resume must say which). */
  acousticModels: z.array(AcousticModel).optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const ExportVoiceInput = z.object({
  runDir: z.string().min(1),
  outDir: z.string().min(1),
  name: z.string().optional(),
  /** fp16: weights stored at half size (cast to fp32 when loaded; compute stays fp32). */
  weights: z.enum(['fp32', 'fp16']).default('fp32'),
  /** Which acoustic model to export; required where the run holds both, else the one it has. */
  acoustic: AcousticModel.optional(),
});
/** Checkpoint files as the user chose them (absolute paths); read as data, never run (resources/trainer safe_pickle.py). */
export const VoiceFromCheckpointsInput = z.object({
  tacotron2: z.string().min(1),
  waveglow: z.string().min(1).optional(),
  outDir: z.string().min(1),
  name: z.string().optional(),
  weights: z.enum(['fp32', 'fp16']).default('fp32'),
});
export const VoiceFromCheckpointsResult = z.object({
  voiceDir: z.string(),
  waveglow: z.boolean(),
  /** Each file the voice came from: model, file name, SHA-256, steps (voice.json provenance.sources). */
  sources: z.array(z.looseObject({ model: z.string(), file: z.string().optional(), sha256: z.string().optional(), steps: z.number().optional() })),
});
export type VoiceFromCheckpointsResult = z.infer<typeof VoiceFromCheckpointsResult>;
export const AddWaveGlowInput = z.object({
  voiceDir: z.string().min(1),
  /** A WaveGlow checkpoint or a vocoder bundle folder. */
  waveglow: z.string().min(1),
  weights: z.enum(['fp32', 'fp16']).default('fp32'),
});
export const ExportVoiceResult = z.object({
  voiceDir: z.string(),
  steps: z.number().int(),
  waveglow: z.boolean(),
  /** The acoustic model the bundle holds (voice.json `tacotron2` or `fastpitch`) and the checkpoint it came from. */
  acoustic: AcousticModel,
  checkpoint: z.string().nullable(),
});
export type ExportVoiceResult = z.infer<typeof ExportVoiceResult>;

/**
 * How much of a dataset a training configuration will use, known before Start: the trainer skips clips longer
 * than `max_wav_seconds` (12 s by default, 6 s in the tiny preset) and, for the duration model, clips with fewer
 * mel frames than symbols. Read from the WAV headers and transcripts (no Python); the trainer's own count at
 * start is the final word.
 */
export const DatasetFitInput = z.object({
  datasetDir: z.string().min(1),
  config: z.string().default('default'),
  model: TrainerModel.optional(),
  textFrontend: TextFrontend.optional(),
});
export const DatasetFit = z.object({
  clips: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  usable: z.number().int().nonnegative(),
  usableSeconds: z.number().nonnegative(),
  maxWavSeconds: z.number().positive(),
  /** Clips over maxWavSeconds, and their total length. */
  tooLong: z.number().int().nonnegative(),
  tooLongSeconds: z.number().nonnegative(),
  /** Duration model only: clips with fewer mel frames than symbols (each symbol needs a frame). */
  tooFewFrames: z.number().int().nonnegative(),
  /** Clips whose WAV is missing or unreadable (the trainer refuses those by name). */
  unreadable: z.number().int().nonnegative(),
  /** False where the symbol count could not be known (phoneme input before phonemes.csv is written). */
  symbolsChecked: z.boolean(),
});
export type DatasetFit = z.infer<typeof DatasetFit>;

const JobStarted = z.object({ jobId: z.string() });

export const trainingMethods = {
  'training.env': method(z.object({}), TrainingEnv, 'Check the Python environment of the trainer (Python, torch, CUDA, ONNX) and say what is missing.'),
  'training.start': method(TrainInput, JobStarted, 'Start training (a job; progress items are trainer events, result TrainResult).'),
  'training.resume': method(
    z.object({ runDir: z.string().min(1), datasetDir: z.string().optional(), steps: z.number().int().positive().optional(), model: TrainerModel.optional() }),
    JobStarted,
    "Continue a run from its newest checkpoint (dataset from the run's run.json unless given; model: the run's own, from its checkpoints, unless given).",
  ),
  'training.datasetFit': method(
    DatasetFitInput,
    DatasetFit.nullable(),
    'How many clips (and minutes) of a dataset a training configuration will use, before Start; null where the folder holds no metadata.csv yet.',
  ),
  'training.stop': method(z.object({ jobId: z.string().min(1) }), z.object({ stopped: z.boolean() }), 'Stop a training job; the run keeps its last checkpoint.'),
  'training.checkpoints': method(z.object({ runDir: z.string().min(1) }), z.object({ checkpoints: z.array(CheckpointInfo) }), "A run's checkpoints, oldest first."),
  'training.summary': method(
    z.object({
      runDir: z.string().min(1),
      model: TrainerModel.optional(),
      /** A folder that does not exist yet (a new run's) answers an empty summary instead of not-found. */
      ifExists: z.boolean().optional(),
    }),
    RunSummary,
    "Losses, checkpoints, newest plots and alignment health of a run (of its own model unless `model` is given).",
  ),
  'training.sampleAudio': method(
    z.object({ runDir: z.string().min(1), step: z.number().int().nonnegative() }),
    SampleAudioResult,
    "A validation sample as audio: Griffin-Lim of samples/sample_<step>.npy with the run's mel preset, written once as sample_<step>.wav.",
  ),
  'training.exportVoice': method(ExportVoiceInput, JobStarted, 'Export a run as a voice bundle (a job; result ExportVoiceResult).'),
  'training.voiceFromCheckpoints': method(
    VoiceFromCheckpointsInput,
    JobStarted,
    "A voice bundle from checkpoint files the user chose, without training: NVIDIA's published tacotron2_statedict.pt (+ waveglow_256channels*.pt) or a run's (a job; result VoiceFromCheckpointsResult).",
  ),
  'training.addWaveGlow': method(AddWaveGlowInput, JobStarted, "Add (or replace) a voice's WaveGlow from a checkpoint or a vocoder bundle of its mel preset (a job)."),
} as const;
