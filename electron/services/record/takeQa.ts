import type { ClipQa, ProjectSettings, QaFlag } from '../../../shared/contract/manifest';
import { QA_THRESHOLDS, flagSpeakingRate } from '../prepare/qa';

/**
 * The project's QA (prepare/qa.ts) applied to one take while the person is still at the microphone:
 * the take's own measures, its speaking rate against this person's other clips, and each flag in plain
 * words with what to do about it.
 */

/** `take` with too-fast / too-slow added when its rate is an outlier among `others` (the robust test `formant qa` uses). */
export function withSpeakingRate(take: ClipQa, others: (ClipQa | undefined)[]): ClipQa {
  const copies = others.filter((q): q is ClipQa => q != null).map((q) => ({ ...q, flags: q.flags.filter((f) => f !== 'too-fast' && f !== 'too-slow') }));
  const mine: ClipQa = { ...take, flags: take.flags.filter((f) => f !== 'too-fast' && f !== 'too-slow') };
  flagSpeakingRate([...copies, mine]);
  return mine;
}

/** One sentence per flag, in the order a person would fix them. */
export function takeProblems(qa: ClipQa, s: ProjectSettings): string[] {
  const say: Partial<Record<QaFlag, string>> = {
    clipping: `Too loud: the peaks clipped (distortion). Move back from the microphone or turn its gain down, then record again.`,
    'low-snr': `Noisy: the speech is only ${qa.snrDb ?? '?'} dB above the background (${QA_THRESHOLDS.minSnrDb} dB or more is clean). Reduce the noise (fans, traffic, hum) or move closer.`,
    quiet: `Too quiet: the take was recorded so low that normalizing it brings up the noise. Move closer or turn the gain up.`,
    'long-silence': `Long silence at the ${qa.leadingSilenceSeconds > qa.trailingSilenceSeconds ? 'start' : 'end'} that could not be trimmed away (noise or a sound there?). Start speaking sooner after Space, and stop sooner.`,
    'too-short': `Too short: under ${s.minClipSeconds} s of speech. Read the whole prompt.`,
    'too-long': `Too long: over ${s.maxClipSeconds} s. Long clips train badly; read only the prompt.`,
    'too-fast': `Faster than you usually speak (${qa.charsPerSecond ?? '?'} characters/s). Read it again at your normal pace.`,
    'too-slow': `Slower than you usually speak (${qa.charsPerSecond ?? '?'} characters/s), or a long pause inside. Read it again at your normal pace.`,
  };
  return qa.flags.map((f) => say[f]).filter((x): x is string => !!x);
}
