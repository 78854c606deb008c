import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../shared/dsp/wav';
import { startWebServer, type WebServer } from '../web/server';
import { utterance } from './prepare/testSignals';
import { loadManifest } from './projectStore';

/**
 * One project, three writers at once, as real processes on real files: two `formant import` runs
 * (16 + 16 LJSpeech recordings from ../shared/data/lj-small, or generated ones when it is absent)
 * and transcript edits through the web studio's API. Everything each of them reported must be
 * in the manifest afterwards, with its WAV on disk.
 */
const root = path.resolve(__dirname, '..', '..');
const ljSmall = path.resolve(root, '..', 'shared', 'data', 'lj-small');

/** `formant import <project> <input>` as a process of its own (CI=1: no progress bar), with its output and exit code. */
function importProcess(proj: string, input: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'formant.mjs'), 'import', proj, input], { env: { ...process.env, CI: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function recordings(dir: string): Promise<string[][]> {
  const groups = [path.join(dir, 'a'), path.join(dir, 'b')];
  for (const g of groups) await fs.mkdir(g, { recursive: true });
  if (existsSync(path.join(ljSmall, 'metadata.csv'))) {
    const lines = (await fs.readFile(path.join(ljSmall, 'metadata.csv'), 'utf8')).split('\n').filter(Boolean).slice(0, 32);
    for (let i = 0; i < lines.length; i++) {
      const g = groups[i < 16 ? 0 : 1];
      const id = lines[i].split('|')[0];
      await fs.copyFile(path.join(ljSmall, 'wavs', `${id}.wav`), path.join(g, `${id}.wav`));
      await fs.appendFile(path.join(g, 'metadata.csv'), lines[i] + '\n');
    }
  } else {
    for (let i = 0; i < 32; i++) {
      const g = groups[i < 16 ? 0 : 1];
      await fs.writeFile(path.join(g, `take${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 2.5, seed: 500 + i }).samples, 22050));
      await fs.writeFile(path.join(g, `take${i}.txt`), `Sentence number ${i}.`);
    }
  }
  return [groups.map((g) => g)];
}

describe('one project, several processes', () => {
  let tmp: string;
  let server: WebServer | undefined;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-procs-'));
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('two imports (16 + 16 recordings) and web transcript edits at the same time lose nothing', async () => {
    const [[a, b]] = await recordings(path.join(tmp, 'rec'));
    const proj = path.join(tmp, 'proj');
    const seed = path.join(tmp, 'seed');
    await fs.mkdir(seed);
    for (let i = 0; i < 2; i++) {
      await fs.writeFile(path.join(seed, `edit${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 900 + i }).samples, 22050));
      await fs.writeFile(path.join(seed, `edit${i}.txt`), 'Before the edit.');
    }
    const env = { ...process.env, CI: '1' };
    const cli = path.join(root, 'bin', 'formant.mjs');
    expect(spawnSync(process.execPath, [cli, 'import', proj, seed], { env, encoding: 'utf8' }).status).toBe(0);

    server = await startWebServer({ port: 0, dataDir: path.join(tmp, 'data'), rendererDir: path.join(tmp, 'no-renderer'), build: false });
    const edit = async (id: string, text: string) => {
      const r = await fetch(`${server!.url}api/clips.update`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Formant-Token': server!.token },
        body: JSON.stringify({ projectDir: proj, id, text }),
      });
      expect(r.status).toBe(200);
    };

    const run = (input: string) => importProcess(proj, input);
    const imports = Promise.all([run(a), run(b)]);
    // The studio edits as fast as it can while the imports run: every import's manifest save overlaps an edit.
    let finished = false;
    void imports.then(() => (finished = true));
    const last: Record<string, number> = {};
    const editLoop = async (id: string) => {
      for (let n = 0; !finished || n < 2; n++) {
        await edit(id, `Edit number ${n}.`);
        last[id] = n;
      }
    };
    await Promise.all([editLoop('edit0'), editLoop('edit1')]);
    const results = await imports;
    for (const r of results) {
      expect(r.err).not.toMatch(/at .*\.ts:\d+|Error:/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/16 imported, 0 already there, 0 failed/);
    }

    const m = await loadManifest(proj);
    expect(m.sources).toHaveLength(34);
    const sourcesWithClips = new Set(m.clips.map((c) => c.sourceId));
    expect(sourcesWithClips.size).toBe(34);
    for (const c of m.clips) expect(existsSync(path.join(proj, c.wav))).toBe(true);
    for (const id of ['edit0', 'edit1']) expect(m.clips.find((c) => c.id === id)?.text).toBe(`Edit number ${last[id]}.`);
    expect(last.edit0).toBeGreaterThan(5);
    // Nothing left behind: no lock, no temp file, and every WAV in wavs/ is a clip of the manifest.
    expect(await fs.readdir(proj)).not.toContain('formant.json.lock');
    const wavs = await fs.readdir(path.join(proj, 'wavs'));
    expect(wavs.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(wavs.sort()).toEqual(m.clips.map((c) => path.basename(c.wav)).sort());
  }, 240_000);

  it('two imports creating the same new project at once both land', async () => {
    const [[a, b]] = await recordings(path.join(tmp, 'rec-new'));
    const proj = path.join(tmp, 'new-proj');
    const run = (input: string) => importProcess(proj, input);
    for (const r of await Promise.all([run(a), run(b)])) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/16 imported/);
    }
    expect((await loadManifest(proj)).sources).toHaveLength(32);
  }, 240_000);

  it('two imports of different recordings with the same names keep both (each source copy is its own)', async () => {
    const proj = path.join(tmp, 'same-names');
    const dirs = [path.join(tmp, 'session1'), path.join(tmp, 'session2')];
    for (const [k, d] of dirs.entries()) {
      await fs.mkdir(d);
      for (let i = 0; i < 16; i++) await fs.writeFile(path.join(d, `take${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 3, seed: 7000 + 100 * k + i }).samples, 22050));
    }
    const run = (input: string) => importProcess(proj, input);
    const cli = path.join(root, 'bin', 'formant.mjs');
    expect(spawnSync(process.execPath, [cli, 'import', proj, path.join(root, 'no-such-folder')], { encoding: 'utf8' }).status).not.toBe(0); // creates the project
    for (const r of await Promise.all(dirs.map(run))) {
      expect(r.err).toBe('');
      expect(r.out).toMatch(/16 imported/);
    }
    const m = await loadManifest(proj);
    expect(m.sources).toHaveLength(32);
    expect(new Set(m.sources.map((s) => s.storedPath)).size).toBe(32);
    // Every source copy is the recording its record names, and every clip WAV is there.
    for (const s of m.sources) expect(createHash('sha256').update(await fs.readFile(path.join(proj, s.storedPath))).digest('hex')).toBe(s.sha256);
    for (const c of m.clips) expect(existsSync(path.join(proj, c.wav))).toBe(true);
    expect(new Set(m.clips.map((c) => c.wav)).size).toBe(m.clips.length);
    expect(await fs.readdir(proj)).not.toContain('.import-claims');
  }, 240_000);
});
