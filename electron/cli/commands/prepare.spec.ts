import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { utterance } from '../../services/prepare/testSignals';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const formant = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });

describe('formant import | qa | export (CLI contract)', () => {
  it('imports a folder with one bad file (exit 1, the file named), then qa --json and export', () => {
    const src = path.join(tmp, 'rec');
    const proj = path.join(tmp, 'proj');
    rmSync(src, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', src]);
    writeFileSync(path.join(src, 'one.wav'), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 1 }).samples, 22050));
    writeFileSync(path.join(src, 'one.txt'), 'First clip.');
    writeFileSync(path.join(src, 'two.wav'), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 2 }).samples, 22050));
    writeFileSync(path.join(src, 'two.txt'), 'Second | clip.');
    writeFileSync(path.join(src, 'broken.mp3'), Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) & 255));

    const imp = formant('import', proj, src);
    expect(imp.status).toBe(1);
    expect(imp.stderr).toMatch(/error: broken\.mp3: cannot decode/);
    expect(imp.stderr).toMatch(/warning: two\.txt: "\|" is the LJSpeech field separator/);
    expect(imp.stdout).toMatch(/2 imported, 0 already there, 1 failed → 2 clips/);

    const again = formant('import', proj, path.join(src, 'one.wav'));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 imported, 1 already there, 0 failed/);

    const qa = formant('qa', proj, '--json');
    expect(qa.status).toBe(0);
    const report = JSON.parse(qa.stdout);
    expect(report.dataset.clipCount).toBe(2);
    expect(report.dataset.warnings.join(' ')).toMatch(/at least 30 min/);
    const manifest = JSON.parse(readFileSync(path.join(proj, 'formant.json'), 'utf8'));
    expect(manifest.clips.every((c: { qa?: unknown }) => c.qa)).toBe(true);

    const out = path.join(tmp, 'out');
    const ex = formant('export', proj, '--format', 'ljspeech', '--out', out, '--val-fraction', '0.5');
    expect(ex.status).toBe(0);
    expect(readFileSync(path.join(out, 'metadata.csv'), 'utf8')).toBe('one|First clip.|First clip.\ntwo|Second clip.|Second clip.\n');
    expect(existsSync(path.join(out, 'wavs', 'two.wav'))).toBe(true);
    expect(readFileSync(path.join(out, 'val.txt'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);

    const bad = formant('export', proj, '--format', 'vctk', '--out', out);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown --format "vctk"/);
  }, 120_000);

  it('survives a hard kill mid-import: the re-run finishes the job and leaves a consistent project', async () => {
    const src = path.join(tmp, 'many');
    mkdirSync(src, { recursive: true });
    for (let i = 0; i < 16; i++) writeFileSync(path.join(src, `take${String(i).padStart(2, '0')}.wav`), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 100 + i }).samples, 22050));
    const proj = path.join(tmp, 'killed');
    const child = spawn(process.execPath, [path.join(root, 'bin', 'formant.mjs'), 'import', proj, src], { stdio: 'ignore', env: { ...process.env, CI: '1' } });
    // Kill it once it has started writing clips (or after 20 s at the latest).
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000 && !(existsSync(path.join(proj, 'wavs')) && readdirSync(path.join(proj, 'wavs')).length >= 3)) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));

    const rerun = formant('import', proj, src);
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toMatch(/0 failed → \d+ clips/);
    const m = JSON.parse(readFileSync(path.join(proj, 'formant.json'), 'utf8'));
    expect(m.sources).toHaveLength(16);
    expect(m.clips).toHaveLength(16);
    for (const c of m.clips) expect(existsSync(path.join(proj, c.wav))).toBe(true);
    // No half-written files left behind.
    for (const d of ['', 'wavs', 'sources']) expect(readdirSync(path.join(proj, d)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const third = formant('import', proj, src);
    expect(third.stdout).toMatch(/0 imported, 16 already there, 0 failed/);
  }, 180_000);
});
