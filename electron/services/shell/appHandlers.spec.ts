import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceEvent } from '../../../shared/contract/rpc';
import { encodeWav } from '../../../shared/dsp/wav';
import { createApiDispatcher } from '../handlers';
import { configureShell, shellConfig } from './shellConfig';

/** The app methods through the real dispatcher and the real import: recent projects, the demo project, jobs, uploads. */
describe('app methods', () => {
  let tmp: string;
  const saved = { ...shellConfig() };
  const events: ServiceEvent[] = [];
  const ctx = { emit: (e: ServiceEvent) => events.push(e) };
  const call = createApiDispatcher();

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-app-'));
    configureShell({ dataDir: path.join(tmp, 'data'), resourcesDir: path.join(tmp, 'resources'), mode: 'web' });
  });
  afterAll(async () => {
    configureShell(saved);
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('keeps a recent list, newest first, without duplicates, and marks vanished projects', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    await call('project.create', { dir: a, name: 'A' }, ctx);
    await call('project.create', { dir: b, name: 'B' }, ctx);
    await call('project.open', { dir: a + '/' }, ctx);
    let r = (await call('app.recentProjects', {}, ctx)) as { projects: { dir: string; exists: boolean }[] };
    expect(r.projects.map((p) => p.dir)).toEqual([a, b]);
    await fs.rm(path.join(b, 'formant.json'));
    r = (await call('app.recentProjects', {}, ctx)) as typeof r;
    expect(r.projects.find((p) => p.dir === b)?.exists).toBe(false);
    await call('app.forgetRecent', { dir: b }, ctx);
    r = (await call('app.recentProjects', {}, ctx)) as typeof r;
    expect(r.projects.map((p) => p.dir)).toEqual([a]);
    // A corrupt list is an empty list, not a crash.
    await fs.writeFile(path.join(tmp, 'data', 'recent-projects.json'), '{not json');
    expect(await call('app.recentProjects', {}, ctx)).toEqual({ projects: [] });
  });

  it('says what it is and refuses native dialogs in web mode', async () => {
    expect(await call('app.info', {}, ctx)).toMatchObject({ mode: 'web', nativeDialogs: false, demoAvailable: false, demoProjectDir: path.join(tmp, 'data', 'demo-project') });
    await expect(call('app.pickFolder', { purpose: 'project' }, ctx)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(call('app.openDemo', {}, ctx)).rejects.toMatchObject({ code: 'no-demo' });
  });

  it('creates the demo project once by importing the bundled recordings', async () => {
    const rec = path.join(tmp, 'resources', 'demo', 'recordings');
    await fs.mkdir(rec, { recursive: true });
    const tone = new Float32Array(22050 * 2).map((_, i) => (i > 4000 && i < 40000 ? 0.3 * Math.sin((2 * Math.PI * 180 * i) / 22050) : 0));
    await fs.writeFile(path.join(rec, 'demo-1.wav'), encodeWav(tone, 22050));
    await fs.writeFile(path.join(rec, 'demo-1.txt'), 'A demo sentence.');
    const first = (await call('app.openDemo', {}, ctx)) as { dir: string; created: boolean; jobId: string };
    expect(first.created).toBe(true);
    expect(first.dir).toBe(path.join(tmp, 'data', 'demo-project'));
    await waitForJob(events, first.jobId);
    const m = (await call('project.open', { dir: first.dir }, ctx)) as { clips: { text: string | null }[] };
    expect(m.clips.map((c) => c.text)).toEqual(['A demo sentence.']);
    expect(await call('app.openDemo', {}, ctx)).toEqual({ dir: first.dir, created: false, jobId: null });
  });

  it('cancels jobs by id and guards upload batches', async () => {
    expect(await call('jobs.cancel', { jobId: 'no-such-job' }, ctx)).toEqual({ cancelled: false });
    expect(await call('jobs.list', {}, ctx)).toEqual({ jobIds: [] });
    await expect(call('app.discardUploads', { project: path.join(tmp, 'never-opened'), batch: 'b1' }, ctx)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call('app.discardUploads', { project: path.join(tmp, 'a'), batch: '../x' }, ctx)).rejects.toMatchObject({ code: 'bad-input' });
  });
});

async function waitForJob(events: ServiceEvent[], jobId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const end = events.find((e) => e.type === 'job' && e.jobId === jobId && e.state !== 'running');
    if (end && end.type === 'job') {
      if (end.state !== 'done') throw new Error(`job ${end.state}: ${end.message}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not end');
}
