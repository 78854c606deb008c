import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, clickRow, moveCursor, pruneSelection, selectAll } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('selection', () => {
  it('click selects one, ctrl toggles, shift selects the range from the anchor', () => {
    let s = clickRow(EMPTY_SELECTION, order, 'b');
    expect(ids(s)).toEqual(['b']);
    s = clickRow(s, order, 'd', { shift: true });
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    s = clickRow(s, order, 'a', { shift: true }); // range re-grows from the same anchor
    expect(ids(s)).toEqual(['a', 'b']);
    s = clickRow(s, order, 'e', { toggle: true });
    expect(ids(s)).toEqual(['a', 'b', 'e']);
    s = clickRow(s, order, 'a', { toggle: true });
    expect(ids(s)).toEqual(['b', 'e']);
    expect(s.anchor).toBe('a');
    s = clickRow(s, order, 'c', { shift: true, toggle: true }); // ctrl+shift adds a range
    expect(ids(s)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('select all takes the filtered order; prune drops deleted ids', () => {
    const s = selectAll(['c', 'd']);
    expect(ids(s)).toEqual(['c', 'd']);
    const p = pruneSelection(s, new Set(['d', 'e']));
    expect(ids(p)).toEqual(['d']);
    expect(p.anchor).toBeNull();
    expect(pruneSelection(p, new Set(['d']))).toBe(p);
  });

  it('arrow keys move the cursor, clamp at the ends and extend with shift', () => {
    let s = moveCursor(EMPTY_SELECTION, order, 1);
    expect(s.cursor).toBe('a');
    s = moveCursor(s, order, 1);
    s = moveCursor(s, order, 1, true);
    s = moveCursor(s, order, 1, true);
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    expect(s.cursor).toBe('d');
    s = moveCursor(s, order, 10);
    expect(ids(s)).toEqual(['e']);
    expect(moveCursor(s, [], 1)).toBe(s);
  });
});
