import type { JobEvent } from '../../../shared/contract/rpc';
import { useJobsStore, whenJobEnds } from './jobsStore';

const ev = (jobId: string, state: JobEvent['state'], progress: number | null, extra: Partial<JobEvent> = {}): JobEvent => ({ type: 'job', jobId, kind: 'dataset.import', state, progress, message: '', ...extra });

describe('jobsStore', () => {
  beforeEach(() => useJobsStore.setState({ jobs: {}, order: [] }));

  it('lists jobs newest first, from track() or from their first event', () => {
    const s = useJobsStore.getState();
    s.track('a', 'dataset.import', 'Import 3 files');
    s.apply(ev('b', 'running', 0.1));
    expect(useJobsStore.getState().order).toEqual(['b', 'a']);
    expect(useJobsStore.getState().jobs.a.label).toBe('Import 3 files');
    expect(useJobsStore.getState().jobs.b.label).toBe('dataset.import');
  });

  it('keeps per-item results in order and freezes a job once it ended', () => {
    const s = useJobsStore.getState();
    s.apply(ev('a', 'running', 0.5, { item: { file: '1.wav' } }));
    s.apply(ev('a', 'running', 1, { item: { file: '2.wav' } }));
    s.apply(ev('a', 'done', 1, { result: { imported: 2 } }));
    s.apply(ev('a', 'running', 0.2, { message: 'late event' }));
    const j = useJobsStore.getState().jobs.a;
    expect(j.items).toEqual([{ file: '1.wav' }, { file: '2.wav' }]);
    expect(j.state).toBe('done');
    expect(j.result).toEqual({ imported: 2 });
    expect(j.message).not.toBe('late event');
  });

  it('keeps an event that arrives before track() and lets track() name it', () => {
    const s = useJobsStore.getState();
    s.apply(ev('fast', 'failed', null, { error: { code: 'no-audio', message: 'nothing to import' } }));
    s.track('fast', 'dataset.import', 'Import 1 file');
    const j = useJobsStore.getState().jobs.fast;
    expect(j).toMatchObject({ state: 'failed', label: 'Import 1 file', error: { code: 'no-audio' } });
    expect(useJobsStore.getState().order).toEqual(['fast']);
  });

  it('whenJobEnds resolves on the final event (or at once when already over)', async () => {
    const s = useJobsStore.getState();
    s.track('x', 'dataset.export', 'Export');
    const p = whenJobEnds('x');
    s.apply(ev('x', 'running', 0.5));
    s.apply(ev('x', 'cancelled', null));
    expect((await p).state).toBe('cancelled');
    expect((await whenJobEnds('x')).state).toBe('cancelled');
  });
});

describe('resyncJobs', () => {
  it('ends jobs the server no longer runs, as failed with an explanation', async () => {
    const { resyncJobs } = await import('./jobsStore');
    // Web mode's transport, answered here: POST api/jobs.list → one job still alive.
    vi.stubGlobal('window', {});
    const fetchMock = vi.fn(async () => ({ status: 200, json: async () => ({ ok: true, result: { jobIds: ['alive'] } }) }));
    vi.stubGlobal('fetch', fetchMock);
    useJobsStore.setState({ jobs: {}, order: [] });
    const s = useJobsStore.getState();
    s.track('alive', 'dataset.import', 'A');
    s.track('gone', 'dataset.export', 'B');
    const lost = await resyncJobs();
    expect(lost.map((j) => j.jobId)).toEqual(['gone']);
    expect(useJobsStore.getState().jobs.gone).toMatchObject({ state: 'failed', error: { code: 'lost' } });
    expect(useJobsStore.getState().jobs.alive.state).toBe('running');
    expect(fetchMock).toHaveBeenCalledWith('api/jobs.list', expect.objectContaining({ method: 'POST' }));
    vi.unstubAllGlobals();
  });
});
