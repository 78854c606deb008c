import { create } from 'zustand';
import type { ImportFileResult } from '../../../../shared/contract/dataset';
import { api, errorMessage, isElectron } from '../../api/client';
import { useJobsStore, whenJobEnds } from '../../stores/jobsStore';
import { useProjectStore } from '../../stores/projectStore';
import type { Drop } from './droppedFiles';
import { uploadFile } from './upload';

/**
 * One import at a time, file by file: (web mode) upload → import job → per-file outcome.
 *
 * Invariants:
 *  - `rows` has one row per dropped file (web) or per file the import job reported (Electron,
 *    where the job walks dropped folders itself), in drop/report order;
 *  - a row's state only moves forward: queued → uploading → uploaded → imported|skipped|failed
 *    (or cancelled; 'attached' for a transcript file that travelled with its recording); `phase` is 'done' only when every row has a final state.
 */
export type RowState = 'queued' | 'uploading' | 'uploaded' | 'imported' | 'skipped' | 'failed' | 'cancelled' | 'attached';
export interface ImportRow {
  name: string;
  /** Path the import job knows the file by (staging path in web mode, real path in Electron). */
  path: string | null;
  bytes: number | null;
  state: RowState;
  /** Upload progress 0..1 (web mode). */
  progress: number;
  clips: number;
  seconds: number;
  warnings: string[];
  error?: string;
}

export interface ImportState {
  phase: 'idle' | 'uploading' | 'importing' | 'done';
  open: boolean;
  rows: ImportRow[];
  jobId: string | null;
  error: string | null;
  cancelRequested: boolean;
  start(projectDir: string, drop: Drop): Promise<void>;
  cancel(): Promise<void>;
  close(): void;
}

const FINAL: RowState[] = ['imported', 'skipped', 'failed', 'cancelled', 'attached'];
/** Transcripts travel with their recordings; the import reports audio files only. */
const TRANSCRIPT = /\.(txt|lab|csv)$/i;
let uploadAbort: AbortController | null = null;

function batchId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const useImportStore = create<ImportState>()((set, get) => {
  const patchRow = (i: number, patch: Partial<ImportRow>) =>
    set((s) => ({ rows: s.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  /** Applies one ImportFileResult from the job (event item or final result). */
  const applyResult = (res: ImportFileResult) => {
    set((s) => {
      const i = s.rows.findIndex((r) => r.path === res.file);
      const row: ImportRow = {
        name: i >= 0 ? s.rows[i].name : res.file.split(/[\\/]/).pop() || res.file,
        path: res.file,
        bytes: i >= 0 ? s.rows[i].bytes : null,
        state: res.state,
        progress: 1,
        clips: res.clips.length,
        seconds: res.seconds,
        warnings: res.warnings,
        error: res.error,
      };
      if (i < 0) return { rows: [...s.rows, row] };
      return { rows: s.rows.map((r, j) => (j === i ? row : r)) };
    });
  };

  return {
    phase: 'idle',
    open: false,
    rows: [],
    jobId: null,
    error: null,
    cancelRequested: false,
    start: async (projectDir, drop) => {
      if (get().phase === 'uploading' || get().phase === 'importing') throw new Error('An import is already running');
      set({ phase: 'uploading', open: true, error: null, jobId: null, cancelRequested: false, rows: drop.files.map((f) => ({ name: f.relativePath, path: null, bytes: f.file.size, state: 'queued', progress: 0, clips: 0, seconds: 0, warnings: [] })) });
      let paths = drop.paths;
      const batch = batchId();
      try {
        if (!isElectron && drop.files.length) {
          uploadAbort = new AbortController();
          paths = [];
          for (let i = 0; i < drop.files.length; i++) {
            if (get().cancelRequested) throw new Error('cancelled');
            patchRow(i, { state: 'uploading' });
            const f = drop.files[i];
            const saved = await uploadFile(projectDir, batch, f.relativePath, f.file, (p) => patchRow(i, { progress: p }), uploadAbort.signal);
            patchRow(i, { state: 'uploaded', progress: 1, path: saved.path });
            // The whole batch folder is imported, like a dropped folder, so sidecar transcripts and metadata.csv pair up.
            paths = [saved.batchDir];
          }
        }
        if (!paths.length) throw new Error('Nothing to import: no files in the drop');
        set({ phase: 'importing' });
        const { jobId } = await api['dataset.import']({ projectDir, paths });
        const label = drop.files.length ? `Import ${drop.files.length} file${drop.files.length === 1 ? '' : 's'}` : `Import ${paths.length} item${paths.length === 1 ? '' : 's'}`;
        useJobsStore.getState().track(jobId, 'dataset.import', label);
        set({ jobId });
        // Per-file outcomes arrive as job items while it runs.
        let seen = 0;
        const unsub = useJobsStore.subscribe((s) => {
          const items = s.jobs[jobId]?.items ?? [];
          for (; seen < items.length; seen++) {
            const it = items[seen] as ImportFileResult | undefined;
            if (it && typeof it === 'object' && 'file' in it && 'state' in it) applyResult(it);
          }
        });
        const job = await whenJobEnds(jobId);
        unsub();
        const result = job.result as { files?: ImportFileResult[] } | undefined;
        for (const f of result?.files ?? []) applyResult(f);
        set((s) => ({
          phase: 'done',
          error: job.state === 'failed' ? (job.error?.message ?? 'import failed') : null,
          rows: s.rows.map((r) =>
            FINAL.includes(r.state)
              ? r
              : { ...r, state: job.state === 'cancelled' ? 'cancelled' : job.state === 'failed' ? 'failed' : TRANSCRIPT.test(r.name) ? 'attached' : 'skipped' },
          ),
        }));
        await useProjectStore.getState().refresh();
      } catch (e) {
        const cancelled = get().cancelRequested;
        set((s) => ({
          phase: 'done',
          error: cancelled ? null : errorMessage(e),
          rows: s.rows.map((r) => (FINAL.includes(r.state) ? r : { ...r, state: cancelled ? 'cancelled' : 'failed' })),
        }));
      } finally {
        uploadAbort = null;
        // Staged uploads have been copied into sources/ (or were abandoned): free the space.
        if (!isElectron && drop.files.length) await api['app.discardUploads']({ project: projectDir, batch }).catch(() => undefined);
      }
    },
    cancel: async () => {
      set({ cancelRequested: true });
      uploadAbort?.abort();
      const jobId = get().jobId;
      if (jobId) await useJobsStore.getState().cancel(jobId);
    },
    close: () => {
      if (get().phase === 'uploading' || get().phase === 'importing') return;
      set({ open: false, phase: 'idle', rows: [], jobId: null, error: null });
    },
  };
});
