import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile, rm, utimes, stat } from 'node:fs/promises';
import os from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProject, loadManifest, saveManifest, updateManifest } from './projectStore';
import { cleanupTempFiles, writeFileAtomic } from './atomicWrite';
import { PROCESS_SPACE_TAG, acquireLock } from './projectLock';

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'formant-store-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('project store', () => {
  it('creates a project folder with sources/, wavs/ and a valid manifest', async () => {
    const m = await createProject(dir, { name: 'demo' });
    expect(m.settings.sampleRate).toBe(22050);
    expect(m.settings.padSeconds).toBe(0.5);
    expect((await readdir(dir)).sort()).toEqual(['formant.json', 'sources', 'wavs']);
    expect((await loadManifest(dir)).name).toBe('demo');
  });

  it('rejects a manifest that fails the schema with a message naming the field', async () => {
    await createProject(dir);
    const raw = JSON.parse(await readFile(path.join(dir, 'formant.json'), 'utf8'));
    raw.settings.sampleRate = 'fast';
    await writeFile(path.join(dir, 'formant.json'), JSON.stringify(raw));
    await expect(loadManifest(dir)).rejects.toThrow(/sampleRate/);
  });

  it('rejects truncated JSON (a write that was not atomic) clearly', async () => {
    await createProject(dir);
    const text = await readFile(path.join(dir, 'formant.json'), 'utf8');
    await writeFile(path.join(dir, 'formant.json'), text.slice(0, text.length / 2));
    await expect(loadManifest(dir)).rejects.toThrow(/not valid JSON/);
  });

  it('refuses to save duplicate clip ids', async () => {
    const m = await createProject(dir);
    m.sources.push({ id: 's1', originalPath: '/x.wav', storedPath: 'sources/x.wav', sha256: 'a'.repeat(64), bytes: 1, importedAt: '', durationSeconds: 10, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok' });
    const clip = { id: 'c1', sourceId: 's1', sourceStart: 0, sourceEnd: 2, wav: 'wavs/c1.wav', durationSeconds: 3, text: null, status: 'untranscribed' as const, origin: 'import' as const, createdAt: '', updatedAt: '' };
    m.clips.push(clip, { ...clip });
    await expect(saveManifest(dir, m)).rejects.toThrow(/duplicate clip id "c1"/);
  });

  it('serializes concurrent updates so none is lost', async () => {
    await createProject(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => updateManifest(dir, (m) => { m.name = m.name + ''; m.settings.minPauseSeconds = i / 100; m.sources.push({ id: `s${i}`, originalPath: '', storedPath: '', sha256: 'b'.repeat(64), bytes: 0, importedAt: '', durationSeconds: null, sampleRate: null, channels: null, codec: null, status: 'ok' }); })));
    expect((await loadManifest(dir)).sources).toHaveLength(20);
  });

  it('atomic writes leave no temp files and replace content whole', async () => {
    const f = path.join(dir, 'a.txt');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, 'two');
    expect(await readFile(f, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('cleans temp files a killed writer left behind when the project is opened, and only those', async () => {
    await createProject(dir);
    const tmpName = (pid: number, tag: string | null, rand: string) => path.join(dir, `.formant.json.tmp-${pid}-${tag ? `${tag}-` : ''}${rand}`);
    const other = PROCESS_SPACE_TAG === 'abcdef' ? 'fedcba' : 'abcdef';
    // This machine's: the pid decides at once. A killed writer's leftover goes; a live process's write in flight (the parent process stands in) stays.
    const dead = tmpName(await deadPid(), PROCESS_SPACE_TAG, 'deadbeef');
    const live = tmpName(process.ppid, PROCESS_SPACE_TAG, 'cafebabe');
    // Another machine's (or container's), and an untagged one: their pids mean nothing here; they go once they stopped changing.
    const foreignFresh = tmpName(await deadPid(), other, 'feedf00d');
    const foreignOld = tmpName(await deadPid(), other, '0ddba11a');
    const untagged = tmpName(await deadPid(), null, 'badc0ffe');
    for (const f of [dead, live, foreignFresh, foreignOld, untagged]) await writeFile(f, '{"half');
    const old = new Date(Date.now() - 120_000);
    await utimes(foreignOld, old, old);
    await loadManifest(dir);
    const left = async () => (await readdir(dir)).filter((n) => n.includes('tmp')).sort();
    expect(await left()).toEqual([live, foreignFresh, untagged].map((f) => path.basename(f)).sort());
    expect(await cleanupTempFiles(dir, { quietMs: 0 })).toBe(2);
    expect(await left()).toEqual([path.basename(live)]);
  });

  it('takes over a lock whose owner is gone, and waits for a live one', async () => {
    await createProject(dir);
    const lock = path.join(dir, 'formant.json.lock');
    const pidns = process.platform === 'linux' ? readlinkSync('/proc/self/ns/pid') : undefined;
    // Same host, dead pid, but another pid namespace (a container sharing the folder): the pid proves nothing, the lock stands.
    await writeFile(lock, JSON.stringify({ pid: await deadPid(), hostname: os.hostname(), startedAt: new Date().toISOString(), token: 'x', pidns: 'pid:[1]' }));
    await expect(acquireLock(lock, { timeoutMs: 300 })).rejects.toThrow(/is busy: pid \d+ on /);
    await writeFile(lock, JSON.stringify({ pid: await deadPid(), hostname: os.hostname(), startedAt: new Date().toISOString(), token: 'x', pidns }));
    await updateManifest(dir, (m) => void (m.name = 'after a crash'));
    expect((await loadManifest(dir)).name).toBe('after a crash');
    expect(await readdir(dir)).not.toContain('formant.json.lock');

    // Held by a live process: the update waits until it is released.
    const held = await acquireLock(lock);
    let saved = false;
    const pending = updateManifest(dir, (m) => void (m.name = 'second')).then(() => (saved = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(saved).toBe(false);
    await held.release();
    await pending;
    expect((await loadManifest(dir)).name).toBe('second');
  });

  it('takes over a lock of another machine only when its heartbeat stopped, and refuses to save after losing the lock', async () => {
    await createProject(dir);
    const lock = path.join(dir, 'formant.json.lock');
    await writeFile(lock, JSON.stringify({ pid: 1, hostname: 'elsewhere', startedAt: new Date().toISOString(), token: 'y' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await updateManifest(dir, (m) => void (m.name = 'taken over'));
    expect((await loadManifest(dir)).name).toBe('taken over');

    // A holder frozen past the stale time: another process takes over; the frozen one saves nothing.
    const before = (await stat(path.join(dir, 'formant.json'))).mtimeMs;
    const update = updateManifest(dir, async (m) => {
      m.name = 'from the frozen holder';
      await writeFile(lock, JSON.stringify({ pid: process.ppid, hostname: os.hostname(), startedAt: new Date().toISOString(), token: 'thief' }));
    });
    await expect(update).rejects.toThrow(/took over the project/);
    expect((await loadManifest(dir)).name).toBe('taken over');
    expect((await stat(path.join(dir, 'formant.json'))).mtimeMs).toBe(before);
    await rm(lock);
  });

  it('two processes updating one manifest lose nothing', async () => {
    await createProject(dir);
    const script = `
      import { updateManifest } from ${JSON.stringify(path.join(__dirname, 'projectStore.ts'))};
      const [dir, tag] = process.argv.slice(2);
      for (let i = 0; i < 40; i++) await updateManifest(dir, (m) => { m.sources.push({ id: tag + i, originalPath: '', storedPath: '', sha256: 'c'.repeat(64), bytes: 0, importedAt: '', durationSeconds: null, sampleRate: null, channels: null, codec: null, status: 'ok' }); });
    `;
    const scriptFile = path.join(dir, 'writer.mts');
    await writeFile(scriptFile, script);
    const tsx = path.join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const run = (tag: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [tsx, scriptFile, dir, tag], { stdio: 'inherit' });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
    const ids = (await loadManifest(dir)).sources.map((s) => s.id);
    expect(ids).toHaveLength(80);
    expect(new Set(ids).size).toBe(80);
  }, 60_000);
});
