import type { SentenceItem, VoiceInfo } from '../../../../shared/contract/synthesis';

/**
 * "What the model was given" for each synthesized sentence. A phoneme voice (voice.json
 * `text.phonemizer`) reads the espeak-ng IPA of the sentence, not its letters: showing that IPA under
 * the sentence tells a user whether a mispronunciation comes from the phonemizer (wrong IPA) or from
 * the voice (right IPA, wrong sound). A characters voice reads its own text, so nothing extra is shown.
 *
 * Both fields are optional on the wire: `VoiceInfo.phonemizer` (the espeak-ng voice, null for
 * characters) and `SentenceItem.cleaned` (the string the ids spell: the IPA for a phoneme voice).
 */
export type VoiceWithPhonemizer = VoiceInfo & { phonemizer?: string | null };

/** A sentence item's `cleaned` when the service sent one (typed loosely: older services do not). */
function cleanedOf(item: Partial<SentenceItem> | { cleaned?: string }): string | undefined {
  const c = (item as { cleaned?: unknown }).cleaned;
  return typeof c === 'string' ? c : undefined;
}

/** The espeak-ng voice a voice phonemizes with, or null (characters, or not said). */
export function voicePhonemizer(voice: VoiceInfo | null | undefined): string | null {
  const p = (voice as VoiceWithPhonemizer | null | undefined)?.phonemizer;
  return typeof p === 'string' && p ? p : null;
}

/** The line to show under a sentence: its IPA for a phoneme voice; null otherwise (or when the service did not send it). */
export function modelInputLine(item: Partial<SentenceItem> | { cleaned?: string }, phonemizer: string | null): string | null {
  if (!phonemizer) return null;
  const s = cleanedOf(item)?.trim();
  return s ? s : null;
}

/** The model inputs of a finished synthesis, sentence by sentence, for its history entry; null for characters voices. */
export function modelInputs(items: readonly (Partial<SentenceItem> | { cleaned?: string })[], phonemizer: string | null): string[] | null {
  if (!phonemizer) return null;
  const lines = items.map((it) => modelInputLine(it, phonemizer));
  return lines.every((l): l is string => l !== null) && lines.length ? lines : null;
}
