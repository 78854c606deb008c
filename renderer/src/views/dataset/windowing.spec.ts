import { describe, expect, it } from 'vitest';
import { scrollToRow, visibleRange } from './windowing';

describe('visibleRange', () => {
  it('renders only the viewport plus overscan out of 10 000 rows', () => {
    const r = visibleRange({ scrollTop: 28 * 5000, viewportHeight: 560, rowHeight: 28, count: 10_000, overscan: 5 });
    expect(r.start).toBe(4995);
    expect(r.end).toBe(5025);
    expect(r.offsetTop).toBe(4995 * 28);
    expect(r.totalHeight).toBe(280_000);
  });
  it('clamps at both ends and handles empty tables', () => {
    expect(visibleRange({ scrollTop: -50, viewportHeight: 100, rowHeight: 20, count: 3 })).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 60 });
    const end = visibleRange({ scrollTop: 1e9, viewportHeight: 100, rowHeight: 20, count: 100, overscan: 0 });
    expect([end.start, end.end]).toEqual([95, 100]);
    expect(visibleRange({ scrollTop: 0, viewportHeight: 100, rowHeight: 20, count: 0 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(() => visibleRange({ scrollTop: 0, viewportHeight: 1, rowHeight: 0, count: 1 })).toThrow(/rowHeight/);
  });
  it('scrollToRow scrolls just enough', () => {
    expect(scrollToRow(10, 0, 100, 20)).toBe(120);
    expect(scrollToRow(2, 100, 100, 20)).toBe(40);
    expect(scrollToRow(6, 100, 100, 20)).toBe(100);
  });
});
