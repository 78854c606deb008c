import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { ClipRecord, QaFlag } from '../../../../shared/contract/manifest';
import type { SortKey, ClipQuery } from './clipQuery';
import type { Selection } from './selection';
import type { ClipFit } from './textAudioFit';
import { scrollToRow, visibleRange } from './windowing';

/**
 * The clip table: a fixed-row-height window over the filtered clips (only ~40 rows in the DOM,
 * whatever the count), sortable headers, file-manager selection, keyboard navigation
 * (↑/↓, Shift, Ctrl/Cmd+A, Enter opens, Delete asks to delete).
 */
export const ROW_HEIGHT = 30;

export interface ClipTableProps {
  clips: readonly ClipRecord[];
  order: readonly string[];
  flagsOf: (c: ClipRecord) => QaFlag[];
  /** Text vs audio by the alignment report (textAudioFit.ts). */
  fitOf: (c: ClipRecord) => ClipFit;
  sort: ClipQuery['sort'];
  selection: Selection;
  onSort(key: SortKey): void;
  onClick(id: string, mods: { shift: boolean; toggle: boolean }): void;
  onOpen(id: string): void;
  onMove(delta: number, shift: boolean): void;
  onSelectAll(): void;
  onDelete(): void;
  /** Clips in the project (before filters): an empty project invites a drop, an empty filter result says so. */
  total: number;
  onClearFilters(): void;
  /** Take the keyboard focus when shown (back from the editor: focus returns to the clip's row). */
  autoFocus?: boolean;
}

const COLUMNS: Array<{ key: SortKey; label: string; className: string }> = [
  { key: 'id', label: 'Clip', className: 'col-id' },
  { key: 'duration', label: 'Length', className: 'col-dur' },
  { key: 'text', label: 'Transcript', className: 'col-text' },
  { key: 'flags', label: 'QA', className: 'col-flags' },
  { key: 'fit', label: 'Text ↔ audio', className: 'col-fit' },
  { key: 'status', label: 'Status', className: 'col-status' },
];

const FLAG_LABEL: Partial<Record<QaFlag, string>> = {
  clipping: 'clip',
  'low-snr': 'snr',
  'too-short': 'short',
  'too-long': 'long',
  'too-fast': 'fast',
  'too-slow': 'slow',
  untranscribed: 'no text',
  'empty-transcript': 'empty',
  'long-silence': 'silence',
  quiet: 'quiet',
};

