import { MEL_PRESETS } from '../../../../shared/dsp/melPresets';
import { splitSentences } from '../../../../shared/text/sentences';

/**
 * Audition A/B in words a person reads: what is wrong with the text before anything is computed (the service
 * takes one sentence and answered 400 only after loading the voice), and why B is not WaveGlow.
 */
export const AUDITION_MAX_CHARS = 600;

/** Why this text cannot be auditioned, or null. */
export function auditionProblem(text: string): string | null {
  if (!text.trim()) return 'Type a sentence to audition.';
  if (text.length > AUDITION_MAX_CHARS) return `Audition compares one sentence (at most ${AUDITION_MAX_CHARS} characters); use Synthesize for longer text.`;
  const sentences = splitSentences(text).filter((s) => /[A-Za-z0-9]/.test(s.text));
  if (sentences.length > 1) return `Audition compares one sentence; this text has ${sentences.length}. Keep one, or use Synthesize for the whole text.`;
  return null;
}

/** Griffin-Lim iterations of A (Synthesize's): the mel presets' own (60 in both). */
export const FULL_ITERATIONS = MEL_PRESETS.nvidia.griffinLim.iterations;
/** Griffin-Lim iterations of the B side when the voice has no WaveGlow: a fast draft against the full run. */
export const DRAFT_ITERATIONS = 8;

/** The service's reason for no WaveGlow, without command-line advice. */
export function waveglowUserNote(note: string | null): string | null {
  if (!note) return null;
  if (/has no WaveGlow/i.test(note)) return `This voice has no WaveGlow vocoder, so B is Griffin-Lim with ${DRAFT_ITERATIONS} iterations instead of ${FULL_ITERATIONS}: hear what the iterations buy.`;
  return note.replace(/;?\s*use --[\w-]+.*$/, '').replace(/`[^`]*`/g, (m) => m.slice(1, -1));
}
