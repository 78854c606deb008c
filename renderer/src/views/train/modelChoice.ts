import type { AcousticModel, TrainerModel } from '../../../../shared/contract/training';

/**
 * The Train view's "Model" choice. A new run picks an acoustic model: the duration model (FastPitch) by
 * default — no attention to learn, so it becomes intelligible on a CPU from about 30 minutes of speech —
 * or Tacotron-2, the seed's attention model, for a GPU and hours of speech. A run folder that already has
 * checkpoints can only be resumed, as the model it is: the choice then shows the run's own, read-only.
 */
export const MODEL_OPTIONS: readonly { value: AcousticModel; label: string }[] = [
  { value: 'fastpitch', label: 'Duration model (FastPitch) — recommended on a CPU, learns from 30 min' },
  { value: 'tacotron2', label: 'Tacotron-2 (the seed’s model, GPU)' },
];

export const DEFAULT_MODEL: AcousticModel = 'fastpitch';

/** What each model's plots call the validation alignment: attention (Tacotron-2) or the learned one (FastPitch). */
export const ALIGNMENT_NAME: Record<TrainerModel, string> = { tacotron2: 'attention alignment', fastpitch: 'learned alignment', waveglow: 'alignment' };

export interface ModelChoiceState {
  /** What the select shows: the choice for a new run, or the run's own model. */
  value: TrainerModel;
  /** True when the run folder holds checkpoints: the value is the run's model, resume continues it. */
  locked: boolean;
  /** One line under the select. */
  hint: string;
}

const HINTS: Record<TrainerModel, string> = {
  fastpitch: 'Predicts each sound’s duration, pitch and energy, then the mel in one pass: trains on a CPU (the default size ~1 s a step at batch 16 on 2 cores, tiny a fraction of that).',
  tacotron2: 'Learns attention, frame by frame: needs a GPU, hours of speech and many steps; on a CPU it stays hard to understand.',
  waveglow: 'A vocoder run (mel → audio).',
};

export function modelChoiceState(choice: AcousticModel, run: { model: TrainerModel | null | undefined; hasCheckpoints: boolean }): ModelChoiceState {
  if (run.hasCheckpoints && run.model) return { value: run.model, locked: true, hint: `This run’s own model: resuming continues it. ${HINTS[run.model]}` };
  return { value: choice, locked: false, hint: HINTS[choice] };
}

/** The choice as the Train view shows it, from its store: any checkpoint in the run folder locks it. */
export function modelChoiceOf(s: { model: AcousticModel; runModel: TrainerModel | null; checkpoints: readonly { model: string }[] }): ModelChoiceState {
  return modelChoiceState(s.model, { model: s.runModel, hasCheckpoints: s.checkpoints.length > 0 });
}
