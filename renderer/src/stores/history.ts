/**
 * Undo/redo history of edit commands (pure; the editor store drives it).
 *
 * Invariants:
 *  - `past` holds applied commands, oldest first; `future` holds undone ones, next-to-redo LAST;
 *  - recording a new command clears `future` (a new branch discards the undone edits);
 *  - at most `limit` commands are kept (the oldest fall off);
 *  - coalescing: a command may absorb the previous one (typing a transcript is one undo step per
 *    pause, not one per keystroke) when `coalesce(prev, next)` returns the merged command.
 */
export interface History<C> {
  past: C[];
  future: C[];
}

export function emptyHistory<C>(): History<C> {
  return { past: [], future: [] };
}

export function record<C>(h: History<C>, cmd: C, opts: { limit?: number; coalesce?: (prev: C, next: C) => C | null } = {}): History<C> {
  const limit = opts.limit ?? 200;
  const prev = h.past.at(-1);
  const merged = prev !== undefined && opts.coalesce ? opts.coalesce(prev, cmd) : null;
  const past = merged ? [...h.past.slice(0, -1), merged] : [...h.past, cmd];
  return { past: past.slice(Math.max(0, past.length - limit)), future: [] };
}

/** The command to undo and the history after undoing it, or null when there is nothing to undo. */
export function takeUndo<C>(h: History<C>): { cmd: C; next: History<C> } | null {
  const cmd = h.past.at(-1);
  if (cmd === undefined) return null;
  return { cmd, next: { past: h.past.slice(0, -1), future: [...h.future, cmd] } };
}

/** The command to redo and the history after redoing it, or null when there is nothing to redo. */
export function takeRedo<C>(h: History<C>): { cmd: C; next: History<C> } | null {
  const cmd = h.future.at(-1);
  if (cmd === undefined) return null;
  return { cmd, next: { past: [...h.past, cmd], future: h.future.slice(0, -1) } };
}

/** Rewrites every command (e.g. after the service gave a clip a new id). */
export function mapHistory<C>(h: History<C>, f: (c: C) => C): History<C> {
  return { past: h.past.map(f), future: h.future.map(f) };
}
