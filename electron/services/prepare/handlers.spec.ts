import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../../../shared/contract/index';
import { type JobEvent, type ServiceEvent, parseInput, parseOutput } from '../../../shared/contract/rpc';
import { encodeWav } from '../../../shared/dsp/wav';
import { datasetHandlers } from './handlers';
import { utterance } from './testSignals';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-handlers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Calls a method the way the transports do: validate input, run, validate output. */
async function call<K extends keyof typeof datasetHandlers & keyof typeof api>(name: K, input: unknown, events: ServiceEvent[] = []) {
  const def = api[name];
  const handler = datasetHandlers[name] as (i: unknown, ctx: { emit(e: ServiceEvent): void }) => Promise<unknown>;
  const out = await handler(parseInput(name, def, input), { emit: (e) => events.push(e) });
  return parseOutput(name, def, out) as never;
}

async function jobResult(events: ServiceEvent[], jobId: string): Promise<JobEvent> {
  for (let i = 0; i < 600; i++) {
    const end = events.find((e): e is JobEvent => e.type === 'job' && e.jobId === jobId && e.state !== 'running');
    if (end) return end;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

describe('datasetHandlers (the API the studio calls)', () => {
  it('imports as a job with per-file events, then QA, clip edits and export through the contract', async () => {
    const src = path.join(tmp, 'in');
    mkdirSync(src);
    writeFileSync(path.join(src, 'a.wav'), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 1 }).samples, 22050));
    writeFileSync(path.join(src, 'b.wav'), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 2 }).samples, 22050));
    const projectDir = path.join(tmp, 'proj');
    const events: ServiceEvent[] = [];
    const { jobId } = await call('dataset.import', { projectDir, paths: [src] }, events);
    const end = await jobResult(events, jobId);
    expect(end.state).toBe('done');
    expect(end.result).toMatchObject({ imported: 2, failed: 0 });
    expect(events.filter((e) => e.type === 'job' && e.item).length).toBe(2);

    const report = (await call('dataset.qa', { projectDir })) as { dataset: { clipCount: number } };
    expect(report.dataset.clipCount).toBe(2);
    expect(await call('clips.update', { projectDir, id: 'a', text: 'Hello.' })).toMatchObject({ id: 'a', text: 'Hello.', status: 'transcribed' });
    await expect(call('clips.update', { projectDir: 'relative/dir', id: 'a' })).rejects.toThrow(/absolute/);
    const batch = (await call('clips.updateMany', { projectDir, edits: [{ op: 'update', id: 'b', status: 'rejected' }, { op: 'delete', id: 'a' }] })) as { undo: unknown[] };
    expect(batch).toMatchObject({ deleted: ['a'], clips: [{ id: 'b', status: 'rejected' }] });
    await expect(call('clips.updateMany', { projectDir, edits: [{ op: 'rename', id: 'b' }] })).rejects.toThrow(/op/);
    expect(await call('clips.updateMany', { projectDir, edits: batch.undo })).toMatchObject({ deleted: [], clips: [{ id: 'b', status: 'untranscribed' }, { id: 'a', text: 'Hello.' }] });

    const ex: ServiceEvent[] = [];
    const started = (await call('dataset.export', { projectDir, outDir: path.join(tmp, 'out') }, ex)) as { jobId: string };
    const done = await jobResult(ex, started.jobId);
    expect(done.result).toMatchObject({ exported: 1, excluded: { untranscribed: 1 } });
  }, 60_000);
});
