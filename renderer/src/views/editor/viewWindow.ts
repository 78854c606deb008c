/**
 * What the waveform shows right now (its zoom and scroll), passed to the mel view without
 * re-rendering the editor on every scroll event: the waveform `set`s, the mel view subscribes.
 */
export interface ViewWindow {
  /** Visible span, seconds. */
  start: number;
  end: number;
  /** CSS pixels per second of the waveform (its zoom). */
  pxPerSec: number;
}

export interface ViewChannel {
  get(): ViewWindow | null;
  set(v: ViewWindow): void;
  subscribe(cb: (v: ViewWindow) => void): () => void;
}

export function createViewChannel(): ViewChannel {
  let current: ViewWindow | null = null;
  const subs = new Set<(v: ViewWindow) => void>();
  return {
    get: () => current,
    set(v) {
      if (current && current.start === v.start && current.end === v.end && current.pxPerSec === v.pxPerSec) return;
      current = v;
      for (const s of subs) s(v);
    },
    subscribe(cb) {
      subs.add(cb);
      return () => subs.delete(cb);
    },
  };
}

/**
 * The window to ask the worker for, given the view: the visible span plus a quarter of it on each side
 * (small scrolls need no new request), snapped to a grid of quarter views so that nearby views ask
 * for the same window (the worker caches by window), at the view's pixel density.
 */
export function requestWindow(view: ViewWindow, duration: number, devicePxPerCssPx = 1): { start: number; end: number; columns: number } {
  const span = Math.max(1e-3, view.end - view.start);
  const grid = span / 4;
  const start = Math.max(0, Math.floor((view.start - span / 4) / grid) * grid);
  const end = Math.min(duration, Math.ceil((view.end + span / 4) / grid) * grid);
  const columns = Math.max(1, Math.round((end - start) * view.pxPerSec * devicePxPerCssPx));
  return { start, end, columns };
}

/** Whether an image of [start, end] at `pxPerSec` can stand in for the view (covers it, same zoom within 2 %). */
export function imageCovers(img: { start: number; end: number; pxPerSec: number }, view: ViewWindow, hop: number): boolean {
  return img.start <= view.start + hop && img.end >= view.end - hop && Math.abs(img.pxPerSec - view.pxPerSec) <= 0.02 * view.pxPerSec;
}
