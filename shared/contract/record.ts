import { z } from 'zod';
import { ClipQa, ClipRecord } from './manifest';
import { method } from './rpc';

/**
 * Recording a dataset prompt by prompt (the Record view). Services: electron/services/record/handlers.ts.
 *
 * The browser records the microphone as PCM and encodes a WAV itself (no webm for the server to guess at);
 * `record.saveTake` receives those bytes (base64 in the call, the same in Electron and web mode), keeps them
 * untouched in sources/, renders the clip as an import does and checks it with the project's QA at once.
 * `record.prompts` picks the next prompts for phoneme and diphone coverage of what the project already has.
 */
const projectDir = z.string().min(1);

/** A take of a few minutes at 48 kHz is ~20 MB of WAV; longer than this is not a prompt. */
export const MAX_TAKE_BASE64_CHARS = 28_000_000;

export const TakeResult = z.object({
  clip: ClipRecord,
  qa: ClipQa,
  /** The QA flags in plain words, each with what to do (empty: a good take). */
  problems: z.array(z.string()),
  /**
   * The rough check that the take says its prompt (record/promptMatch.ts), kept apart from `problems`: it can be
   * wrong for an unusual voice, so it informs and does not hold the view on the prompt. Absent when espeak-ng could not run.
   */
  promptMatch: z.object({ distance: z.number(), durationRatio: z.number(), mismatch: z.boolean(), problem: z.string().nullable() }).optional(),
  /** The take as recorded: sample rate, seconds. */
  recordedSampleRate: z.number().int().positive(),
  recordedSeconds: z.number().nonnegative(),
  /** The clip this take replaced (a retake), removed from the dataset; its original stays in sources/. */
  replaced: z.string().nullable(),
  /** Time the service took, from the call to the saved manifest (ms). */
  elapsedMs: z.number().nonnegative(),
});
export type TakeResult = z.infer<typeof TakeResult>;

export const PromptSetId = z.enum(['builtin', 'project']);
export type PromptSetId = z.infer<typeof PromptSetId>;

export const Prompt = z.object({
  /** Line number in its prompt file (1-based): stable while the file is unchanged. */
  line: z.number().int().positive(),
  text: z.string(),
  /** Diphones (phoneme pairs) this prompt adds that the project and the prompts picked before it lack. */
  newDiphones: z.number().int().nonnegative(),
  newPhonemes: z.number().int().nonnegative(),
});
export type Prompt = z.infer<typeof Prompt>;

export const Coverage = z.object({
  /** Distinct phonemes / diphones in the project's transcripts… */
  phonemes: z.number().int().nonnegative(),
  diphones: z.number().int().nonnegative(),
  /** …out of those the project's transcripts and the whole prompt set contain together. */
  phonemesPossible: z.number().int().nonnegative(),
  diphonesPossible: z.number().int().nonnegative(),
});
export type Coverage = z.infer<typeof Coverage>;

export const PromptBatch = z.object({
  set: PromptSetId,
  /** Where the set came from, in words ("built-in: …", "your file prompts.txt"). */
  source: z.string(),
  /** Prompts in the set, and those of them the project already has a clip for. */
  total: z.number().int().nonnegative(),
  recorded: z.number().int().nonnegative(),
  /** The next prompts, best first. */
  prompts: z.array(Prompt),
  /** Prompts of this set whose recorded take QA flagged (an earlier session too): to read again, with the flags in words. */
  retakes: z.array(z.object({ line: z.number().int().positive(), text: z.string(), clip: ClipRecord, problems: z.array(z.string()) })).default([]),
  coverage: Coverage,
  /** Seconds of usable recorded speech in the project, and the seed's goal. */
  usableSeconds: z.number().nonnegative(),
  goalSeconds: z.number().positive(),
});
export type PromptBatch = z.infer<typeof PromptBatch>;

export const recordMethods = {
  'record.saveTake': method(
    z.object({
      projectDir,
      /** The prompt as read: the clip's transcript. */
      text: z.string().trim().min(1, 'the prompt is empty'),
      /** The take: a WAV file (PCM), base64. */
      wavBase64: z.string().min(1).max(MAX_TAKE_BASE64_CHARS, 'the take is too long for one prompt'),
      /** A retake: the clip of the earlier take of this prompt, removed from the dataset when this one is saved. */
      replaces: z.string().min(1).nullable().optional(),
    }),
    TakeResult,
    'Save one recorded take as a clip (original kept in sources/), check it with QA, return the flags in words.',
  ),
  'record.prompts': method(
    z.object({ projectDir, set: PromptSetId.default('builtin'), count: z.number().int().min(1).max(200).default(20) }),
    PromptBatch,
    'The next prompts to record, chosen greedily for phoneme and diphone coverage, with the coverage so far.',
  ),
  'record.loadPrompts': method(
    z.object({ projectDir, name: z.string().min(1).max(255), bytesBase64: z.string().max(14_000_000, 'the prompt file is too large (over 10 MB)') }),
    z.object({ prompts: z.number().int().positive(), warnings: z.array(z.string()) }),
    "Keep the person's own prompt file (UTF-8, one prompt per line) in the project as its prompt set.",
  ),
} as const;
