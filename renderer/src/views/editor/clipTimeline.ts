import type { ClipRecord } from '../../../../shared/contract/manifest';
import type { Region } from './editCommands';

/**
 * Mapping between the editor's timeline and the recording.
 *
 * The editor shows the clip's rendered WAV: `pad` seconds of silence, then the source region
 * [sourceStart, sourceEnd], then `pad` seconds of silence (the seed's 0.5 s rule). Clip time t in
 * the content maps to source time sourceStart + (t − pad); times in the pads clamp to the edges.
 *
 * Context beyond the clip (decided): the editor does not decode the whole recording in the
 * browser (sources can be hours long and in any codec). To reach audio outside the clip, the
 * trim is *extended* into the recording (Shift+I / Shift+O, or dragging the trim handle into a
 * pad, which extends by the dragged distance); the service re-renders and the waveform reloads
 * with the wider region. Every edit stays non-destructive, so this is always undoable.
 */
export const EXTEND_STEP_SECONDS = 0.25;
/** Shortest region the editor will ask for (the service re-renders anything longer). */
export const MIN_REGION_SECONDS = 0.05;

export function toSourceTime(clip: ClipRecord, pad: number, t: number): number {
  const s = clip.sourceStart + (t - pad);
  return Math.min(clip.sourceEnd, Math.max(clip.sourceStart, s));
}

export function toClipTime(clip: ClipRecord, pad: number, sourceTime: number): number {
  return pad + (sourceTime - clip.sourceStart);
}

/** The content span of the rendered clip, in clip time. */
export function contentSpan(clip: ClipRecord, pad: number): Region {
  return { start: pad, end: pad + (clip.sourceEnd - clip.sourceStart) };
}

/** New region for "trim in at the cursor"; null when it would leave less than MIN_REGION_SECONDS. */
export function trimInAt(clip: ClipRecord, pad: number, cursor: number): Region | null {
  const start = toSourceTime(clip, pad, cursor);
  return clip.sourceEnd - start >= MIN_REGION_SECONDS && start !== clip.sourceStart ? { start, end: clip.sourceEnd } : null;
}

export function trimOutAt(clip: ClipRecord, pad: number, cursor: number): Region | null {
  const end = toSourceTime(clip, pad, cursor);
  return end - clip.sourceStart >= MIN_REGION_SECONDS && end !== clip.sourceEnd ? { start: clip.sourceStart, end } : null;
}

/**
 * A region dragged on the waveform (clip time, may reach into the pads) → source region. Dragging
 * into a pad extends the clip into the recording by that distance (clamped to the recording).
 */
export function regionFromDrag(clip: ClipRecord, pad: number, drag: Region, sourceDuration: number | null): Region | null {
  const max = sourceDuration ?? Number.POSITIVE_INFINITY;
  const start = Math.max(0, clip.sourceStart + (drag.start - pad));
  const end = Math.min(max, clip.sourceStart + (drag.end - pad));
  if (end - start < MIN_REGION_SECONDS) return null;
  if (Math.abs(start - clip.sourceStart) < 1e-4 && Math.abs(end - clip.sourceEnd) < 1e-4) return null;
  return { start, end };
}

export function extendRegion(clip: ClipRecord, side: 'in' | 'out', sourceDuration: number | null, step = EXTEND_STEP_SECONDS): Region | null {
  if (side === 'in') {
    const start = Math.max(0, clip.sourceStart - step);
    return start < clip.sourceStart ? { start, end: clip.sourceEnd } : null;
  }
  const end = Math.min(sourceDuration ?? Number.POSITIVE_INFINITY, clip.sourceEnd + step);
  return end > clip.sourceEnd ? { start: clip.sourceStart, end } : null;
}

/** Source time of a split at the cursor, or null when the cursor is not inside the content. */
export function splitPointAt(clip: ClipRecord, pad: number, cursor: number): number | null {
  const at = clip.sourceStart + (cursor - pad);
  return at - clip.sourceStart >= MIN_REGION_SECONDS && clip.sourceEnd - at >= MIN_REGION_SECONDS ? at : null;
}
