import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInput } from '../../../../shared/contract/rpc';
import { api as contract } from '../../../../shared/contract/index';
import { updateClips } from '../../../../electron/services/prepare/clipBatch';
import { renderKey } from '../../../../electron/services/prepare/render';
import { createProject, loadManifest, updateManifest } from '../../../../electron/services/projectStore';
import { emptyHistory } from '../../stores/history';
import { deleteClips, describeUndoRedo, markStatus, patchManifest, recordStep, redoStep, undoStep, type BulkApi } from './bulkActions';
import { syntheticClips } from './syntheticClips';

/**
 * Bulk actions against the REAL batch service (prepare's clipBatch.ts), in process: each action is
 * one call, one undo step; undo/redo give back exactly the clips, and the renderer's patched
 * manifest copy equals what the service saved.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let calls = 0;
const api: BulkApi = {
  'clips.updateMany': (input) => {
    calls++;
    const { projectDir, edits, ifMissing } = parseInput('clips.updateMany', contract['clips.updateMany'], input);
    return updateClips(projectDir, edits, { ifMissing });
  },
};

async function project(n: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmp, 'p'));
  const { settings } = await createProject(dir);
  // Clips of one (absent) recording; their WAVs exist, so deletes go to the trash and undo takes them back.
  const clips = syntheticClips(n).map((c, i) => ({ ...c, sourceId: 'rec', sourceStart: i * 5, sourceEnd: i * 5 + 4, renderKey: renderKey('b'.repeat(64), i * 5, i * 5 + 4, settings) }));
  for (const c of clips) writeFileSync(path.join(dir, c.wav), 'RIFF');
  await updateManifest(dir, (m) => {
    m.sources.push({
      id: 'rec', originalPath: '/r.wav', storedPath: 'sources/r.wav', sha256: 'b'.repeat(64), bytes: 1,
      importedAt: clips[0].createdAt, durationSeconds: n * 5, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok',
    });
    m.clips = clips;
  });
  return dir;
}
const view = (m: { clips: Array<{ id: string; status: string; text: string | null }> }) => m.clips.map((c) => [c.id, c.status, c.text]);

describe('bulk actions (one batch, one undo step)', () => {
  it('mark, delete, undo, undo, redo: one call each, the renderer copy follows the service', async () => {
    const dir = await project(50);
    const m0 = await loadManifest(dir);
    const ids = m0.clips.map((c) => c.id);
    let copy = m0;
    let h = emptyHistory<Parameters<typeof recordStep>[1]>();

    calls = 0;
    const a = await markStatus(api, dir, ids.slice(0, 30), 'rejected', 'Rejected');
    expect(calls).toBe(1);
    expect(a.step.label).toBe('Rejected 30 clips');
    copy = patchManifest(copy, a.step.redo, a.result);
    h = recordStep(h, a.step);

    const d = await deleteClips(api, dir, [ids[3], ids[10], ids[40]]);
    copy = patchManifest(copy, d.step.redo, d.result);
    h = recordStep(h, d.step);
    const m2 = await loadManifest(dir);
    expect(view(copy)).toEqual(view(m2));
    expect(m2.clips).toHaveLength(47);

    calls = 0;
    const u1 = (await undoStep(api, dir, h))!;
    expect(calls).toBe(1);
    expect(describeUndoRedo(u1)).toBe('Undid: Deleted 3 clips');
    copy = patchManifest(copy, u1.edits, u1.result);
    h = u1.history;
    const u2 = (await undoStep(api, dir, h))!;
    copy = patchManifest(copy, u2.edits, u2.result);
    h = u2.history;
    expect(await undoStep(api, dir, h)).toBeNull();
    const back = await loadManifest(dir);
    expect(view(back)).toEqual(view(m0));
    expect(view(copy)).toEqual(view(m0));

    const r1 = (await redoStep(api, dir, h))!;
    copy = patchManifest(copy, r1.edits, r1.result);
    h = r1.history;
    expect(view(await loadManifest(dir))).toEqual(view(m0).map((c, i) => (i < 30 ? [c[0], 'rejected', c[2]] : c)));
    expect(view(copy)).toEqual(view(await loadManifest(dir)));
    expect(h.past.map((s) => s.label)).toEqual(['Rejected 30 clips']);
    expect(h.future.map((s) => s.label)).toEqual(['Deleted 3 clips']);
  });

  it('undo after an edit elsewhere skips that clip and says so; a failed batch leaves the history', async () => {
    const dir = await project(5);
    const ids = (await loadManifest(dir)).clips.map((c) => c.id);
    const a = await markStatus(api, dir, ids, 'reviewed', 'Marked reviewed');
    await updateClips(dir, [{ op: 'delete', id: ids[1] }]); // e.g. deleted in the editor meanwhile
    const u = (await undoStep(api, dir, recordStep(emptyHistory(), a.step)))!;
    expect(u.result.skipped).toEqual([ids[1]]);
    expect(describeUndoRedo(u)).toBe('Undid: Marked reviewed 5 clips (1 clip changed since, left as they are)');
    await expect(markStatus(api, dir, [ids[0], 'missing'], 'rejected', 'Rejected')).rejects.toThrow(/no clip "missing"/);
    expect((await loadManifest(dir)).clips[0].status).not.toBe('rejected');
  });
});
