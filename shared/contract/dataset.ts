import { z } from 'zod';
import { method } from './rpc';
import { ClipQa, ClipRecord, ClipStatus, ProjectSettings, QaFlag } from './manifest';

/**
 * Dataset preparation API: import recordings, QA, LJSpeech export, clip edits.
 * Services: electron/services/prepare/handlers.ts (`datasetHandlers`). The CLI (`formant import|qa|export`)
 * calls the same service modules directly.
 *
 * Every clip edit is non-destructive: it changes the clip's region/text/status in the manifest and
 * re-renders `wavs/<id>.wav` from the untouched original under `sources/`.
 */

const projectDir = z.string().min(1);
const clipId = z.string().min(1);
const JobStarted = z.object({ jobId: z.string() });

/** One line of an import's outcome (also sent as each job event's `item`). */
export const ImportFileResult = z.object({
  file: z.string(),
  sourceId: z.string().nullable(),
  state: z.enum(['imported', 'skipped', 'failed']),
  clips: z.array(z.string()),
  /** Seconds of rendered audio (clips, padding included). */
  seconds: z.number(),
  warnings: z.array(z.string()),
  error: z.string().optional(),
});
export type ImportFileResult = z.infer<typeof ImportFileResult>;

export const ImportResult = z.object({
  files: z.array(ImportFileResult),
  imported: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  clips: z.number().int(),
  audioSeconds: z.number(),
  /** Batch-level notes (metadata.csv fix-ups). */
  warnings: z.array(z.string()).default([]),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const HistogramBin = z.object({ from: z.number(), to: z.number(), count: z.number().int() });

export const DatasetQa = z.object({
  clipCount: z.number().int(),
  totalSeconds: z.number(),
  /** Seconds of clips that would be exported (transcribed, not rejected). */
  usableSeconds: z.number(),
  /** The seed's guidance: at least 30 minutes of speech. */
  guidanceSeconds: z.number(),
  /** Clip durations, 1-second bins from 0 to the longest clip. */
  histogram: z.array(HistogramBin),
  problems: z.record(QaFlag, z.number().int()),
  /** Chars/second median and MAD used for the speaking-rate outlier test. */
  charsPerSecond: z.object({ median: z.number().nullable(), mad: z.number().nullable() }),
  warnings: z.array(z.string()),
});
export type DatasetQa = z.infer<typeof DatasetQa>;

export const QaReport = z.object({
  clips: z.array(z.object({ id: z.string(), qa: ClipQa, text: z.string().nullable(), status: ClipStatus })),
  dataset: DatasetQa,
});
export type QaReport = z.infer<typeof QaReport>;

export const ExportResult = z.object({
  outDir: z.string(),
  exported: z.number().int(),
  train: z.number().int(),
  val: z.number().int(),
  /** Clips left out, by reason (rejected, untranscribed, empty-transcript). */
  excluded: z.record(z.string(), z.number().int()),
  seconds: z.number(),
  /** WAVs an earlier export into the same folder wrote and this one did not (deleted/excluded clips since), removed. */
  removedStale: z.number().int().default(0),
  warnings: z.array(z.string()).default([]),
});
export type ExportResult = z.infer<typeof ExportResult>;

/**
 * One edit of a batch (`clips.updateMany`): a transcript/status change, a delete, or the restore of
 * a clip deleted earlier (what undoing a delete sends back: the record as it was, and its old position).
 */
export const ClipEdit = z.discriminatedUnion('op', [
  z.object({ op: z.literal('update'), id: clipId, text: z.string().nullable().optional(), status: ClipStatus.optional() }),
  z.object({ op: z.literal('delete'), id: clipId }),
  z.object({ op: z.literal('restore'), clip: ClipRecord, index: z.number().int().nonnegative().optional() }),
]);
export type ClipEdit = z.infer<typeof ClipEdit>;

/** At most this many edits per call (a restore carries a whole clip record; the web transport takes 32 MB). */
export const MAX_BATCH_EDITS = 50_000;

export const ClipBatchResult = z.object({
  /** Updated and restored clips as they are now, in edit order. */
  clips: z.array(ClipRecord),
  deleted: z.array(z.string()),
  /** Edits left out with `ifMissing: 'skip'` (clip gone, or a restore whose id exists again), by clip id. */
  skipped: z.array(z.string()),
  /** Restored clips whose WAV had to be rendered again (not found in the project's trash). */
  rendered: z.number().int(),
  /** The edits that revert this batch (send them back as one call to undo it). */
  undo: z.array(ClipEdit),
});
export type ClipBatchResult = z.infer<typeof ClipBatchResult>;

export const datasetMethods = {
  'dataset.import': method(
    z.object({ projectDir, paths: z.array(z.string().min(1)).min(1), settings: ProjectSettings.partial().optional() }),
    JobStarted,
    'Import recordings (files or folders) into a project, creating it when needed. Job result: ImportResult.',
  ),
  'dataset.qa': method(z.object({ projectDir }), QaReport, 'Measure every clip (levels, SNR, silence, speaking rate) and store it in the manifest.'),
  'dataset.export': method(
    z.object({
      projectDir,
      outDir: z.string().min(1),
      format: z.literal('ljspeech').default('ljspeech'),
      valFraction: z.number().min(0).max(0.5).default(0.05),
      seed: z.number().int().default(1234),
      /** Replace files in outDir that no export wrote (refused otherwise). */
      overwrite: z.boolean().default(false),
    }),
    JobStarted,
    'Write an LJSpeech folder (wavs/, metadata.csv, train.txt, val.txt). Job result: ExportResult.',
  ),
  'clips.update': method(
    z.object({ projectDir, id: clipId, text: z.string().nullable().optional(), status: ClipStatus.optional() }),
    ClipRecord,
    'Change a clip’s transcript and/or status (no re-render).',
  ),
  'clips.updateMany': method(
    z.object({
      projectDir,
      edits: z.array(ClipEdit).min(1).max(MAX_BATCH_EDITS),
      /** 'error' (default): any edit that cannot apply rejects the whole batch; 'skip': leave those out (undo after other edits). */
      ifMissing: z.enum(['error', 'skip']).default('error'),
    }),
    ClipBatchResult,
    'Apply many clip edits (update/delete/restore) at once: all or nothing, one manifest write; returns the edits that undo it.',
  ),
  'clips.setRegion': method(
    z.object({ projectDir, id: clipId, sourceStart: z.number().nonnegative(), sourceEnd: z.number().positive() }),
    ClipRecord,
    'Move a clip’s in/out points (seconds in its source) and re-render it.',
  ),
  'clips.split': method(
    z.object({
      projectDir,
      id: clipId,
      /** Split point, seconds in the source (strictly inside the clip’s region). */
      at: z.number().nonnegative(),
      /** Texts of the two halves; default: the first keeps the text (status becomes "transcribed"), the second is untranscribed. */
      texts: z.tuple([z.string().nullable(), z.string().nullable()]).optional(),
    }),
    z.object({ clips: z.tuple([ClipRecord, ClipRecord]) }),
    'Split a clip at a source time into two clips, both re-rendered.',
  ),
  'clips.merge': method(
    z.object({ projectDir, id: clipId }),
    ClipRecord,
    'Merge a clip with the next clip of the same source (region spans both; texts joined with a space).',
  ),
  'clips.delete': method(z.object({ projectDir, id: clipId }), z.object({ deleted: z.string() }), 'Remove a clip and its WAV; the source stays.'),
  'clips.reprocess': method(
    z.object({ projectDir, ids: z.array(clipId).optional() }),
    JobStarted,
    'Re-render clips (all when ids is omitted) from their sources with the current settings. Job result: { rendered: number }.',
  ),
} as const;
