import path from 'node:path';
import type { ClipBatchResult, ClipEdit } from '../../../shared/contract/dataset';
import type { ClipRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { WAVS_DIR, updateManifest } from '../projectStore';
import { fsyncDir } from '../atomicWrite';
import { applyTextStatus, checkRegion, rerender } from './clipEdits';
import { moveToTrash, pruneTrash, takeFromTrash } from './clipTrash';
import { renderKey } from './render';

/**
 * `clips.updateMany`: a batch of clip edits (transcript/status updates, deletes, restores of clips
 * deleted earlier) applied under the project's manifest lock with ONE manifest write, all or nothing.
 *
 * Order of effects, so that a crash leaves the old or the new state and never a manifest naming a
 * missing file: every edit is validated first (nothing is touched when one fails); restored WAVs are
 * put back (from the trash, or rendered again) and flushed; the manifest is saved; only then are
 * deleted clips' WAVs moved into the trash (see clipTrash.ts).
 *
 * The result carries `undo`: the edits that revert the batch (update → the old text/status, delete
 * → restore of the old record at its old position, restore → delete). The studio keeps it as one
 * undo step; sending it back returns the redo edits the same way.
 */
export interface BatchOptions {
  /** 'skip': leave out edits whose clip is gone (or, for a restore, exists again) instead of failing. */
  ifMissing?: 'error' | 'skip';
  signal?: AbortSignal;
}

type Restore = Extract<ClipEdit, { op: 'restore' }>;

/** Problems listed in an error message (all of them go into `details`). */
const SHOWN_PROBLEMS = 5;

export async function updateClips(projectDir: string, edits: readonly ClipEdit[], opts: BatchOptions = {}): Promise<ClipBatchResult> {
  const skip = opts.ifMissing === 'skip';
  const toTrash: ClipRecord[] = [];
  const result = await updateManifest(
    projectDir,
    async (m) => {
      const index = new Map(m.clips.map((c, i) => [c.id, i]));
      const sources = new Map(m.sources.map((s) => [s.id, s]));
      const problems: string[] = [];
      const skipped: string[] = [];
      const seen = new Set<string>();
      const todo: ClipEdit[] = [];
      for (const e of edits) {
        const id = e.op === 'restore' ? e.clip.id : e.id;
        if (seen.has(id)) {
          problems.push(`clip "${id}" appears more than once in the batch`);
          continue;
        }
        seen.add(id);
        if (e.op === 'restore') {
          if (index.has(id)) {
            if (skip) skipped.push(id);
            else problems.push(`cannot restore clip "${id}": a clip with that id exists`);
            continue;
          }
          const src = sources.get(e.clip.sourceId);
          if (!src) {
            problems.push(`cannot restore clip "${id}": its source "${e.clip.sourceId}" is not in the project`);
            continue;
          }
          try {
            checkRegion(e.clip.sourceStart, e.clip.sourceEnd, src.durationSeconds, id);
          } catch (err) {
            problems.push((err as Error).message);
            continue;
          }
        } else if (!index.has(id)) {
          if (skip) skipped.push(id);
          else problems.push(`no clip "${id}" in this project`);
          continue;
        }
        todo.push(e);
      }
      if (problems.length)
        throw new ServiceError(
          'bad-edits',
          `${problems.length} of ${edits.length} edit${edits.length === 1 ? '' : 's'} cannot be applied, so none was: ${problems.slice(0, SHOWN_PROBLEMS).join('; ')}${problems.length > SHOWN_PROBLEMS ? '; …' : ''}`,
          { problems },
        );

      const clips: ClipRecord[] = [];
      const deleted: string[] = [];
      const undoUpdates: ClipEdit[] = [];
      const undoRestores: Restore[] = [];
      const undoDeletes: ClipEdit[] = [];
      const restores: Restore[] = [];
      for (const e of todo) {
        if (e.op === 'update') {
          const clip = m.clips[index.get(e.id)!];
          const back: ClipEdit = { op: 'update', id: e.id, status: clip.status };
          if (e.text !== undefined) back.text = clip.text;
          applyTextStatus(clip, { text: e.text, status: e.status });
          undoUpdates.push(back);
          clips.push(clip);
        } else if (e.op === 'delete') {
          const at = index.get(e.id)!;
          const clip = m.clips[at];
          undoRestores.push({ op: 'restore', clip: structuredClone(clip), index: at });
          toTrash.push(clip);
          deleted.push(e.id);
        } else {
          restores.push(e);
          undoDeletes.push({ op: 'delete', id: e.clip.id });
        }
      }

      // Restores: the WAV goes back before the manifest names it.
      let rendered = 0;
      const restored: Array<{ clip: ClipRecord; index: number }> = [];
      for (const e of restores) {
        opts.signal?.throwIfAborted();
        const clip: ClipRecord = { ...structuredClone(e.clip), wav: `${WAVS_DIR}/${e.clip.id}.wav` }; // never a path the caller chose
        const src = sources.get(clip.sourceId)!;
        const key = renderKey(src.sha256, clip.sourceStart, clip.sourceEnd, m.settings);
        const reused = clip.renderKey === key && (await takeFromTrash(projectDir, key, path.join(projectDir, clip.wav)));
        if (!reused) {
          await rerender(projectDir, m, clip, opts.signal);
          rendered++;
        }
        clip.updatedAt = new Date().toISOString();
        restored.push({ clip, index: e.index ?? Number.MAX_SAFE_INTEGER });
        clips.push(clip);
      }
      if (restored.length > rendered) await fsyncDir(path.join(projectDir, WAVS_DIR)); // renames out of the trash

      if (deleted.length) {
        const gone = new Set(deleted);
        m.clips = m.clips.filter((c) => !gone.has(c.id));
      }
      // Ascending old positions: each insert lands where it was when the rest is unchanged.
      restored.sort((a, b) => a.index - b.index);
      for (const r of restored) m.clips.splice(Math.min(r.index, m.clips.length), 0, r.clip);

      undoRestores.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      return {
        clips: clips.map((c) => ({ ...c })),
        deleted,
        skipped,
        rendered,
        undo: [...undoUpdates, ...undoDeletes, ...undoRestores],
      };
    },
    {
      afterSave: async () => {
        await moveToTrash(projectDir, toTrash);
        if (toTrash.length) await pruneTrash(projectDir);
      },
    },
  );
  return result;
}

