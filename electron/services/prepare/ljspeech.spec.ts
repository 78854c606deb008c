import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integratedLoudness } from '../../../shared/dsp/loudness';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';
import { normalizeText } from '../../../shared/text/index';
import { loadManifest, updateManifest } from '../projectStore';
import { importRecordings } from './importRecordings';
import { deleteClip, updateClip } from './clipEdits';
import { EXPORT_RECORD_FILE } from './exportRecord';
import { exportLjspeech, splitTrainVal } from './ljspeechExport';
import { parseMetadataCsv } from './ljspeechMetadata';
import { runQa } from './qa';
import { utterance } from './testSignals';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const ljSmall = path.resolve(repoRoot, '..', 'shared', 'data', 'lj-small');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-lj-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('LJSpeech export (generated audio)', () => {
  it('writes metadata.csv byte-exactly, leaves out what cannot be trained on, splits train/val deterministically', async () => {
    const src = path.join(tmp, 'gen');
    mkdirSync(src, { recursive: true });
    const texts: Record<string, string | null> = {
      a01: 'Dr. Smith paid $5 on 3 May.',
      a02: 'Plain words here.',
      a03: 'Quote "this" and that',
      a04: 'Will be rejected.',
      a05: null,
      a06: 'Six.',
    };
    Object.entries(texts).forEach(([id, t], i) => {
      writeFileSync(path.join(src, `${id}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.5, seed: i + 1 }).samples, 22050));
      if (t != null) writeFileSync(path.join(src, `${id}.txt`), t);
    });
    const proj = path.join(tmp, 'gen-proj');
    await importRecordings(proj, [src]);
    await updateManifest(proj, (m) => {
      m.clips.find((c) => c.id === 'a04')!.status = 'rejected';
    });
    const out = path.join(tmp, 'gen-out');
    const r = await exportLjspeech(proj, out, { valFraction: 0.25, seed: 7 });
    expect(r).toMatchObject({ exported: 4, train: 3, val: 1, excluded: { rejected: 1, untranscribed: 1 } });
    const csv = readFileSync(path.join(out, 'metadata.csv'));
    expect(csv.subarray(0, 3).toString('hex')).not.toBe('efbbbf'); // no BOM
    const lines = csv.toString('utf8').split('\n');
    expect(lines.pop()).toBe(''); // newline-terminated
    expect(lines).toEqual(
      ['a01', 'a02', 'a03', 'a06'].map((id) => `${id}|${texts[id]}|${normalizeText(texts[id]!)}`),
    );
    expect(lines[1]).toBe('a02|Plain words here.|Plain words here.');
    // The character-input trainer reads cleaned.csv: the english cleaners ran here, it only maps characters to ids.
    expect(readFileSync(path.join(out, 'cleaned.csv'), 'utf8')).toBe(
      'a01|doctor smith paid five dollars on three may.\na02|plain words here.\na03|quote this and that\na06|six.\n',
    );
    for (const l of lines) expect(l.split('|')).toHaveLength(3);
    expect(readdirSync(path.join(out, 'wavs')).sort()).toEqual(['a01.wav', 'a02.wav', 'a03.wav', 'a06.wav']);
    const train = readFileSync(path.join(out, 'train.txt'), 'utf8');
    const val = readFileSync(path.join(out, 'val.txt'), 'utf8');
    expect(train.split('\n').filter(Boolean)).toHaveLength(3);
    expect(val).toMatch(/^wavs\/a0\d\.wav\|[^|\n]+\n$/);
    // Same seed, same split; the split depends only on the ids.
    const s1 = splitTrainVal(['x', 'y', 'z', 'w', 'v'], 0.4, 1);
    expect(splitTrainVal(['v', 'w', 'z', 'y', 'x'], 0.4, 1)).toEqual(s1);
    expect(s1.val.size).toBe(2);
  });
});

describe('LJSpeech export into a folder with an earlier export', () => {
  it('removes the WAVs it wrote before for clips gone since, and nothing it did not write', async () => {
    const src = path.join(tmp, 'again');
    mkdirSync(src, { recursive: true });
    for (const [i, id] of ['b01', 'b02', 'b03', 'b04'].entries()) {
      writeFileSync(path.join(src, `${id}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.2, seed: 20 + i }).samples, 22050));
      writeFileSync(path.join(src, `${id}.txt`), `Clip number ${i + 1}.`);
    }
    const proj = path.join(tmp, 'again-proj');
    await importRecordings(proj, [src]);
    const out = path.join(tmp, 'again-out');
    expect(await exportLjspeech(proj, out)).toMatchObject({ exported: 4, removedStale: 0, warnings: [] });
    expect(JSON.parse(readFileSync(path.join(out, EXPORT_RECORD_FILE), 'utf8')).files.map((f: { path: string }) => f.path)).toContain('wavs/b02.wav');

    writeFileSync(path.join(out, 'wavs', 'mine.wav'), 'not from formant'); // the user's own files
    writeFileSync(path.join(out, 'notes.txt'), 'keep me');
    writeFileSync(path.join(out, 'wavs', 'b04.wav'), 'edited by the user after the export');
    await deleteClip(proj, 'b02');
    await deleteClip(proj, 'b04');
    await updateClip(proj, 'b03', { status: 'rejected' });
    const r = await exportLjspeech(proj, out);
    expect(r).toMatchObject({ exported: 1, removedStale: 2 }); // b02 (deleted) and b03 (rejected)
    expect(r.warnings.join('\n')).toMatch(/1 WAV\(s\) of the earlier export changed since and were kept.*wavs\/b04\.wav/);
    expect(r.warnings.join('\n')).toMatch(/wavs\/ holds 2 other WAV file\(s\)/); // mine.wav and the edited b04.wav
    expect(readdirSync(path.join(out, 'wavs')).sort()).toEqual(['b01.wav', 'b04.wav', 'mine.wav']);
    expect(existsSync(path.join(out, 'notes.txt'))).toBe(true);
    expect(readFileSync(path.join(out, 'metadata.csv'), 'utf8')).toBe('b01|Clip number 1.|Clip number one.\n');
    expect(existsSync(path.join(out, 'wavs', 'b03.wav'))).toBe(false);
    // The record now lists only this export's files, so the kept and foreign files are never touched later.
    await updateClip(proj, 'b03', { status: 'reviewed' });
    expect(await exportLjspeech(proj, out)).toMatchObject({ exported: 2, removedStale: 0 });
    expect(readdirSync(path.join(out, 'wavs')).sort()).toEqual(['b01.wav', 'b03.wav', 'b04.wav', 'mine.wav']);
  });
});

