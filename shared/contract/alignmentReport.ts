import { z } from 'zod';
import { method } from './rpc';

/**
 * The duration model's per-clip alignment report, linked back to a project's clips.
 *
 * At each validation the trainer (resources/trainer/formant_trainer/train.py `write_alignment_report`) writes
 * `<run>/alignment_report.json`: how well each clip's text explains its audio (forward-sum loss per symbol of the
 * learned alignment) and which clips stand out of the dataset (robust z-score > 3.5): their transcript most likely
 * says something else than the recording. Clip ids are the dataset's metadata.csv ids, which for a dataset the app
 * exported are the project's clip ids. The report is derived data: read when the Dataset view asks, never stored in
 * the manifest. Service: electron/services/prepare/alignmentReport.ts.
 */

/** The file as the trainer writes it (extra fields pass through; a file that does not match is ignored). */
export const AlignmentReportFile = z.looseObject({
  format: z.literal('formant-alignment-report'),
  version: z.literal(1),
  model: z.string(),
  step: z.number().int().nonnegative(),
  /** False early in training: the alignment is still forming, so nothing is flagged yet. */
  settled: z.boolean(),
  measure: z.string().default(''),
  /** Ids of flagged clips, worst first (empty until settled). */
  flagged: z.array(z.string()),
  clips: z.array(
    z.looseObject({
      id: z.string(),
      loss: z.number(),
      focus: z.number(),
      z: z.number(),
      flagged: z.boolean(),
      /** Why it is flagged, in plain words (reports of trainer versions before it: absent). */
      reasons: z.array(z.string()).optional(),
    }),
  ),
});
export type AlignmentReportFile = z.infer<typeof AlignmentReportFile>;

/** One measured clip: its score and whether the report flags it. */
export const ClipAlignmentScore = z.object({ loss: z.number(), focus: z.number(), z: z.number(), flagged: z.boolean(), reasons: z.array(z.string()).default([]) });
export type ClipAlignmentScore = z.infer<typeof ClipAlignmentScore>;

/** The newest report that applies to a project, as the Dataset view reads it. */
export const ProjectAlignmentReport = z.object({
  /** The run folder that wrote it, its model and the validation step it measured. */
  runDir: z.string(),
  model: z.string(),
  step: z.number().int().nonnegative(),
  settled: z.boolean(),
  measure: z.string(),
  /** When the report was written (file mtime, ISO): a transcript edited later was not what the run measured. */
  measuredAt: z.string(),
  /** The dataset folder the run trained on (this project's export). */
  datasetDir: z.string(),
  /** Flagged clip ids, worst first. */
  flagged: z.array(z.string()),
  /** Every measured clip by id; a clip of the project missing here was not measured (left out of the export, added since…). */
  clips: z.record(z.string(), ClipAlignmentScore),
});
export type ProjectAlignmentReport = z.infer<typeof ProjectAlignmentReport>;

export const AlignmentReportResult = z.object({
  /** null: no run of this project has written a readable report. */
  report: ProjectAlignmentReport.nullable(),
  /** Reports found and left out, with the reason (unreadable, another dataset…), for the curious and for support. */
  ignored: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type AlignmentReportResult = z.infer<typeof AlignmentReportResult>;

export const alignmentReportMethods = {
  'dataset.alignmentReport': method(
    z.object({ projectDir: z.string().min(1) }),
    AlignmentReportResult,
    "The newest duration-model alignment report of a run trained on this project's export (runs/ of the project and runs opened this session): clips whose text and audio disagree.",
  ),
} as const;
