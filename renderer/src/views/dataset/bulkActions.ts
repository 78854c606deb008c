import type { ClipBatchResult, ClipEdit } from '../../../../shared/contract/dataset';
import { MAX_BATCH_EDITS } from '../../../../shared/contract/dataset';
import type { Api } from '../../../../shared/contract/index';
import type { ClipRecord, ClipStatus, Manifest } from '../../../../shared/contract/manifest';
import type { Client } from '../../../../shared/contract/rpc';
import { record, takeRedo, takeUndo, type History } from '../../stores/history';

/**
 * Bulk actions on the selected clips: ONE `clips.updateMany` call per action (all or nothing, one
 * manifest write on the service side), recorded as ONE undo step. The service answers each batch
 * with the edits that revert it, so an undo is one more batch, and that batch's answer is the redo.
 * Re-running preprocessing is a job (clips.reprocess), not an edit, and is not in the history.
 *
 * Invariants of a BulkStep: `undo` reverts the step as last applied; `redo` re-applies it after an
 * undo (before the first undo it is the edits as first sent). Undo/redo use `ifMissing: 'skip'`,
 * so clips deleted or re-created in the editor since then do not block the rest.
 */
export type BulkApi = Pick<Client<Api>, 'clips.updateMany'>;

export interface BulkStep {
  /** What the user did ("Rejected 40 clips"), shown as "Undo: …". */
  label: string;
  undo: ClipEdit[];
  redo: ClipEdit[];
}

export interface BulkOutcome {
  result: ClipBatchResult;
  step: BulkStep;
}

const plural = (n: number) => `${n.toLocaleString()} clip${n === 1 ? '' : 's'}`;

/** Sends `edits` as one batch (several only beyond MAX_BATCH_EDITS: each atomic, one undo step for all). */
async function send(api: BulkApi, projectDir: string, edits: ClipEdit[], ifMissing: 'error' | 'skip'): Promise<ClipBatchResult> {
  const out: ClipBatchResult = { clips: [], deleted: [], skipped: [], rendered: 0, undo: [] };
  for (let i = 0; i < edits.length; i += MAX_BATCH_EDITS) {
    const r = await api['clips.updateMany']({ projectDir, edits: edits.slice(i, i + MAX_BATCH_EDITS), ifMissing });
    out.clips.push(...r.clips);
    out.deleted.push(...r.deleted);
    out.skipped.push(...r.skipped);
    out.rendered += r.rendered;
    out.undo.unshift(...r.undo); // later chunks are undone first
  }
  return out;
}

export async function markStatus(api: BulkApi, projectDir: string, ids: readonly string[], status: ClipStatus, verb: string): Promise<BulkOutcome> {
  const edits: ClipEdit[] = ids.map((id) => ({ op: 'update', id, status }));
  const result = await send(api, projectDir, edits, 'error');
  return { result, step: { label: `${verb} ${plural(result.clips.length)}`, undo: result.undo, redo: edits } };
}

export async function deleteClips(api: BulkApi, projectDir: string, ids: readonly string[]): Promise<BulkOutcome> {
  const edits: ClipEdit[] = ids.map((id) => ({ op: 'delete', id }));
  const result = await send(api, projectDir, edits, 'error');
  return { result, step: { label: `Deleted ${plural(result.deleted.length)}`, undo: result.undo, redo: edits } };
}

/** The project store's manifest after a batch: updated clips replaced, deleted removed, restored inserted where they were. */
export function patchManifest(m: Manifest, edits: readonly ClipEdit[], r: ClipBatchResult): Manifest {
  const changed = new Map<string, ClipRecord>(r.clips.map((c) => [c.id, c]));
  const gone = new Set(r.deleted);
  const clips = m.clips.filter((c) => !gone.has(c.id)).map((c) => changed.get(c.id) ?? c);
  const present = new Set(clips.map((c) => c.id));
  const inserts = edits
    .filter((e): e is Extract<ClipEdit, { op: 'restore' }> => e.op === 'restore' && changed.has(e.clip.id) && !present.has(e.clip.id))
    .map((e) => ({ clip: changed.get(e.clip.id)!, index: e.index ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.index - b.index);
  for (const x of inserts) clips.splice(Math.min(x.index, clips.length), 0, x.clip);
  return { ...m, clips };
}

export function recordStep(h: History<BulkStep>, step: BulkStep): History<BulkStep> {
  return record(h, step, { limit: 100 });
}

export interface UndoRedoOutcome {
  history: History<BulkStep>;
  edits: ClipEdit[];
  result: ClipBatchResult;
  label: string;
}

/** Undoes the newest step; null when there is none. The history only moves when the service applied it. */
export async function undoStep(api: BulkApi, projectDir: string, h: History<BulkStep>): Promise<UndoRedoOutcome | null> {
  const t = takeUndo(h);
  if (!t) return null;
  const result = await send(api, projectDir, t.cmd.undo, 'skip');
  const step = { ...t.cmd, redo: result.undo };
  return { history: { past: t.next.past, future: [...t.next.future.slice(0, -1), step] }, edits: t.cmd.undo, result, label: `Undid: ${t.cmd.label}` };
}

export async function redoStep(api: BulkApi, projectDir: string, h: History<BulkStep>): Promise<UndoRedoOutcome | null> {
  const t = takeRedo(h);
  if (!t) return null;
  const result = await send(api, projectDir, t.cmd.redo, 'skip');
  const step = { ...t.cmd, undo: result.undo };
  return { history: { past: [...t.next.past.slice(0, -1), step], future: t.next.future }, edits: t.cmd.redo, result, label: `Redid: ${t.cmd.label}` };
}

/** The notice after an undo/redo, with what could not be applied. */
export function describeUndoRedo(o: UndoRedoOutcome): string {
  return o.result.skipped.length ? `${o.label} (${plural(o.result.skipped.length)} changed since, left as they are)` : o.label;
}
