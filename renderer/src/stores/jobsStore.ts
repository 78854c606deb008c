import { create } from 'zustand';
import type { JobEvent, ServiceErrorShape } from '../../../shared/contract/rpc';
import { api, errorMessage, onEvent, onReconnect } from '../api/client';

/**
 * Jobs started from this window (import, export, re-render, align, synthesis, training) and
 * their progress, fed by service events.
 *
 * Invariants:
 *  - a job is listed from the moment its id is known (`track`) or its first event arrives;
 *  - once a job is done/failed/cancelled its state never changes again (late events are ignored);
 *  - `items` keeps the per-item results in arrival order (capped at MAX_ITEMS, the newest kept).
 */
export type JobState = JobEvent['state'];

export interface JobView {
  jobId: string;
  kind: string;
  /** What the person sees ("Import 12 files"); the kind when not given. */
  label: string;
  state: JobState;
  progress: number | null;
  message: string;
  items: unknown[];
  result?: unknown;
  error?: ServiceErrorShape;
  startedAt: number;
  endedAt?: number;
  cancelRequested?: boolean;
}

const MAX_ITEMS = 2000;

export interface JobsState {
  jobs: Record<string, JobView>;
  /** Job ids, newest first. */
  order: string[];
  track(jobId: string, kind: string, label: string): void;
  apply(e: JobEvent): void;
  cancel(jobId: string): Promise<void>;
  dismiss(jobId: string): void;
}

const ended = (s: JobState) => s !== 'running';

export const useJobsStore = create<JobsState>()((set, get) => ({
  jobs: {},
  order: [],
  track: (jobId, kind, label) =>
    set((s) => {
      const existing = s.jobs[jobId];
      if (existing) return { jobs: { ...s.jobs, [jobId]: { ...existing, label } } };
      const job: JobView = { jobId, kind, label, state: 'running', progress: 0, message: 'starting', items: [], startedAt: Date.now() };
      return { jobs: { ...s.jobs, [jobId]: job }, order: [jobId, ...s.order] };
    }),
  apply: (e) =>
    set((s) => {
      const prev = s.jobs[e.jobId];
      if (prev && ended(prev.state)) return s;
      const base: JobView = prev ?? { jobId: e.jobId, kind: e.kind, label: e.kind, state: 'running', progress: 0, message: '', items: [], startedAt: Date.now() };
      const items = e.item !== undefined ? [...base.items, e.item].slice(-MAX_ITEMS) : base.items;
      const job: JobView = {
        ...base,
        state: e.state,
        progress: e.progress ?? (ended(e.state) ? base.progress : null),
        message: e.message || base.message,
        items,
        result: e.result ?? base.result,
        error: e.error ?? base.error,
        endedAt: ended(e.state) ? Date.now() : undefined,
      };
      return { jobs: { ...s.jobs, [e.jobId]: job }, order: prev ? s.order : [e.jobId, ...s.order] };
    }),
  cancel: async (jobId) => {
    const job = get().jobs[jobId];
    if (!job || ended(job.state)) return;
    set((s) => ({ jobs: { ...s.jobs, [jobId]: { ...job, cancelRequested: true } } }));
    try {
      await api['jobs.cancel']({ jobId });
    } catch (e) {
      set((s) => ({ jobs: { ...s.jobs, [jobId]: { ...s.jobs[jobId], message: `cancel failed: ${errorMessage(e)}` } } }));
    }
  },
  dismiss: (jobId) =>
    set((s) => {
      const { [jobId]: _gone, ...jobs } = s.jobs;
      return { jobs, order: s.order.filter((id) => id !== jobId) };
    }),
}));

/** Waits for a tracked job to end; resolves with its final view. */
export function whenJobEnds(jobId: string): Promise<JobView> {
  return new Promise((resolve) => {
    const check = (s: JobsState) => {
      const j = s.jobs[jobId];
      if (j && ended(j.state)) {
        unsub();
        resolve(j);
        return true;
      }
      return false;
    };
    const unsub = useJobsStore.subscribe(check);
    check(useJobsStore.getState());
  });
}

/**
 * After the event stream was broken, jobs that the server no longer runs ended while we were
 * not listening: their outcome is unknown, so they end here as failed with that explanation
 * (and the project is refreshed by the caller) instead of spinning forever.
 */
export async function resyncJobs(): Promise<JobView[]> {
  const { jobIds } = await api['jobs.list']({});
  const alive = new Set(jobIds);
  const lost = Object.values(useJobsStore.getState().jobs).filter((j) => j.state === 'running' && !alive.has(j.jobId));
  for (const j of lost)
    useJobsStore.getState().apply({
      type: 'job',
      jobId: j.jobId,
      kind: j.kind,
      state: 'failed',
      progress: null,
      message: 'lost contact with the server while this ran',
      error: { code: 'lost', message: 'Lost contact with the server while this job ran; its outcome is unknown. Check the project before running it again.' },
    });
  return lost.map((j) => useJobsStore.getState().jobs[j.jobId]);
}

/** Connects the store to the service event stream; call once at startup. Returns the unsubscribe function. */
export function connectJobEvents(onJobEnded?: (job: JobView) => void): () => void {
  const stopEvents = onEvent((e) => {
    if (e.type !== 'job') return;
    const before = useJobsStore.getState().jobs[e.jobId];
    useJobsStore.getState().apply(e);
    const after = useJobsStore.getState().jobs[e.jobId];
    if (onJobEnded && after && ended(after.state) && (!before || !ended(before.state))) onJobEnded(after);
  });
  const stopReconnect = onReconnect(() => {
    resyncJobs().then((lost) => lost.forEach((j) => onJobEnded?.(j)), () => undefined);
  });
  return () => {
    stopEvents();
    stopReconnect();
  };
}
