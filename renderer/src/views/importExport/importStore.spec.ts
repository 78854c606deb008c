import { useJobsStore } from '../../stores/jobsStore';
import { useImportStore } from './importStore';

// The import flow without a browser or server: the API is a recorder, job events are applied by hand.
const calls = vi.hoisted(() => [] as [string, unknown][]);
vi.mock('../../api/client', () => ({
  isElectron: true,
  errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
  onEvent: () => () => undefined,
  api: new Proxy(
    {},
    {
      get: (_t, method: string) => async (input: unknown) => {
        calls.push([method, input]);
        if (method === 'dataset.import') return { jobId: 'j1' };
        if (method === 'jobs.cancel') return { cancelled: true };
        return { ok: true };
      },
    },
  ),
}));

const file = (name: string, state: 'imported' | 'failed', clips: string[] = []) => ({ file: `/rec/${name}`, sourceId: state === 'imported' ? name : null, state, clips, seconds: clips.length * 2, warnings: [], ...(state === 'failed' ? { error: `${name}: cannot decode` } : {}) });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('importStore', () => {
  beforeEach(() => {
    calls.length = 0;
    useJobsStore.setState({ jobs: {}, order: [] });
    useImportStore.setState({ phase: 'idle', open: false, rows: [], jobId: null, error: null, cancelRequested: false });
  });

  it('imports dropped paths and shows each file as the job reports it', async () => {
    const done = useImportStore.getState().start('/p', { paths: ['/rec'], files: [] });
    await tick();
    expect(calls[0]).toEqual(['dataset.import', { projectDir: '/p', paths: ['/rec'] }]);
    const jobs = useJobsStore.getState();
    jobs.apply({ type: 'job', jobId: 'j1', kind: 'dataset.import', state: 'running', progress: 0.5, message: '', item: file('a.wav', 'imported', ['a']) });
    expect(useImportStore.getState().rows.map((r) => [r.name, r.state])).toEqual([['a.wav', 'imported']]);
    jobs.apply({ type: 'job', jobId: 'j1', kind: 'dataset.import', state: 'running', progress: 1, message: '', item: file('b.wav', 'failed') });
    jobs.apply({ type: 'job', jobId: 'j1', kind: 'dataset.import', state: 'done', progress: 1, message: 'done', result: { files: [file('a.wav', 'imported', ['a']), file('b.wav', 'failed')] } });
    await done;
    const s = useImportStore.getState();
    expect(s.phase).toBe('done');
    expect(s.rows.map((r) => [r.name, r.state, r.clips])).toEqual([
      ['a.wav', 'imported', 1],
      ['b.wav', 'failed', 0],
    ]);
    expect(s.rows[1].error).toMatch(/cannot decode/);
  });

  it('cancels the import job and marks what did not finish', async () => {
    const done = useImportStore.getState().start('/p', { paths: ['/rec'], files: [] });
    await tick();
    useJobsStore.getState().apply({ type: 'job', jobId: 'j1', kind: 'dataset.import', state: 'running', progress: 0.3, message: '', item: file('a.wav', 'imported', ['a']) });
    await useImportStore.getState().cancel();
    expect(calls).toContainEqual(['jobs.cancel', { jobId: 'j1' }]);
    useJobsStore.getState().apply({ type: 'job', jobId: 'j1', kind: 'dataset.import', state: 'cancelled', progress: null, message: 'cancelled' });
    await done;
    const s = useImportStore.getState();
    expect(s.phase).toBe('done');
    expect(s.rows.map((r) => r.state)).toEqual(['imported']);
    expect(s.error).toBeNull();
    // A second import can start once this one is over.
    useImportStore.getState().close();
    expect(useImportStore.getState().open).toBe(false);
  });

  it('refuses a second import while one runs', async () => {
    void useImportStore.getState().start('/p', { paths: ['/rec'], files: [] });
    await tick();
    await expect(useImportStore.getState().start('/p', { paths: ['/x'], files: [] })).rejects.toThrow(/already running/);
  });
});
