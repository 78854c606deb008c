import type { Api } from '../../../../shared/contract/index';
import type { ClipRecord, ClipStatus } from '../../../../shared/contract/manifest';
import type { Client } from '../../../../shared/contract/rpc';

/**
 * Clip edits as data: each command knows how to apply itself and its inverse through the API
 * (the services re-render WAVs from the untouched sources, so every edit is non-destructive).
 *
 *   update  (text/status)  ⇄ update back
 *   region  (trim in/out)  ⇄ region back
 *   split   (at a source time) ⇄ merge the halves, then restore the original text/status
 *   merge   (with the next clip) ⇄ split at the old junction, restore the second clip's start, texts and statuses
 *
 * Split/merge may give clips new ids. Every run reports `renames` (old id → id now holding that
 * content), and the caller rewrites the history with `renameInCommand` so later undo/redo steps
 * address the right clips.
 */
export type ClipEditApi = Pick<Client<Api>, 'clips.update' | 'clips.setRegion' | 'clips.split' | 'clips.merge'>;

export interface Region {
  start: number;
  end: number;
}
export interface ClipState {
  text: string | null;
  status: ClipStatus;
}
interface ClipSnapshot extends ClipState {
  id: string;
  region: Region;
}

export type EditCommand =
  | { kind: 'update'; id: string; before: ClipState; after: ClipState }
  | { kind: 'region'; id: string; before: Region; after: Region }
  | { kind: 'split'; id: string; at: number; original: ClipState; texts: [string | null, string | null]; secondId: string | null }
  | { kind: 'merge'; first: ClipSnapshot; second: ClipSnapshot; mergedId: string | null };

export interface EditResult {
  /** Clips created or changed, as the service returned them. */
  upserted: ClipRecord[];
  /** Ids that no longer exist. */
  removed: string[];
  renames: Array<[from: string, to: string]>;
  /** The clip the editor should show after this step. */
  focus: string;
}

const region = (c: ClipRecord): Region => ({ start: c.sourceStart, end: c.sourceEnd });
const snapshot = (c: ClipRecord): ClipSnapshot => ({ id: c.id, region: region(c), text: c.text, status: c.status });

// ---- constructors (from the clips as they are now) ----

export function updateCommand(clip: ClipRecord, after: Partial<ClipState>): EditCommand {
  const before = { text: clip.text, status: clip.status };
  return { kind: 'update', id: clip.id, before, after: { ...before, ...after } };
}

export function regionCommand(clip: ClipRecord, after: Region): EditCommand {
  if (!(after.start < after.end)) throw new RangeError(`A clip region must have start < end (got ${after.start}..${after.end})`);
  return { kind: 'region', id: clip.id, before: region(clip), after };
}

export function splitCommand(clip: ClipRecord, at: number, texts?: [string | null, string | null]): EditCommand {
  if (!(at > clip.sourceStart && at < clip.sourceEnd))
    throw new RangeError(`Split point ${at.toFixed(3)} s is not inside the clip (${clip.sourceStart.toFixed(3)}–${clip.sourceEnd.toFixed(3)} s)`);
  return { kind: 'split', id: clip.id, at, original: { text: clip.text, status: clip.status }, texts: texts ?? [clip.text, null], secondId: null };
}

export function mergeCommand(first: ClipRecord, second: ClipRecord): EditCommand {
  if (first.sourceId !== second.sourceId) throw new RangeError(`Clips "${first.id}" and "${second.id}" come from different recordings and cannot be merged`);
  if (!(second.sourceStart >= first.sourceEnd - 1e-6)) throw new RangeError(`Clip "${second.id}" does not follow "${first.id}" in the recording`);
  return { kind: 'merge', first: snapshot(first), second: snapshot(second), mergedId: null };
}

/** The clip that follows `clip` in its recording (what "merge with next" merges with), or null. */
export function nextInSource(clips: readonly ClipRecord[], clip: ClipRecord): ClipRecord | null {
  let best: ClipRecord | null = null;
  for (const c of clips) {
    if (c.sourceId !== clip.sourceId || c.id === clip.id || c.sourceStart < clip.sourceEnd - 1e-6) continue;
    if (!best || c.sourceStart < best.sourceStart) best = c;
  }
  return best;
}

// ---- apply / inverse ----

async function setState(api: ClipEditApi, projectDir: string, id: string, s: ClipState): Promise<ClipRecord> {
  return api['clips.update']({ projectDir, id, text: s.text, status: s.status });
}

