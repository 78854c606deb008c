import { create } from 'zustand';
import { isAcousticModel, TrainerEvent, type AcousticModel, type DatasetFit, type CheckpointInfo, type RunSample, type RunSummary, type TextFrontend, type TrainerModel, type TrainingEnv } from '../../../../shared/contract/training';
import { api, errorMessage, onEvent } from '../../api/client';
import { addEvent, emptySeries, type LossSeries } from './lossSeries';
import { DEFAULT_MODEL, modelChoiceOf } from './modelChoice';
import { DEFAULT_TEXT_INPUT, startTextFrontend, textInputOf } from './textInput';
import { applySampleEvent, withSampleWav } from './validationSamples';
import { trainingDatasetDir } from '../importExport/exportTarget';
import { fieldOfError, PATH_FIELDS, type PathField } from './pathFields';

/**
 * State of the Train view.
 *
 * Invariants:
 *  - `jobId` is non-null exactly while a training job of this view runs; its events update `series`,
 *    `last` and `plots` live; when it ends the run summary is reloaded from disk (the source of truth).
 *  - `series` always belongs to `runDir` (changing runDir clears it until the summary loads).
 *  - `samples` is newest first, one per validation step; `wav` is set only once the WAV exists on disk
 *    (a `sample_audio` event or `renderSample`); `rendering` holds steps whose WAV is being made.
 *  - `textFrontend` is the user's text input for a NEW run; `runTextFrontend` is the loaded run's own (from
 *    its summary). A run folder with acoustic-model checkpoints shows and keeps its own (textInput.ts).
 *  - `model` is the user's model for a NEW run (FastPitch by default); `runModel` is the loaded run's own (its
 *    summary's `model`: the one whose losses, plots and samples are shown). A run folder with checkpoints shows
 *    its own, read-only (modelChoice.ts); Resume and Export act on `runModel`.
 *  - `datasetDir` follows the project's last export (exportTarget.ts) until the person types a folder
 *    (`datasetTyped`); `datasetMissing` is true when the service said that folder holds no metadata.csv yet.
 *  - `fieldErrors` holds a service error about one path field (a refused or missing folder, pathFields.ts),
 *    shown beside that field instead of in `error`; it goes when that field changes or on the next Start.
 */
export interface TrainState {
  env: TrainingEnv | null;
  envChecking: boolean;
  datasetDir: string;
  datasetTyped: boolean;
  datasetMissing: boolean;
  runDir: string;
  config: 'tiny' | 'default';
  steps: number;
  warmStart: string;
  textFrontend: TextFrontend;
  runTextFrontend: TextFrontend | null;
  model: AcousticModel;
  runModel: TrainerModel | null;
  jobId: string | null;
  exportJobId: string | null;
  last: TrainerEvent | null;
  series: LossSeries;
  plots: { alignment: string | null; mel: string | null; loss: string | null };
  alignment: RunSummary['alignment'];
  checkpoints: CheckpointInfo[];
  samples: RunSample[];
  rendering: number[];
  message: string;
  /** The trainer's warnings of the current (or last) run, kept until the next Start (clips it skipped, fine-tuning). */
  notices: string[];
  error: string | null;
  fieldErrors: Partial<Record<PathField, string>>;
  /** How much of datasetDir a new run with this config, model and text input trains on; null until known or when it cannot be read. */
  fit: DatasetFit | null;
  set(p: Partial<TrainState>): void;
  /** Reads `fit` for the current dataset and choices (stale answers are dropped). */
  checkFit(): Promise<void>;
  defaultsFor(projectDir: string): void;
  checkEnv(): Promise<void>;
  refresh(): Promise<void>;
  start(resume: boolean): Promise<void>;
  stop(): Promise<void>;
  exportVoice(outDir: string): Promise<void>;
  /** Griffin-Lim WAV of the sample at `step` (once; cached on disk); resolves true when it is there. */
  renderSample(step: number): Promise<boolean>;
}

let unsubscribe: (() => void) | null = null;

