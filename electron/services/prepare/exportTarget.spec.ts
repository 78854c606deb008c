import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../../shared/dsp/wav';
import { utterance } from './testSignals';

/**
 * `formant export` touches only what it wrote, as real processes on real files: --out as a symlink
 * to the project, a folder inside it, a wavs/ linked into it, the LJSpeech folder the project was
 * imported from, a folder holding someone else's metadata.csv, and a re-export killed midway.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'bin', 'formant.mjs');
const env = { ...process.env, CI: '1' };
const formant = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
const ljSmall = path.resolve(root, '..', 'shared', 'data', 'lj-small');

/** An LJSpeech-style folder: wavs/<id>.wav + metadata.csv (from lj-small when present, else generated). */
async function ljFolder(dir: string, n: number): Promise<void> {
  await fs.mkdir(path.join(dir, 'wavs'), { recursive: true });
  let meta = '';
  if (existsSync(path.join(ljSmall, 'metadata.csv'))) {
    for (const line of readFileSync(path.join(ljSmall, 'metadata.csv'), 'utf8').split('\n').filter(Boolean).slice(0, n)) {
      const id = line.split('|')[0];
      await fs.copyFile(path.join(ljSmall, 'wavs', `${id}.wav`), path.join(dir, 'wavs', `${id}.wav`));
      meta += line + '\n';
    }
  } else {
    for (let i = 0; i < n; i++) {
      await fs.writeFile(path.join(dir, 'wavs', `LJ900-${String(i).padStart(4, '0')}.wav`), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 40 + i }).samples, 22050));
      meta += `LJ900-${String(i).padStart(4, '0')}|Sentence ${i}.|Sentence ${i}.\n`;
    }
  }
  await fs.writeFile(path.join(dir, 'metadata.csv'), meta);
}

/** Every file under `dir` with its sha256 (what "untouched" means). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = createHash('sha256').update(await fs.readFile(p)).digest('hex');
  }
  return out;
}

describe('formant export writes only where it may', () => {
  let tmp: string;
  let lj: string;
  let proj: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-export-target-'));
    lj = path.join(tmp, 'LJSpeech');
    proj = path.join(tmp, 'proj');
    await ljFolder(lj, 12);
    const imp = formant('import', proj, lj);
    expect(imp.status).toBe(0);
  }, 120_000);
  afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

  it('refuses the project behind a symlink, a folder inside it, and a wavs/ linked into it; the project is untouched', async () => {
    const before = await snapshot(proj);
    const link = path.join(tmp, 'link-to-proj');
    await fs.symlink(proj, link);
    const same = formant('export', proj, '--out', link);
    expect(same.status).not.toBe(0);
    expect(same.stderr.trim().split('\n')).toHaveLength(1);
    expect(same.stderr).toMatch(/is the project folder itself/);
    // The same folder spelled through a symlinked parent, and a new folder inside the project.
    await fs.symlink(tmp, path.join(tmp, 'tmp-link'));
    expect(formant('export', path.join(tmp, 'tmp-link', 'proj'), '--out', proj).stderr).toMatch(/is the project folder itself/);
    expect(formant('export', proj, '--out', path.join(link, 'export')).stderr).toMatch(/is inside the project/);
    const out = path.join(tmp, 'linked-wavs');
    await fs.mkdir(out);
    await fs.symlink(path.join(proj, 'wavs'), path.join(out, 'wavs'));
    expect(formant('export', proj, '--out', out).stderr).toMatch(/wavs is inside the project/);
    expect(await snapshot(proj)).toEqual(before);
    expect(existsSync(path.join(proj, 'export'))).toBe(false);
  }, 60_000);

  it('refuses the LJSpeech folder the project was imported from, and a folder holding files it did not write, unless --overwrite', async () => {
    const before = await snapshot(lj);
    const r = formant('export', proj, '--out', lj);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/holds recordings this project was imported from \(wavs\/LJ\d{3}-\d{4}\.wav.*--overwrite/);
    expect(await snapshot(lj)).toEqual(before);

    const other = path.join(tmp, 'someone-else');
    await fs.mkdir(other);
    await fs.writeFile(path.join(other, 'metadata.csv'), 'mine|keep me|keep me\n');
    const refused = formant('export', proj, '--out', other);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/already holds 1 file\(s\) that this export did not write \(metadata\.csv\)/);
    expect(readFileSync(path.join(other, 'metadata.csv'), 'utf8')).toBe('mine|keep me|keep me\n');
    const forced = formant('export', proj, '--out', other, '--overwrite');
    expect(forced.status).toBe(0);
    expect(readFileSync(path.join(other, 'metadata.csv'), 'utf8').split('\n').filter(Boolean)).toHaveLength(12);

    // Its own earlier export is no obstacle: exporting again needs no flag.
    expect(formant('export', proj, '--out', other).status).toBe(0);
  }, 60_000);

  it('a re-export killed midway leaves metadata.csv listing whole WAVs only, and the next export finishes without --overwrite', async () => {
    const out = path.join(tmp, 'killed');
    expect(formant('export', proj, '--out', out).status).toBe(0);
    const projectBytes = async (id: string) => (await fs.stat(path.join(proj, 'wavs', `${id}.wav`))).size;
    let killedMidway = false;
    for (let attempt = 0; attempt < 5 && !killedMidway; attempt++) {
      const child = spawn(process.execPath, [cli, 'export', proj, '--out', out], { env, stdio: 'ignore' });
      // Kill as soon as the export announced what it is about to replace (its pending record).
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000) {
        const rec = await fs.readFile(path.join(out, '.formant-export.json'), 'utf8').catch(() => '');
        if (rec.includes('"pending"')) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      killedMidway = (await fs.readFile(path.join(out, '.formant-export.json'), 'utf8')).includes('"pending"');

      for (const line of readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n').filter(Boolean)) {
        const id = line.split('|')[0];
        expect((await fs.stat(path.join(out, 'wavs', `${id}.wav`))).size).toBe(await projectBytes(id));
      }
    }
    expect(killedMidway).toBe(true);
    const again = formant('export', proj, '--out', out);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect((await fs.readdir(path.join(out, 'wavs'))).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readFileSync(path.join(out, '.formant-export.json'), 'utf8')).not.toContain('"pending"');
  }, 120_000);
});
