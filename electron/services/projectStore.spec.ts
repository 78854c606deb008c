import { mkdtemp, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProject, loadManifest, saveManifest, updateManifest } from './projectStore';
import { writeFileAtomic } from './atomicWrite';

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

  it('cleans temp files a killed writer left behind when the project is opened', async () => {
    await createProject(dir);
    await writeFile(path.join(dir, '.formant.json.tmp-123-deadbeef'), '{"half');
    await loadManifest(dir);
    expect((await readdir(dir)).filter((n) => n.includes('tmp'))).toEqual([]);
  });
});
