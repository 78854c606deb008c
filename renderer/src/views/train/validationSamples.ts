import type { RunSample, TrainerEvent } from '../../../../shared/contract/training';

/**
 * The Train view's validation samples: the run summary's list (newest first) kept up to date by the
 * training job's events — `validation` brings a new sample (its mel), `sample_audio` says its WAV is
 * written. Pure, so the merging is tested without a DOM.
 */

/** `plots/<file>` or `samples/<file>` of a run's file (what the run media route serves), else null. */
export function runRelative(file: string | null | undefined): string | null {
  if (!file) return null;
  const m = /(?:^|[\\/])(plots|samples)[\\/]([^\\/]+)$/.exec(file);
  return m ? `${m[1]}/${m[2]}` : null;
}

/** A new or updated sample from a trainer event; the list stays newest first with one entry per step. */
export function applySampleEvent(list: RunSample[], e: TrainerEvent): RunSample[] {
  if ((e.event !== 'validation' && e.event !== 'sample_audio') || !e.sample || typeof e.step !== 'number') return list;
  const s = e.sample;
  const prev = list.find((x) => x.step === e.step);
  const next: RunSample = {
    step: e.step,
    id: s.id,
    text: s.text || prev?.text || null,
    mel: s.mel,
    // a new validation at a step we had (a resumed run re-validating) makes the old WAV stale
    wav: s.wav ?? (e.event === 'sample_audio' ? (prev?.wav ?? null) : null),
    frames: s.frames,
    stopped: s.stopped,
    alignment: (e.event === 'validation' ? e.plots?.alignment : undefined) ?? prev?.alignment ?? null,
  };
  return [next, ...list.filter((x) => x.step !== e.step)].sort((a, b) => b.step - a.step);
}

/** Sets the WAV of the sample at `step` (after training.sampleAudio rendered it). */
export function withSampleWav(list: RunSample[], step: number, wav: string): RunSample[] {
  return list.map((x) => (x.step === step ? { ...x, wav } : x));
}
