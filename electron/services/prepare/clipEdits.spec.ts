import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';
import { loadManifest } from '../projectStore';
import { deleteClip, mergeWithNext, reprocessClips, setClipRegion, splitClip, updateClip } from './clipEdits';
import { importRecordings } from './importRecordings';
import { addWord } from './testSignals';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-edit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const proj = path.join(tmp, 'proj');
let sourceSha = '';

/** Two phrases (1.0–3.0 s and 3.6–5.6 s) in 6.5 s: one clip at import (max 12 s). */
beforeAll(async () => {
  const rate = 22050;
  const x = new Float32Array(Math.round(6.5 * rate));
  addWord(x, rate, { start: 1, end: 3 }, 150, 0.3);
  addWord(x, rate, { start: 3.6, end: 5.6 }, 190, 0.3);
  mkdirSync(path.join(tmp, 'in'));
  writeFileSync(path.join(tmp, 'in', 'two.wav'), encodeWav(x, rate));
  writeFileSync(path.join(tmp, 'in', 'two.txt'), 'first half second half');
  await importRecordings(proj, [path.join(tmp, 'in')]);
  sourceSha = createHash('sha256').update(readFileSync(path.join(proj, 'sources', 'two.wav'))).digest('hex');
});

const wavSeconds = (rel: string) => decodeWav(readFileSync(path.join(proj, rel))).channels[0].length / 22050;

describe('clip edits', () => {
  it('split at a source time → two re-rendered clips; merge → one again; region edit; text/status; delete', async () => {
    const m0 = await loadManifest(proj);
    expect(m0.clips).toHaveLength(1);
    expect(m0.clips[0]).toMatchObject({ id: 'two', text: 'first half second half', status: 'transcribed' });

    const [a, b] = await splitClip(proj, 'two', 3.3, ['first half', 'second half']);
    expect(a).toMatchObject({ id: 'two', sourceEnd: 3.3, text: 'first half', status: 'transcribed', origin: 'edit' });
    expect(b).toMatchObject({ id: 'two_2', sourceStart: 3.3, text: 'second half', status: 'transcribed' });
    expect(wavSeconds(a.wav)).toBeCloseTo(a.sourceEnd - a.sourceStart + 1, 2);
    expect(wavSeconds(b.wav)).toBeCloseTo(b.sourceEnd - b.sourceStart + 1, 2);
    const m1 = await loadManifest(proj);
    expect(m1.clips.map((c) => c.id)).toEqual(['two', 'two_2']);

    await expect(splitClip(proj, 'two', 9)).rejects.toThrow(/not inside its region/);
    await expect(mergeWithNext(proj, 'two_2')).rejects.toThrow(/last clip of its source/);

    const merged = await mergeWithNext(proj, 'two');
    expect(merged).toMatchObject({ id: 'two', text: 'first half second half', status: 'transcribed', sourceStart: a.sourceStart, sourceEnd: b.sourceEnd });
    expect(existsSync(path.join(proj, 'wavs', 'two_2.wav'))).toBe(false);
    expect((await loadManifest(proj)).clips.map((c) => c.id)).toEqual(['two']);

    const trimmed = await setClipRegion(proj, 'two', 0.9, 3.1);
    expect(wavSeconds(trimmed.wav)).toBeCloseTo(2.2 + 1, 2);
    const x = decodeWav(readFileSync(path.join(proj, trimmed.wav))).channels[0];
    for (let i = 0; i < 11025; i++) expect(x[i] === 0 && x[x.length - 1 - i] === 0).toBe(true);
    await expect(setClipRegion(proj, 'two', 2, 99)).rejects.toThrow(/after the end of its source/);

    expect(await updateClip(proj, 'two', { text: 'first | half' })).toMatchObject({ text: 'first half', status: 'transcribed' });
    expect(await updateClip(proj, 'two', { status: 'reviewed' })).toMatchObject({ status: 'reviewed' });
    expect(await updateClip(proj, 'two', { text: null })).toMatchObject({ text: null, status: 'untranscribed' });

    expect(await reprocessClips(proj, undefined)).toEqual({ rendered: 1 });
    expect(await deleteClip(proj, 'two')).toEqual({ deleted: 'two' });
    const m2 = await loadManifest(proj);
    expect(m2.clips).toHaveLength(0);
    expect(m2.sources).toHaveLength(1);
    expect(existsSync(path.join(proj, 'wavs', 'two.wav'))).toBe(false);
    // The source never changed through all of it.
    expect(createHash('sha256').update(readFileSync(path.join(proj, 'sources', 'two.wav'))).digest('hex')).toBe(sourceSha);
    await expect(updateClip(proj, 'two', { text: 'x' })).rejects.toThrow(/No clip "two"/);
  });
});
