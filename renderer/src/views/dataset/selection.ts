/**
 * Multi-selection of table rows, as in a file manager:
 *   click → only that row; ctrl/cmd-click → toggle it; shift-click → the range from the anchor
 *   (ctrl/cmd+shift adds the range to the selection); select all → every row that passes the filters;
 *   ↑/↓ move the cursor (shift extends the range from the anchor).
 *
 * Invariants: `ids` only holds ids that exist (call `pruneSelection` after the clip list changes);
 * `anchor` is where ranges grow from (the last row clicked without shift), or null;
 * `cursor` is the focused row (Enter opens it), or null.
 * Ranges are taken in the table's current (filtered, sorted) order, which is what the user sees.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
  cursor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, cursor: null };

export interface ClickModifiers {
  shift?: boolean;
  /** ctrl on Linux/Windows, cmd on macOS. */
  toggle?: boolean;
}

function range(order: readonly string[], a: number, b: number, base: Iterable<string> = []): Set<string> {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const ids = new Set(base);
  for (let i = lo; i <= hi; i++) ids.add(order[i]);
  return ids;
}

export function clickRow(sel: Selection, order: readonly string[], id: string, mods: ClickModifiers = {}): Selection {
  if (mods.shift && sel.anchor != null) {
    const a = order.indexOf(sel.anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) return { ids: range(order, a, b, mods.toggle ? sel.ids : []), anchor: sel.anchor, cursor: id };
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, cursor: id };
  }
  return { ids: new Set([id]), anchor: id, cursor: id };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null, cursor: order[0] ?? null };
}

/** Drops ids that no longer exist (after a delete, merge or re-import). Returns `sel` itself when nothing changed. */
export function pruneSelection(sel: Selection, existing: ReadonlySet<string>): Selection {
  const ids = new Set([...sel.ids].filter((id) => existing.has(id)));
  const anchor = sel.anchor != null && existing.has(sel.anchor) ? sel.anchor : null;
  const cursor = sel.cursor != null && existing.has(sel.cursor) ? sel.cursor : null;
  if (ids.size === sel.ids.size && anchor === sel.anchor && cursor === sel.cursor) return sel;
  return { ids, anchor, cursor };
}

/** Keyboard navigation: moves the cursor `delta` rows (clamped); with shift, selects anchor..cursor. */
export function moveCursor(sel: Selection, order: readonly string[], delta: number, shift = false): Selection {
  if (!order.length) return sel;
  const at = sel.cursor == null ? -1 : order.indexOf(sel.cursor);
  const next = at < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.max(0, Math.min(order.length - 1, at + delta));
  const id = order[next];
  const a = sel.anchor == null ? -1 : order.indexOf(sel.anchor);
  if (shift && a >= 0) return { ids: range(order, a, next), anchor: sel.anchor, cursor: id };
  return { ids: new Set([id]), anchor: id, cursor: id };
}
