import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MANIFEST_FILE, type ClipRecord, type Manifest } from '../../../shared/contract/manifest';
import { encodeWav } from '../../../shared/dsp/wav';
import { createProject, loadManifest, updateManifest } from '../projectStore';
import { updateClips } from './clipBatch';
import { TRASH_DIR, pruneTrash } from './clipTrash';
import { importRecordings } from './importRecordings';
import { renderKey } from './render';
import { utterance } from './testSignals';

// Count manifest writes: every save goes through writeFileAtomic(<project>/formant.json).
const manifestWrites = vi.hoisted(() => ({ count: 0 }));
vi.mock('../atomicWrite', async (importOriginal) => {
  const real = await importOriginal<typeof import('../atomicWrite')>();
  return {
    ...real,
    writeFileAtomic: async (target: string, data: string | Uint8Array) => {
      if (path.basename(target) === 'formant.json') manifestWrites.count++;
      return real.writeFileAtomic(target, data);
    },
  };
});
beforeEach(() => {
  manifestWrites.count = 0;
});

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a user would compare: clips in order with their content (timestamps aside). */
const content = (m: Manifest) => m.clips.map(({ updatedAt: _u, ...c }) => c);

describe('clips.updateMany on a real project (generated audio)', () => {
  const proj = path.join(tmp, 'real');

  it('applies updates and deletes in one write, and its undo restores the clips, WAVs and order', async () => {
    const src = path.join(tmp, 'in');
    mkdirSync(src);
    for (let i = 1; i <= 4; i++) {
      writeFileSync(path.join(src, `c${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.5, seed: i }).samples, 22050));
      writeFileSync(path.join(src, `c${i}.txt`), `Clip  number ${i}.`);
    }
    await importRecordings(proj, [src]);
    const before = await loadManifest(proj);
    expect(before.clips.map((c) => c.id)).toEqual(['c1', 'c2', 'c3', 'c4']);
    const wavBytes = Object.fromEntries(before.clips.map((c) => [c.id, readFileSync(path.join(proj, c.wav))]));

    manifestWrites.count = 0;
    const r = await updateClips(proj, [
      { op: 'update', id: 'c1', status: 'rejected' },
      { op: 'update', id: 'c3', text: 'Fixed | text ' },
      { op: 'delete', id: 'c2' },
      { op: 'delete', id: 'c4' },
    ]);
    expect(manifestWrites.count).toBe(1);
    expect(r.deleted).toEqual(['c2', 'c4']);
    expect(r.clips.map((c) => [c.id, c.status, c.text])).toEqual([
      ['c1', 'rejected', 'Clip number 1.'],
      ['c3', 'transcribed', 'Fixed text'],
    ]);
    const after = await loadManifest(proj);
    expect(after.clips.map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(existsSync(path.join(proj, 'wavs', 'c2.wav'))).toBe(false);
    expect(readdirSync(path.join(proj, TRASH_DIR))).toHaveLength(2); // kept for the undo, out of wavs/

    manifestWrites.count = 0;
    const undone = await updateClips(proj, r.undo);
    expect(manifestWrites.count).toBe(1);
    expect(undone.rendered).toBe(0); // WAVs came back from the trash, not re-rendered
    const back = await loadManifest(proj);
    expect(content(back)).toEqual(content(before));
    for (const c of back.clips) expect(readFileSync(path.join(proj, c.wav)).equals(wavBytes[c.id])).toBe(true);
    expect(readdirSync(path.join(proj, TRASH_DIR))).toHaveLength(0);

    // Redo = the undo of the undo.
    await updateClips(proj, undone.undo);
    expect(content(await loadManifest(proj))).toEqual(content(after));
    await updateClips(proj, (await updateClips(proj, [{ op: 'update', id: 'c1', status: 'reviewed' }])).undo);
    expect((await loadManifest(proj)).clips[0].status).toBe('rejected');
  });

  it('is all or nothing: one bad edit changes nothing; ifMissing "skip" leaves out what is gone', async () => {
    const m0 = await loadManifest(proj);
    manifestWrites.count = 0;
    await expect(
      updateClips(proj, [
        { op: 'update', id: 'c1', status: 'reviewed' },
        { op: 'delete', id: 'nope' },
        { op: 'update', id: 'c1', text: 'twice' },
      ]),
    ).rejects.toMatchObject({ code: 'bad-edits', message: expect.stringMatching(/2 of 3 edits cannot be applied, so none was: no clip "nope".*appears more than once/) });
    expect(manifestWrites.count).toBe(0);
    expect(content(await loadManifest(proj))).toEqual(content(m0));

    const r = await updateClips(proj, [{ op: 'update', id: 'c1', status: 'reviewed' }, { op: 'delete', id: 'nope' }], { ifMissing: 'skip' });
    expect(r.skipped).toEqual(['nope']);
    expect(r.clips.map((c) => c.status)).toEqual(['reviewed']);
  });

  it('re-renders a restored clip whose WAV is not in the trash; never writes where the caller says', async () => {
    const m = await loadManifest(proj);
    const c3 = m.clips.find((c) => c.id === 'c3')!;
    const del = await updateClips(proj, [{ op: 'delete', id: 'c3' }]);
    rmSync(path.join(proj, TRASH_DIR), { recursive: true }); // e.g. pruned
    const restore = del.undo[0] as { op: 'restore'; clip: ClipRecord; index?: number };
    const r = await updateClips(proj, [{ ...restore, clip: { ...restore.clip, wav: '../../outside.wav' } }]);
    expect(r.rendered).toBe(1);
    expect(r.clips[0].wav).toBe('wavs/c3.wav');
    expect(readFileSync(path.join(proj, 'wavs', 'c3.wav')).equals(readFileSync(path.join(proj, c3.wav)))).toBe(true);
    expect(existsSync(path.join(tmp, 'outside.wav'))).toBe(false);
    await expect(updateClips(proj, [{ ...restore }])).rejects.toThrow(/a clip with that id exists/);
    await expect(updateClips(proj, [{ op: 'restore', clip: { ...restore.clip, id: 'c9', sourceEnd: 99 } }])).rejects.toThrow(/after the end of its source/);
  });

  it('prunes trash entries older than a day', async () => {
    mkdirSync(path.join(proj, TRASH_DIR), { recursive: true });
    writeFileSync(path.join(proj, TRASH_DIR, '0123456789abcdef.wav'), 'x');
    expect(await pruneTrash(proj, 24 * 3600 * 1000, Date.now() + 2 * 24 * 3600 * 1000)).toBe(1);
  });
});

describe('clips.updateMany at scale', () => {
  it('edits 5 000 clips of a 10 000-clip project with one manifest write', async () => {
    const proj = path.join(tmp, 'big');
    const settings = (await createProject(proj)).settings;
    const now = new Date().toISOString();
    const tinyWav = encodeWav(new Float32Array(16), 22050); // the WAVs only need to exist (deletes move them to the trash, undo back)
    await updateManifest(proj, (m) => {
      m.sources.push({
        id: 'long', originalPath: '/x/long.wav', storedPath: 'sources/long.wav', sha256: 'a'.repeat(64), bytes: 1,
        importedAt: now, durationSeconds: 60_000, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok',
      });
      for (let i = 0; i < 10_000; i++) {
        const id = `long_${String(i).padStart(5, '0')}`;
        m.clips.push({
          id, sourceId: 'long', sourceStart: i * 5, sourceEnd: i * 5 + 4, wav: `wavs/${id}.wav`, renderKey: renderKey('a'.repeat(64), i * 5, i * 5 + 4, settings),
          durationSeconds: 5, text: `Sentence ${i}.`, status: 'transcribed', origin: 'split', createdAt: now, updatedAt: now,
        });
        writeFileSync(path.join(proj, 'wavs', `${id}.wav`), tinyWav);
      }
    });
    const ids = (await loadManifest(proj)).clips.map((c) => c.id);
    const edits = ids.slice(0, 5000).map((id, i) =>
      i % 3 === 0 ? { op: 'delete' as const, id } : i % 3 === 1 ? { op: 'update' as const, id, status: 'rejected' as const } : { op: 'update' as const, id, text: `Fixed ${i}.` },
    );
    manifestWrites.count = 0;
    const r = await updateClips(proj, edits);
    expect(manifestWrites.count).toBe(1);
    expect(r.deleted).toHaveLength(1667);
    const m = await loadManifest(proj);
    expect(m.clips).toHaveLength(10_000 - 1667);
    expect(m.clips.filter((c) => c.status === 'rejected')).toHaveLength(1667);
    expect(existsSync(path.join(proj, 'wavs', 'long_00000.wav'))).toBe(false);
    manifestWrites.count = 0;
    const undone = await updateClips(proj, r.undo);
    expect(manifestWrites.count).toBe(1);
    expect(undone.rendered).toBe(0);
    expect(existsSync(path.join(proj, 'wavs', 'long_00000.wav'))).toBe(true);
    const back = await loadManifest(proj);
    expect(back.clips.map((c) => c.id)).toEqual(ids);
    expect(back.clips.every((c) => c.status === 'transcribed')).toBe(true);
    expect(JSON.parse(readFileSync(path.join(proj, MANIFEST_FILE), 'utf8')).clips[2].text).toBe('Sentence 2.');
  }, 60_000);
});
