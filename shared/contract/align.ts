import { z } from 'zod';
import { method } from './rpc';

/**
 * Aligning a long recording with its transcript (`formant align`, the Align view).
 * Services: electron/services/align/handlers.ts (`alignHandlers`).
 *
 * Flow: `align.run` keeps a copy of the recording under `align/recordings/` (not sources/: nothing
 * enters the project's sources before the person accepts), aligns it as a job and stores the result
 * as an alignment run (`align/<runId>.json` in the project, atomic); the job's result is the run, and
 * it becomes the project's pending alignment. `align.pending` reads that back (the view restores it
 * after a reload), `align.saveEdits` keeps the person's edits in it, `align.discard` forgets it.
 * `align.accept` registers the recording as a source (copied byte for byte into sources/) and turns
 * (possibly edited) segments into clips: trimmed, loudness-normalized, padded, with their text and
 * confidence; it clears the pending alignment.
 */
const projectDir = z.string().min(1);

/** 'uncertain-start' / 'uncertain-end': another pause fits the words around that boundary almost as well (it could be off by a word). */
export const AlignFlag = z.enum(['not-in-audio', 'duration', 'mismatch', 'no-pause-start', 'no-pause-end', 'uncertain-start', 'uncertain-end']);
export type AlignFlag = z.infer<typeof AlignFlag>;

export const AlignSegment = z.object({
  /** The unit's text as written in the transcript (a sentence, or a phrase of a long one). */
  text: z.string(),
  /** Speech edges in the source recording (seconds). */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  /** Cut points in the pauses around the speech (seconds); the clip region before trimming. */
  cutStart: z.number().nonnegative(),
  cutEnd: z.number().nonnegative(),
  /** 0..1; below 0.5 the segment is listed first for review. */
  confidence: z.number().min(0).max(1),
  flags: z.array(AlignFlag),
  /** The flags in plain words: what may be wrong and what to listen for (runs stored before them have none). */
  reasons: z.array(z.string()).optional(),
  /** Offsets of the text in the transcript, and the sentence it belongs to. */
  charStart: z.number().int().nonnegative(),
  charEnd: z.number().int().nonnegative(),
  sentence: z.number().int().nonnegative(),
});
export type AlignSegment = z.infer<typeof AlignSegment>;

/**
 * Speech the transcript does not cover: before its first sentence or after its last one (a slate,
 * a false start, a sentence missing from the text, a sign-off). It is in no clip; the Align view
 * lists it first for review. Reported when it holds more than 0.5 s of speech.
 */
export const UnmatchedSpeech = z.object({
  /** From its first to its last speech edge (seconds in the source recording). */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  /** Seconds of speech inside (pauses excluded). */
  speechSeconds: z.number().nonnegative(),
  reason: z.enum(['before-transcript', 'after-transcript']),
});
export type UnmatchedSpeech = z.infer<typeof UnmatchedSpeech>;

export const AlignRun = z.object({
  runId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  createdAt: z.string(),
  /** The recording's source id; '' until the run is accepted (the recording is not a source before). */
  sourceId: z.string(),
  /** Relative path of the recording in the project, for playback: align/recordings/… until accepted, then sources/…. */
  sourcePath: z.string(),
  /** Where the recording was chosen from, and its sha256 (runs stored before these fields have none). */
  originalPath: z.string().optional(),
  sha256: z.string().optional(),
  durationSeconds: z.number().nonnegative(),
  transcript: z.string(),
  /** Speaking tempo against espeak-ng (real speech seconds per synthetic second). */
  tempo: z.number(),
  segments: z.array(AlignSegment),
  /** Unmatched speech regions, in time order (runs stored before this field existed read as none). */
  unmatchedSpeech: z.array(UnmatchedSpeech).default([]),
  /** The person's edits of `segments` not yet accepted (`align.saveEdits`); the view restores them. */
  edited: z.array(AlignSegment).optional(),
  /** Clip ids created by `align.accept` (empty until then). */
  acceptedClips: z.array(z.string()).default([]),
});
export type AlignRun = z.infer<typeof AlignRun>;

export const AcceptResult = z.object({
  clips: z.array(z.string()),
  /** Segments that were clips already (the same recording and text aligned before): kept as they are, not added again. */
  kept: z.array(z.string()).default([]),
  /** Clips whose alignment is too unsure to trust their text (confidence ≤ 0.05): marked untranscribed, for review. */
  forReview: z.array(z.string()).default([]),
  /** Segments left out (empty text, no audio), with why. */
  skipped: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  seconds: z.number(),
});
export type AcceptResult = z.infer<typeof AcceptResult>;

export const alignMethods = {
  'align.run': method(
    z.object({
      projectDir,
      /** The recording (any format ffmpeg reads). */
      audioPath: z.string().min(1),
      /** The transcript text, or a path to a UTF-8 text file. */
      transcript: z.string().optional(),
      transcriptPath: z.string().min(1).optional(),
      /** One unit per line (a script) instead of splitting the text into sentences. */
      byLine: z.boolean().optional(),
    }),
    z.object({ jobId: z.string() }),
    'Align a recording with its transcript as a job; the job result is an AlignRun.',
  ),
  'align.result': method(z.object({ projectDir, runId: z.string().min(1) }), AlignRun, 'Read back an alignment run.'),
  'align.list': method(
    z.object({ projectDir }),
    z.array(z.object({ runId: z.string(), createdAt: z.string(), sourceId: z.string(), segments: z.number().int(), accepted: z.number().int() })),
    'Alignment runs stored in the project, newest first.',
  ),
  'align.accept': method(
    z.object({ projectDir, runId: z.string().min(1), segments: z.array(AlignSegment).optional() }),
    AcceptResult,
    "Add segments (the run's, or edited ones) to the dataset as clips; the recording becomes a source now. Clears the pending alignment.",
  ),
  'align.pending': method(z.object({ projectDir }), AlignRun.nullable(), 'The pending alignment (neither accepted nor discarded), or null.'),
  'align.saveEdits': method(
    z.object({ projectDir, runId: z.string().min(1), segments: z.array(AlignSegment) }),
    z.object({ saved: z.boolean() }),
    "Keep the person's edits of a pending run (atomic), so they survive a reload.",
  ),
  'align.discard': method(z.object({ projectDir, runId: z.string().min(1) }), z.object({ discarded: z.boolean() }), 'Forget a pending run: its results and its waiting recording.'),
} as const;