/** What belongs to one run folder: cleared when runDir changes, so no plot or sample of the last run is asked of the next. */
const NO_RUN = {
  series: emptySeries(),
  plots: { alignment: null, mel: null, loss: null },
  alignment: [],
  checkpoints: [],
  samples: [],
  runTextFrontend: null,
  runModel: null,
} satisfies Partial<TrainState>;

export const useTrainStore = create<TrainState>()((set, get) => ({
  env: null,
  envChecking: false,
  datasetDir: '',
  datasetTyped: false,
  datasetMissing: false,
  runDir: '',
  config: 'default',
  steps: 1000,
  warmStart: '',
  textFrontend: DEFAULT_TEXT_INPUT,
  runTextFrontend: null,
  model: DEFAULT_MODEL,
  runModel: null,
  jobId: null,
  exportJobId: null,
  last: null,
  series: emptySeries(),
  plots: { alignment: null, mel: null, loss: null },
  alignment: [],
  checkpoints: [],
  samples: [],
  rendering: [],
  message: '',
  notices: [],
  error: null,
  fieldErrors: {},
  fit: null,
  set: (p) => {
    const st = get();
    const changed = PATH_FIELDS.filter((f) => p[f] !== undefined && p[f] !== st[f] && st.fieldErrors[f]);
    const fieldErrors = changed.length ? { fieldErrors: Object.fromEntries(Object.entries(st.fieldErrors).filter(([f]) => !changed.includes(f as PathField))) } : {};
    set(p.runDir !== undefined && p.runDir !== st.runDir && !st.jobId ? { ...NO_RUN, ...fieldErrors, ...p } : { ...fieldErrors, ...p });
  },
  defaultsFor: (projectDir) => {
    // the last export (or where the Export dialog would write) unless the person typed another folder
    if (!get().datasetTyped) set({ datasetDir: trainingDatasetDir(projectDir) });
    if (get().runDir.startsWith(projectDir)) return;
    set({ runDir: `${projectDir}/runs/voice`, series: emptySeries(), checkpoints: [], alignment: [], samples: [], runTextFrontend: null, runModel: null });
  },
  checkFit: async () => {
    const s = get();
    const key = (st: TrainState) => JSON.stringify([st.datasetDir, st.config, st.model, st.textFrontend]);
    const asked = key(s);
    if (!s.datasetDir) return set({ fit: null, datasetMissing: false });
    try {
      const fit = await api['training.datasetFit']({ datasetDir: s.datasetDir, config: s.config, model: s.model, textFrontend: s.textFrontend });
      if (key(get()) === asked) set({ fit, datasetMissing: fit === null });
    } catch (e) {
      // a refused or missing folder is said beside the field; other failures: Start says why
      if (key(get()) === asked) set({ fit: null, datasetMissing: false, ...fieldError(errorMessage(e), get(), 'datasetDir') });
    }
  },
  checkEnv: async () => {
    set({ envChecking: true });
    try {
      set({ env: await api['training.env']({}), envChecking: false });
    } catch (e) {
      set({ envChecking: false, error: errorMessage(e) });
    }
  },
  refresh: async () => {
    const { runDir } = get();
    if (!runDir) return;
    try {
      const s = await api['training.summary']({ runDir, ifExists: true });
      if (get().runDir !== runDir) return; // typed on meanwhile
      set({
        series: { train: s.train, validation: s.validation },
        plots: s.plots,
        alignment: s.alignment,
        checkpoints: s.checkpoints,
        samples: s.samples,
        runTextFrontend: s.textFrontend ?? null,
        runModel: s.model ?? null,
        error: null,
      });
    } catch (e) {
      if (get().runDir !== runDir) return;
      set({ series: emptySeries(), checkpoints: [], alignment: [], samples: [], runTextFrontend: null, runModel: null, plots: { alignment: null, mel: null, loss: null }, ...fieldError(errorMessage(e), get(), 'runDir') });
    }
  },
  start: async (resume) => {
    const s = get();
    if (s.jobId) return;
    set({ error: null, fieldErrors: {}, message: resume ? 'resuming…' : 'starting…', last: null, notices: [] });
    unsubscribe?.();
    let jobId: string | null = null;
    unsubscribe = onEvent((e) => {
      if (e.type !== 'job' || e.kind !== 'training' || (jobId && e.jobId !== jobId)) return;
      // job items cross the transport as unknown: validate them like every other boundary
      const parsed = e.item === undefined ? null : TrainerEvent.safeParse(e.item);
      const t = parsed?.success ? parsed.data : undefined;
      if (t) {
        set((st) => ({
          series: addEvent(st.series, t),
          last: t.event === 'step' ? t : st.last,
          plots: t.plots ? { ...st.plots, ...(t.plots as TrainState['plots']) } : st.plots,
          alignment: t.event === 'validation' && Array.isArray(t.alignment) ? (t.alignment as RunSummary['alignment']) : st.alignment,
          samples: applySampleEvent(st.samples, t),
          message: e.message,
          notices: t.event === 'warning' && t.message && !st.notices.includes(t.message) ? [...st.notices, t.message] : st.notices,
        }));
      }
      if (e.state !== 'running') {
        set({ jobId: null, message: e.state === 'done' ? 'finished' : e.message, error: e.state === 'failed' ? (e.error?.message ?? e.message) : null });
        unsubscribe?.();
        unsubscribe = null;
        void get().refresh();
      }
    });
    try {
      const choice = modelChoiceOf(s);
      const r = resume
        ? await api['training.resume']({ runDir: s.runDir, datasetDir: s.datasetDir || undefined, steps: s.steps, model: s.runModel ?? undefined })
        : await api['training.start']({
            datasetDir: s.datasetDir,
            runDir: s.runDir,
            model: choice.value,
            config: s.config,
            steps: s.steps,
            warmStart: s.warmStart || undefined,
            textFrontend: startTextFrontend(textInputOf(s)),
          });
      jobId = r.jobId;
      set({ jobId });
    } catch (e) {
      unsubscribe?.();
      unsubscribe = null;
      const message = errorMessage(e);
      const field = fieldOfError(message, get());
      set(field ? { fieldErrors: { [field]: message }, message: '' } : { error: message, message: '' });
    }
  },
  stop: async () => {
    const { jobId } = get();
    if (jobId) await api['training.stop']({ jobId });
  },
  renderSample: async (step) => {
    const { runDir, rendering } = get();
    if (rendering.includes(step)) return false;
    set({ rendering: [...rendering, step] });
    try {
      const r = await api['training.sampleAudio']({ runDir, step });
      if (get().runDir === runDir) set((st) => ({ samples: withSampleWav(st.samples, step, r.wav) }));
      return true;
    } catch (e) {
      set({ error: `sample at step ${step}: ${errorMessage(e)}` });
      return false;
    } finally {
      set((st) => ({ rendering: st.rendering.filter((x) => x !== step) }));
    }
  },
  exportVoice: async (outDir) => {
    set({ error: null, message: 'exporting voice…' });
    try {
      const { runDir, runModel } = get();
      const { jobId } = await api['training.exportVoice']({ runDir, outDir, acoustic: isAcousticModel(runModel) ? runModel : undefined });
      set({ exportJobId: jobId });
      const off = onEvent((e) => {
        if (e.type !== 'job' || e.jobId !== jobId || e.state === 'running') return;
        off();
        set({ exportJobId: null, message: e.state === 'done' ? `voice written to ${outDir}` : '', error: e.state === 'failed' ? (e.error?.message ?? e.message) : null });
      });
    } catch (e) {
      set({ error: errorMessage(e), message: '' });
    }
  },
}));

/** `fieldErrors` with `message` beside `field` when the message is about that field's path; nothing otherwise. */
function fieldError(message: string, st: TrainState, field: PathField): Partial<TrainState> {
  return fieldOfError(message, st) === field ? { fieldErrors: { ...st.fieldErrors, [field]: message } } : {};
}
