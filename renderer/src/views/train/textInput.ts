import type { TextFrontend } from '../../../../shared/contract/training';

/**
 * The Train view's "Text input" choice: how the trainer reads transcripts (hparams `text_frontend`).
 * A new run takes the user's choice (Phonemes by default: what the demo voice uses, and what learns to
 * align on small datasets); a run folder that already has acoustic-model checkpoints (FastPitch or Tacotron-2) can only be resumed,
 * and a resumed run keeps its own text input, so the choice then shows the run's, read-only.
 */
export const TEXT_INPUT_OPTIONS: readonly { value: TextFrontend; label: string }[] = [
  { value: 'phonemes', label: 'Phonemes (espeak-ng, en-us)' },
  { value: 'characters', label: 'Characters' },
];

export const DEFAULT_TEXT_INPUT: TextFrontend = 'phonemes';

export interface TextInputState {
  /** What the select shows; null: the run's text input is not known (its run.json is missing). */
  value: TextFrontend | null;
  /** True when the run folder holds a run (resume only): the value is the run's, not a choice. */
  locked: boolean;
  /** One line under the select. */
  hint: string;
}

export function textInputState(choice: TextFrontend, run: { frontend: TextFrontend | null | undefined; hasCheckpoints: boolean }): TextInputState {
  if (run.hasCheckpoints) {
    const value = run.frontend ?? null;
    return { value, locked: true, hint: value ? "This run's own text input: resuming keeps it." : "This run's text input is not recorded (no run.json); resuming keeps whatever it was." };
  }
  return {
    value: choice,
    locked: false,
    hint:
      choice === 'phonemes'
        ? 'Transcripts go through espeak-ng first (phonemes.csv is written next to metadata.csv); learns faster on small datasets.'
        : 'The model reads the cleaned letters of each transcript.',
  };
}

/** The `textFrontend` a Start (new run) sends; a locked (existing) run sends none — the trainer keeps its own. */
export function startTextFrontend(state: TextInputState): TextFrontend | undefined {
  return state.locked || state.value === null ? undefined : state.value;
}

/** The choice as the Train view shows it, from its store: the run folder's acoustic-model checkpoints lock it (WaveGlow reads no text). */
export function textInputOf(s: { textFrontend: TextFrontend; runTextFrontend: TextFrontend | null; checkpoints: readonly { model: string }[] }): TextInputState {
  return textInputState(s.textFrontend, { frontend: s.runTextFrontend, hasCheckpoints: s.checkpoints.some((c) => c.model !== 'waveglow') });
}