/** Applies `cmd` (forward). Returns what changed and the command as it must be stored (ids learned). */
export async function applyCommand(api: ClipEditApi, projectDir: string, cmd: EditCommand): Promise<{ result: EditResult; cmd: EditCommand }> {
  switch (cmd.kind) {
    case 'update': {
      const c = await setState(api, projectDir, cmd.id, cmd.after);
      return { cmd, result: { upserted: [c], removed: [], renames: [], focus: c.id } };
    }
    case 'region': {
      const c = await api['clips.setRegion']({ projectDir, id: cmd.id, sourceStart: cmd.after.start, sourceEnd: cmd.after.end });
      return { cmd, result: { upserted: [c], removed: [], renames: [], focus: c.id } };
    }
    case 'split': {
      const { clips } = await api['clips.split']({ projectDir, id: cmd.id, at: cmd.at, texts: cmd.texts });
      const [a, b] = clips;
      const renames: Array<[string, string]> = [];
      if (a.id !== cmd.id) renames.push([cmd.id, a.id]);
      if (cmd.secondId && b.id !== cmd.secondId) renames.push([cmd.secondId, b.id]);
      const removed = a.id !== cmd.id ? [cmd.id] : [];
      return { cmd: { ...cmd, id: a.id, secondId: b.id }, result: { upserted: [a, b], removed, renames, focus: a.id } };
    }
    case 'merge': {
      const m = await api['clips.merge']({ projectDir, id: cmd.first.id });
      const removed = [cmd.first.id, cmd.second.id].filter((id) => id !== m.id);
      const renames: Array<[string, string]> = cmd.mergedId && cmd.mergedId !== m.id ? [[cmd.mergedId, m.id]] : [];
      return { cmd: { ...cmd, mergedId: m.id }, result: { upserted: [m], removed, renames, focus: m.id } };
    }
  }
}

/** Applies the inverse of an applied `cmd`. */
export async function revertCommand(api: ClipEditApi, projectDir: string, cmd: EditCommand): Promise<{ result: EditResult; cmd: EditCommand }> {
  switch (cmd.kind) {
    case 'update': {
      const c = await setState(api, projectDir, cmd.id, cmd.before);
      return { cmd, result: { upserted: [c], removed: [], renames: [], focus: c.id } };
    }
    case 'region': {
      const c = await api['clips.setRegion']({ projectDir, id: cmd.id, sourceStart: cmd.before.start, sourceEnd: cmd.before.end });
      return { cmd, result: { upserted: [c], removed: [], renames: [], focus: c.id } };
    }
    case 'split': {
      if (!cmd.secondId) throw new Error('Cannot undo a split that was never applied');
      const merged = await api['clips.merge']({ projectDir, id: cmd.id });
      const restored = await setState(api, projectDir, merged.id, cmd.original);
      const removed = [cmd.id, cmd.secondId].filter((id) => id !== restored.id);
      const renames: Array<[string, string]> = restored.id !== cmd.id ? [[cmd.id, restored.id]] : [];
      return { cmd, result: { upserted: [restored], removed, renames, focus: restored.id } };
    }
    case 'merge': {
      if (!cmd.mergedId) throw new Error('Cannot undo a merge that was never applied');
      const { first, second } = cmd;
      const { clips } = await api['clips.split']({ projectDir, id: cmd.mergedId, at: first.region.end, texts: [first.text, second.text] });
      let [a, b] = clips;
      // The merged region covered the gap between the clips; give it back to the recording.
      if (Math.abs(b.sourceStart - second.region.start) > 1e-6) {
        b = await api['clips.setRegion']({ projectDir, id: b.id, sourceStart: second.region.start, sourceEnd: second.region.end });
      }
      if (a.status !== first.status || a.text !== first.text) a = await setState(api, projectDir, a.id, first);
      if (b.status !== second.status || b.text !== second.text) b = await setState(api, projectDir, b.id, second);
      const renames: Array<[string, string]> = [];
      if (a.id !== first.id) renames.push([first.id, a.id]);
      if (b.id !== second.id) renames.push([second.id, b.id]);
      const removed = cmd.mergedId !== a.id && cmd.mergedId !== b.id ? [cmd.mergedId] : [];
      return { cmd, result: { upserted: [a, b], removed, renames, focus: a.id } };
    }
  }
}

/** Rewrites the ids a command addresses (after the service renamed a clip). */
export function renameInCommand(cmd: EditCommand, from: string, to: string): EditCommand {
  const r = (id: string) => (id === from ? to : id);
  switch (cmd.kind) {
    case 'update':
    case 'region':
      return cmd.id === from ? { ...cmd, id: to } : cmd;
    case 'split':
      return { ...cmd, id: r(cmd.id), secondId: cmd.secondId == null ? null : r(cmd.secondId) };
    case 'merge':
      return { ...cmd, first: { ...cmd.first, id: r(cmd.first.id) }, second: { ...cmd.second, id: r(cmd.second.id) }, mergedId: cmd.mergedId == null ? null : r(cmd.mergedId) };
  }
}

/** Typing bursts on one clip's transcript are one undo step. */
export function coalesceEdits(prev: EditCommand, next: EditCommand): EditCommand | null {
  if (prev.kind !== 'update' || next.kind !== 'update' || prev.id !== next.id) return null;
  const continues = prev.after.text === next.before.text && prev.after.status === next.before.status;
  const textOnly = prev.before.text !== prev.after.text && next.before.text !== next.after.text && next.before.status === next.after.status;
  return continues && textOnly ? { ...prev, after: next.after } : null;
  return null;
}

export function describeCommand(cmd: EditCommand): string {
  switch (cmd.kind) {
    case 'update':
      return cmd.before.text !== cmd.after.text ? `edit transcript of ${cmd.id}` : `mark ${cmd.id} ${cmd.after.status}`;
    case 'region':
      return `trim ${cmd.id}`;
    case 'split':
      return `split ${cmd.id}`;
    case 'merge':
      return `merge ${cmd.first.id} + ${cmd.second.id}`;
  }
}