const Row = memo(function Row({ clip, flags, fit, selected, cursor, top, onMouseDown, onDoubleClick }: {
  clip: ClipRecord;
  flags: QaFlag[];
  fit: ClipFit;
  selected: boolean;
  cursor: boolean;
  top: number;
  onMouseDown(e: MouseEvent, id: string): void;
  onDoubleClick(id: string): void;
}) {
  return (
    <div
      className={`clip-row${selected ? ' selected' : ''}${cursor ? ' cursor' : ''}${clip.status === 'rejected' ? ' rejected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="row"
      id={rowDomId(clip.id)}
      aria-selected={selected}
      data-clip-id={clip.id}
      onMouseDown={(e) => onMouseDown(e, clip.id)}
      onDoubleClick={() => onDoubleClick(clip.id)}
    >
      <span className="col-id" role="gridcell">{clip.id}</span>
      <span className="col-dur num" role="gridcell">{clip.durationSeconds.toFixed(2)} s</span>
      <span className={`col-text${clip.text ? '' : ' missing'}`} role="gridcell" title={clip.text ?? ''}>
        {clip.text ?? 'no transcript'}
      </span>
      <span className="col-flags" role="gridcell">
        {flags.map((f) => (
          <span key={f} className={`flag flag-${f}`} title={f}>
            {FLAG_LABEL[f] ?? f}
          </span>
        ))}
      </span>
      <span className="col-fit" role="gridcell">
        <span className={`fit fit-${fit.state}`} title={fit.title} data-fit={fit.state}>
          {fit.label}
        </span>
      </span>
      <span className="col-status" role="gridcell">
        <span className={`status status-${clip.status}`}>{clip.status}</span>
      </span>
    </div>
  );
});

const rowDomId = (id: string) => `clip-row-${id}`;

export function ClipTable(p: ClipTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (p.autoFocus) scroller.current?.focus({ preventScroll: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- focus on mount only, as autoFocus does
  }, []);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // One state update per animation frame, however many scroll events the wheel fires.
  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (scroller.current) setScrollTop(scroller.current.scrollTop);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // Keep the keyboard cursor in view.
  const cursorIndex = p.selection.cursor == null ? -1 : p.order.indexOf(p.selection.cursor);
  useEffect(() => {
    const el = scroller.current;
    if (!el || cursorIndex < 0) return;
    const next = scrollToRow(cursorIndex, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (next !== el.scrollTop) el.scrollTop = next;
  }, [cursorIndex]);

  const range = visibleRange({ scrollTop, viewportHeight: viewport, rowHeight: ROW_HEIGHT, count: p.clips.length, overscan: 10 });
  const { onClick, onOpen } = p;
  const onMouseDown = useCallback((e: MouseEvent, id: string) => {
    if (e.button !== 0) return;
    onClick(id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
    if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
  }, [onClick]);

  const onKeyDown = (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      p.onMove(e.key === 'ArrowDown' ? 1 : -1, e.shiftKey);
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      const rows = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
      p.onMove(e.key === 'PageDown' ? rows : -rows, e.shiftKey);
    } else if (e.key === 'Home' || e.key === 'End') {
      p.onMove(e.key === 'End' ? p.order.length : -p.order.length, e.shiftKey);
    } else if (mod && e.key.toLowerCase() === 'a') {
      p.onSelectAll();
    } else if (e.key === 'Enter' && p.selection.cursor) {
      onOpen(p.selection.cursor);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      if (p.selection.ids.size) p.onDelete();
    } else return;
    e.preventDefault();
  };

  const rows = [];
  for (let i = range.start; i < range.end; i++) {
    const c = p.clips[i];
    rows.push(
      <Row
        key={c.id}
        clip={c}
        flags={p.flagsOf(c)}
        fit={p.fitOf(c)}
        selected={p.selection.ids.has(c.id)}
        cursor={p.selection.cursor === c.id}
        top={i * ROW_HEIGHT}
        onMouseDown={onMouseDown}
        onDoubleClick={onOpen}
      />,
    );
  }

  return (
    <div className="clip-table" role="grid" aria-rowcount={p.clips.length} aria-multiselectable>
      <div className="clip-head" role="row">
        {COLUMNS.map((col) => (
          <button
            key={col.key}
            type="button"
            className={`${col.className}${p.sort.key === col.key ? ' sorted' : ''}`}
            role="columnheader"
            aria-sort={p.sort.key === col.key ? (p.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            onClick={() => p.onSort(col.key)}
          >
            {col.label}
            <span className="sort-mark">{p.sort.key === col.key ? (p.sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
          </button>
        ))}
      </div>
      <div
        className="clip-body"
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="clip-table-body"
        aria-label="Clips"
        aria-activedescendant={p.selection.cursor && cursorIndex >= 0 ? rowDomId(p.selection.cursor) : undefined}
      >
        <div className="clip-spacer" style={{ height: range.totalHeight }}>
          {rows}
        </div>
        {p.clips.length === 0 &&
          (p.total === 0 ? (
            <div className="clip-empty" data-testid="clip-empty">
              No clips yet. Drop recordings (WAV, FLAC, MP3…, with a .txt transcript beside each) anywhere on this window, or use Import… above.
            </div>
          ) : (
            <div className="clip-empty" data-testid="clip-empty">
              No clip matches these filters.{' '}
              <button type="button" className="link" onClick={p.onClearFilters}>
                Clear filters
              </button>
            </div>
          ))}
      </div>
    </div>
  );
}
