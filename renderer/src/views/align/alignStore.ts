import { create } from 'zustand';
import type { AcceptResult, AlignRun, AlignSegment } from '../../../../shared/contract/align';
import { api, errorMessage, isElectron } from '../../api/client';
import { useJobsStore, whenJobEnds } from '../../stores/jobsStore';
import { mergeWithNext, removeSegment, setEdges, setText, splitSegment } from './segmentEdits';

/**
 * State of the Align view.
 * Invariants:
 *  - `segments` is null until a run is loaded, then the run's segments with the person's edits;
 *  - `dirty` is true iff `segments` differs from what was last accepted/loaded;
 *  - only one alignment job at a time (`jobId` set while it runs);
 *  - a run that is neither accepted nor discarded is the project's pending alignment on disk: every
 *    edit is saved to it (`align.saveEdits`, in order), so `restore` after a reload shows the same
 *    segments; accept and discard clear it.
 */
export interface AlignInputs {
  audioPath: string | null;
  audioName: string | null;
  /** Web mode: the upload batch (`<project>/.staging/<batch>`) that holds the chosen recording; deleted once aligned. */
  uploadBatch: string | null;
  transcript: string;
}

export interface AlignState extends AlignInputs {
  jobId: string | null;
  run: AlignRun | null;
  segments: AlignSegment[] | null;
  selected: number | null;
  dirty: boolean;
  error: string | null;
  accepted: AcceptResult | null;
  setAudio(path: string | null, name: string | null, uploadBatch?: string | null): void;
  setTranscript(text: string): void;
  start(projectDir: string): Promise<void>;
  load(projectDir: string, runId: string): Promise<void>;
  /** Shows the project's pending alignment (after a reload or on opening the project), or clears the view. */
  restore(projectDir: string): Promise<void>;
  discard(projectDir: string): Promise<void>;
  select(k: number | null): void;
  edit(op: 'edges', k: number, a: number, b: number): void;
  edit(op: 'merge', k: number): void;
  edit(op: 'split', k: number, at: number, words: number): void;
  edit(op: 'text', k: number, text: string): void;
  edit(op: 'remove', k: number): void;
  accept(projectDir: string): Promise<void>;
}

/** Edits are saved one after another, so the last one wins on disk. */
let saving: Promise<unknown> = Promise.resolve();
let projectOfRun: string | null = null;
const EMPTY = { run: null, segments: null, selected: null, dirty: false, accepted: null, audioPath: null, audioName: null, uploadBatch: null, transcript: '' } as const;
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export const useAlignStore = create<AlignState>()((set, get) => ({
  audioPath: null,
  audioName: null,
  uploadBatch: null,
  transcript: '',
  jobId: null,
  run: null,
  segments: null,
  selected: null,
  dirty: false,
  error: null,
  accepted: null,
  setAudio: (audioPath, audioName, uploadBatch = null) => set({ audioPath, audioName, uploadBatch, error: null }),
  setTranscript: (transcript) => set({ transcript, error: null }),
  async start(projectDir) {
    const { audioPath, transcript, jobId } = get();
    if (jobId) return;
    if (!audioPath) return set({ error: 'Drop or choose the recording first.' });
    if (!transcript.trim()) return set({ error: 'Drop a transcript (.txt) or paste the text first.' });
    set({ error: null, accepted: null });
    try {
      const { jobId: id } = await api['align.run']({ projectDir, audioPath, transcript });
      useJobsStore.getState().track(id, 'align', `Align ${get().audioName ?? 'recording'}`);
      set({ jobId: id });
      const job = await whenJobEnds(id);
      set({ jobId: null });
      if (job.state !== 'done') return set({ error: job.error?.message ?? `Alignment ${job.state}` });
      const run = job.result as AlignRun;
      projectOfRun = projectDir;
      set({ run, segments: run.segments, selected: null, dirty: false });
      // The aligner keeps its own waiting copy (align/recordings/…): the uploaded one is not needed
      // any more, and aligning again reads the waiting copy.
      const batch = get().uploadBatch;
      if (batch && !isElectron) {
        await api['app.discardUploads']({ project: projectDir, batch }).catch(() => undefined);
        set({ uploadBatch: null, audioPath: `${projectDir}/${run.sourcePath}` });
      }
    } catch (e) {
      set({ jobId: null, error: errorMessage(e) });
    }
  },
  async load(projectDir, runId) {
    try {
      const run = await api['align.result']({ projectDir, runId });
      projectOfRun = projectDir;
      set({ run, segments: run.edited ?? run.segments, transcript: run.transcript, selected: null, dirty: false, error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async restore(projectDir) {
    if (get().jobId) return;
    try {
      const run = await api['align.pending']({ projectDir });
      if (!run) {
        // Another project's results are not shown here; this project's accepted ones stay until it changes.
        if (projectOfRun !== projectDir) set({ ...EMPTY, error: null });
        return;
      }
      projectOfRun = projectDir;
      set({
        run,
        segments: run.edited ?? run.segments,
        transcript: run.transcript,
        // Aligning again reads the waiting copy of the recording.
        audioPath: `${projectDir}/${run.sourcePath}`,
        audioName: baseName(run.originalPath ?? run.sourcePath),
        selected: null,
        dirty: Boolean(run.edited),
        accepted: null,
        error: null,
      });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async discard(projectDir) {
    const { run } = get();
    if (!run) return;
    try {
      await saving;
      await api['align.discard']({ projectDir, runId: run.runId });
      set({ ...EMPTY, error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  select: (selected) => set({ selected }),
  edit(op: string, k: number, a?: unknown, b?: unknown) {
    const { segments, run } = get();
    if (!segments || !run) return;
    try {
      let next = segments;
      if (op === 'edges') next = setEdges(segments, k, a as number, b as number, run.durationSeconds);
      else if (op === 'merge') next = mergeWithNext(segments, k, run.transcript);
      else if (op === 'split') next = splitSegment(segments, k, a as number, b as number);
      else if (op === 'text') next = setText(segments, k, a as string);
      else if (op === 'remove') next = removeSegment(segments, k);
      set({ segments: next, dirty: true, error: null });
      if (projectOfRun && !run.acceptedClips.length && !get().accepted) {
        const projectDir = projectOfRun;
        saving = saving.then(() => api['align.saveEdits']({ projectDir, runId: run.runId, segments: next })).catch((e) => set({ error: `Edits not saved: ${errorMessage(e)}` }));
      }
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async accept(projectDir) {
    const { run, segments } = get();
    if (!run || !segments) return;
    try {
      await saving;
      const accepted = await api['align.accept']({ projectDir, runId: run.runId, segments });
      // The recording is a source now (sources/…); the run read back plays it from there.
      const stored = await api['align.result']({ projectDir, runId: run.runId }).catch(() => run);
      set({ accepted, run: stored, dirty: false, error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
}));
