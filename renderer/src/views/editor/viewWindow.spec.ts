import { describe, expect, it } from 'vitest';
import { createViewChannel, imageCovers, requestWindow } from './viewWindow';

describe('view window', () => {
  it('asks for the visible span with margins, snapped so that small scrolls ask for the same window', () => {
    const a = requestWindow({ start: 10, end: 14, pxPerSec: 200 }, 7200);
    expect(a).toEqual({ start: 9, end: 15, columns: 1200 });
    expect(requestWindow({ start: 10.3, end: 14.3, pxPerSec: 200 }, 7200)).toEqual({ start: 9, end: 16, columns: 1400 });
    expect(requestWindow({ start: 10.6, end: 14.6, pxPerSec: 200 }, 7200)).toEqual({ start: 9, end: 16, columns: 1400 });
    expect(requestWindow({ start: 10.3, end: 14.3, pxPerSec: 200 }, 7200, 2).columns).toBe(2800);
    // Clamped to the audio; the whole clip in view asks for the whole clip.
    expect(requestWindow({ start: 0, end: 5, pxPerSec: 160 }, 5)).toEqual({ start: 0, end: 5, columns: 800 });
  });

  it('reuses an image only while it covers the view at the same zoom', () => {
    const img = { start: 9, end: 15, pxPerSec: 200 };
    expect(imageCovers(img, { start: 10, end: 14, pxPerSec: 200 }, 0.01)).toBe(true);
    expect(imageCovers(img, { start: 13, end: 17, pxPerSec: 200 }, 0.01)).toBe(false);
    expect(imageCovers(img, { start: 10, end: 12, pxPerSec: 400 }, 0.01)).toBe(false);
  });

  it('tells subscribers about changes only', () => {
    const c = createViewChannel();
    const seen: number[] = [];
    const off = c.subscribe((v) => seen.push(v.start));
    c.set({ start: 1, end: 2, pxPerSec: 10 });
    c.set({ start: 1, end: 2, pxPerSec: 10 });
    c.set({ start: 3, end: 4, pxPerSec: 10 });
    off();
    c.set({ start: 5, end: 6, pxPerSec: 10 });
    expect(seen).toEqual([1, 3]);
    expect(c.get()?.start).toBe(5);
  });
});
