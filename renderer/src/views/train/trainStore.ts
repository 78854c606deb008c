import { create } from 'zustand';
import type { CheckpointInfo, RunSummary, TrainerEvent, TrainingEnv } from '../../../../shared/contract/training';
import { api, errorMessage, onEvent } from '../../api/client';
import { addEvent, emptySeries, type LossSeries } from './lossSeries';

/**
 * State of the Train view.
 *
 * Invariants:
 *  - `jobId` is non-null exactly while a training job of this view runs; its events update `series`,
 *    `last` and `plots` live; when it ends the run summary is reloaded from disk (the source of truth).
 *  - `series` always belongs to `runDir` (changing runDir clears it until the summary loads).
 */
export interface TrainState {
  env: TrainingEnv | null;
  envChecking: boolean;
  datasetDir: string;
  runDir: string;
  config: 'tiny' | 'default';
  steps: number;
  warmStart: string;
  jobId: string | null;
  exportJobId: string | null;
  last: TrainerEvent | null;
  series: LossSeries;
  plots: { alignment: string | null; mel: string | null; loss: string | null };
  alignment: RunSummary['alignment'];
  checkpoints: CheckpointInfo[];
  message: string;
  error: string | null;
  set(p: Partial<TrainState>): void;
  defaultsFor(projectDir: string): void;
  checkEnv(): Promise<void>;
  refresh(): Promise<void>;
  start(resume: boolean): Promise<void>;
  stop(): Promise<void>;
  exportVoice(outDir: string): Promise<void>;
}

let unsubscribe: (() => void) | null = null;

export const useTrainStore = create<TrainState>()((set, get) => ({
  env: null,
  envChecking: false,
  datasetDir: '',
  runDir: '',
  config: 'tiny',
  steps: 1000,
  warmStart: '',
  jobId: null,
  exportJobId: null,
  last: null,
  series: emptySeries(),
  plots: { alignment: null, mel: null, loss: null },
  alignment: [],
  checkpoints: [],
  message: '',
  error: null,
  set: (p) => set(p),
  defaultsFor: (projectDir) => {
    if (get().runDir.startsWith(projectDir)) return;
    set({ datasetDir: `${projectDir}/export/ljspeech`, runDir: `${projectDir}/runs/voice`, series: emptySeries(), checkpoints: [], alignment: [] });
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
      const s = await api['training.summary']({ runDir });
      set({ series: { train: s.train, validation: s.validation }, plots: s.plots, alignment: s.alignment, checkpoints: s.checkpoints, error: null });
    } catch {
      set({ series: emptySeries(), checkpoints: [], alignment: [], plots: { alignment: null, mel: null, loss: null } });
    }
  },
  start: async (resume) => {
    const s = get();
    if (s.jobId) return;
    set({ error: null, message: resume ? 'resuming…' : 'starting…', last: null });
    unsubscribe?.();
    let jobId: string | null = null;
    unsubscribe = onEvent((e) => {
      if (e.type !== 'job' || e.kind !== 'training' || (jobId && e.jobId !== jobId)) return;
      const t = e.item as TrainerEvent | undefined;
      if (t) {
        set((st) => ({
          series: addEvent(st.series, t),
          last: t.event === 'step' ? t : st.last,
          plots: t.plots ? { ...st.plots, ...(t.plots as TrainState['plots']) } : st.plots,
          alignment: t.event === 'validation' && Array.isArray(t.alignment) ? (t.alignment as RunSummary['alignment']) : st.alignment,
          message: e.message,
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
      const r = resume
        ? await api['training.resume']({ runDir: s.runDir, datasetDir: s.datasetDir || undefined, steps: s.steps })
        : await api['training.start']({ datasetDir: s.datasetDir, runDir: s.runDir, config: s.config, steps: s.steps, warmStart: s.warmStart || undefined });
      jobId = r.jobId;
      set({ jobId });
    } catch (e) {
      unsubscribe?.();
      unsubscribe = null;
      set({ error: errorMessage(e), message: '' });
    }
  },
  stop: async () => {
    const { jobId } = get();
    if (jobId) await api['training.stop']({ jobId });
  },
  exportVoice: async (outDir) => {
    set({ error: null, message: 'exporting voice…' });
    try {
      const { jobId } = await api['training.exportVoice']({ runDir: get().runDir, outDir });
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