describe.skipIf(!existsSync(ljSmall))('real speech (../shared/data/lj-small)', () => {
  it('imports LJSpeech clips at -23 LUFS with ids and texts, exports them, and round-trips the export', async () => {
    // A small LJSpeech-layout folder (a temporary copy of 8 clips; never committed).
    const ids = ['LJ001-0001', 'LJ001-0002', 'LJ001-0003', 'LJ001-0004', 'LJ001-0005', 'LJ001-0006', 'LJ001-0007', 'LJ001-0008'];
    const lj = path.join(tmp, 'lj');
    mkdirSync(path.join(lj, 'wavs'), { recursive: true });
    const meta = parseMetadataCsv(readFileSync(path.join(ljSmall, 'metadata.csv'))).entries;
    writeFileSync(path.join(lj, 'metadata.csv'), ids.map((id) => `${id}|${meta.get(id)!.text}|${meta.get(id)!.normalized}\n`).join(''));
    for (const id of ids) copyFileSync(path.join(ljSmall, 'wavs', `${id}.wav`), path.join(lj, 'wavs', `${id}.wav`));

    const proj = path.join(tmp, 'lj-proj');
    const r = await importRecordings(proj, [lj]);
    expect(r).toMatchObject({ imported: 8, failed: 0, clips: 8 });
    const m = await loadManifest(proj);
    expect(m.clips.map((c) => c.id)).toEqual(ids);
    for (const c of m.clips) {
      expect(c.text).toBe(meta.get(c.id)!.text);
      const x = decodeWav(readFileSync(path.join(proj, c.wav))).channels[0];
      const body = x.subarray(11025, x.length - 11025);
      expect(Math.abs(integratedLoudness(body, 22050) - -23)).toBeLessThan(0.5);
      const original = decodeWav(readFileSync(path.join(ljSmall, 'wavs', `${c.id}.wav`))).channels[0].length / 22050;
      expect(c.durationSeconds).toBeLessThanOrEqual(original + 1 + 1e-6); // trimmed, then 2 × 0.5 s
      expect(c.durationSeconds).toBeGreaterThan(original + 1 - 0.8);
    }
    const qa = await runQa(proj);
    expect(qa.dataset.clipCount).toBe(8);
    expect(qa.dataset.warnings.join(' ')).toMatch(/at least 30 min/);
    for (const c of qa.clips) expect(c.qa.flags.filter((f) => f !== 'too-fast' && f !== 'too-slow')).toEqual([]);

    const out = path.join(tmp, 'lj-out');
    await exportLjspeech(proj, out, { valFraction: 0.125 });
    const lines = readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n');
    expect(lines[1]).toBe('LJ001-0002|in being comparatively modern.|in being comparatively modern.');
    expect(lines).toHaveLength(9);

    const back = path.join(tmp, 'lj-back');
    await importRecordings(back, [out]);
    const m2 = await loadManifest(back);
    expect(m2.clips.map((c) => [c.id, c.text])).toEqual(m.clips.map((c) => [c.id, c.text]));
  }, 120_000);
});
