import type { VoiceInfo } from '../../../../shared/contract/synthesis';

/**
 * Pace and pitch shift: the controls only a duration voice (voice.json `fastpitch`) has. The view shows
 * them for such a voice only, bounded by the voice's own range; a request carries them only for such a
 * voice (a Tacotron-2 voice refuses pace ≠ 1 and pitch ≠ 0), so switching voices never sends stale values.
 */
export interface DurationControlRange {
  minPace: number;
  maxPace: number;
  maxPitchShift: number;
}

/** The voice's control range, or null when it has none (Tacotron-2, unknown, broken voice). */
export function durationControlRange(voice: VoiceInfo | null | undefined): DurationControlRange | null {
  if (!voice || voice.error || voice.acousticModel !== 'fastpitch' || !voice.controls) return null;
  const { maxPace, maxPitchShift } = voice.controls;
  return { minPace: 1 / maxPace, maxPace, maxPitchShift };
}

/** A typed pace / pitch value held within the voice's range (NaN = leave as it was). */
export function clampPace(value: number, range: DurationControlRange, previous: number): number {
  if (!Number.isFinite(value) || value <= 0) return previous;
  return Math.min(range.maxPace, Math.max(range.minPace, value));
}

export function clampPitch(value: number, range: DurationControlRange, previous: number): number {
  if (!Number.isFinite(value)) return previous;
  return Math.min(range.maxPitchShift, Math.max(-range.maxPitchShift, value));
}

/** What a synthesis / audition request carries: pace and pitch for a duration voice, nothing otherwise. */
export function durationRequest(voice: VoiceInfo | null | undefined, pace: number, pitch: number): { pace?: number; pitch?: number } {
  const range = durationControlRange(voice);
  if (!range) return {};
  return { pace: clampPace(pace, range, 1), pitch: clampPitch(pitch, range, 0) };
}
