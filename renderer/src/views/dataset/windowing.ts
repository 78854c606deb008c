/**
 * Row windowing for the clip table: only the rows in (or near) the viewport are in the DOM,
 * so 10 000 clips scroll like 30. Fixed row height keeps this O(1) per scroll event.
 *
 * Invariants: 0 <= start <= end <= count; rows [start, end) cover the viewport plus `overscan`
 * rows either side; `offsetTop` = start * rowHeight; `totalHeight` = count * rowHeight.
 */
export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  overscan?: number;
}

export interface WindowRange {
  start: number;
  end: number;
  offsetTop: number;
  totalHeight: number;
}

export function visibleRange({ scrollTop, viewportHeight, rowHeight, count, overscan = 8 }: WindowInput): WindowRange {
  if (!(rowHeight > 0)) throw new RangeError(`rowHeight must be > 0 (got ${rowHeight})`);
  const totalHeight = count * rowHeight;
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end: Math.max(start, end), offsetTop: start * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` into view (unchanged when it already is). */
export function scrollToRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}
