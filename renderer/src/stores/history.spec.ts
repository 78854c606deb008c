import { describe, expect, it } from 'vitest';
import { emptyHistory, mapHistory, record, takeRedo, takeUndo } from './history';

describe('history', () => {
  it('undoes and redoes in order; a new command clears the redo branch', () => {
    let h = record(record(emptyHistory<number>(), 1), 2);
    const u = takeUndo(h)!;
    expect(u.cmd).toBe(2);
    h = u.next;
    expect(h).toEqual({ past: [1], future: [2] });
    const r = takeRedo(h)!;
    expect(r.cmd).toBe(2);
    expect(r.next).toEqual({ past: [1, 2], future: [] });
    h = record(takeUndo(r.next)!.next, 3);
    expect(h).toEqual({ past: [1, 3], future: [] });
    expect(takeRedo(h)).toBeNull();
    expect(takeUndo(emptyHistory())).toBeNull();
  });

  it('keeps at most `limit` commands and coalesces when asked', () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < 10; i++) h = record(h, i, { limit: 3 });
    expect(h.past).toEqual([7, 8, 9]);
    const sumSmall = (a: number, b: number) => (a < 100 && b < 100 ? a + b : null);
    h = record(record(record(emptyHistory<number>(), 1, { coalesce: sumSmall }), 2, { coalesce: sumSmall }), 500, { coalesce: sumSmall });
    expect(h.past).toEqual([3, 500]);
    expect(mapHistory({ past: [1], future: [2] }, (x) => x * 10)).toEqual({ past: [10], future: [20] });
  });
});
