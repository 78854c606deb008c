import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { createProject, loadManifest } from '../projectStore';
import { registerSource } from './registerSource';
import { utterance } from './testSignals';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-register-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('registerSource (a source without splitting)', () => {
  it('copies, decodes and records one recording (no clips); the same content again is reused; bad audio leaves nothing', async () => {
    const proj = path.join(tmp, 'proj');
    await createProject(proj);
    mkdirSync(path.join(tmp, 'in', 'other'), { recursive: true });
    const long = path.join(tmp, 'in', 'Long Take.WAV');
    const take = utterance({ rate: 44100, seconds: 15, seed: 3 }).samples; // ≥ 15 s: import would split it
    const seconds = take.length / 44100;
    writeFileSync(long, encodeWav(take, 44100));
    const original = sha(long);

    const r = await registerSource(proj, long, { transcript: 'The whole text of it.', keepSeconds: Infinity });
    expect(r.known).toBe(false);
    expect(r.source).toMatchObject({ id: 'Long_Take', storedPath: 'sources/Long_Take.wav', sha256: original, sampleRate: 44100, channels: 1, status: 'ok', transcript: 'The whole text of it.' });
    expect(r.source.durationSeconds).toBeCloseTo(seconds, 2);
    expect(Math.abs(r.scan.samples!.length - seconds * 22050)).toBeLessThan(2); // decoded at the project rate
    expect(sha(path.join(proj, r.source.storedPath))).toBe(original);
    const m1 = await loadManifest(proj);
    expect(m1.sources).toEqual([r.source]);
    expect(m1.clips).toEqual([]);

    const again = await registerSource(proj, long);
    expect(again.known).toBe(true);
    expect(again.source).toEqual(r.source);
    expect(readdirSync(path.join(proj, 'sources'))).toEqual(['Long_Take.wav']);
    expect((await loadManifest(proj)).sources).toHaveLength(1);

    // Same name, other content: a stable hashed id, a second copy.
    const other = path.join(tmp, 'in', 'other', 'Long Take.WAV');
    writeFileSync(other, encodeWav(utterance({ rate: 22050, seconds: 2, seed: 4 }).samples, 22050));
    const second = await registerSource(proj, other);
    expect(second.source.id).toBe(`Long_Take-${sha(other).slice(0, 8)}`);
    expect(second.source.transcript).toBeUndefined();

    const bad = path.join(tmp, 'in', 'broken.wav');
    writeFileSync(bad, Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEjunkjunkjunk'));
    await expect(registerSource(proj, bad)).rejects.toMatchObject({ code: 'bad-audio' });
    writeFileSync(path.join(tmp, 'in', 'empty.wav'), '');
    await expect(registerSource(proj, path.join(tmp, 'in', 'empty.wav'))).rejects.toThrow(/empty file/);
    await expect(registerSource(proj, path.join(tmp, 'in', 'nope.wav'))).rejects.toMatchObject({ code: 'not-found' });
    expect(readdirSync(path.join(proj, 'sources')).sort()).toEqual(['Long_Take-' + sha(other).slice(0, 8) + '.wav', 'Long_Take.wav']);
    expect((await loadManifest(proj)).sources).toHaveLength(2);
    expect(sha(long)).toBe(original); // the original is never touched
  }, 30_000);
});
