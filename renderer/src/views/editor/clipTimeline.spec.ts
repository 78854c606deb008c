import { describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../../../shared/contract/manifest';
import { contentSpan, extendRegion, regionFromDrag, splitPointAt, toClipTime, toSourceTime, trimInAt, trimOutAt } from './clipTimeline';

const clip = { id: 'c', sourceId: 's', sourceStart: 10, sourceEnd: 14 } as ClipRecord;
const pad = 0.5;

describe('clip timeline', () => {
  it('maps clip time to source time through the pad, clamping in the pads', () => {
    expect(toSourceTime(clip, pad, 0.5)).toBe(10);
    expect(toSourceTime(clip, pad, 2.5)).toBe(12);
    expect(toSourceTime(clip, pad, 0.1)).toBe(10);
    expect(toSourceTime(clip, pad, 4.9)).toBe(14);
    expect(toClipTime(clip, pad, 12)).toBe(2.5);
    expect(contentSpan(clip, pad)).toEqual({ start: 0.5, end: 4.5 });
  });
  it('trims in/out at the cursor, refusing empty or no-op trims', () => {
    expect(trimInAt(clip, pad, 1.5)).toEqual({ start: 11, end: 14 });
    expect(trimOutAt(clip, pad, 3.5)).toEqual({ start: 10, end: 13 });
    expect(trimInAt(clip, pad, 4.49)).toBeNull();
    expect(trimInAt(clip, pad, 0.2)).toBeNull(); // in the pad: already the start
  });
  it('extends into the recording and clamps to its bounds', () => {
    expect(extendRegion(clip, 'in', 20)).toEqual({ start: 9.75, end: 14 });
    expect(extendRegion(clip, 'out', 14.1)).toEqual({ start: 10, end: 14.1 });
    expect(extendRegion({ ...clip, sourceStart: 0 } as ClipRecord, 'in', 20)).toBeNull();
    expect(regionFromDrag(clip, pad, { start: 0.2, end: 4.5 }, 20)).toEqual({ start: 9.7, end: 14 });
    expect(regionFromDrag(clip, pad, { start: 0.5, end: 4.5 }, 20)).toBeNull();
  });
  it('splits only strictly inside the content', () => {
    expect(splitPointAt(clip, pad, 2)).toBe(11.5);
    expect(splitPointAt(clip, pad, 0.3)).toBeNull();
    expect(splitPointAt(clip, pad, 4.5)).toBeNull();
  });
});
